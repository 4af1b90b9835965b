"""Prometheus figures: requests, latency and database time per route, page cache hits, and
gauges apps register (task queue depth, import progress), read when scraped."""

import ipaddress
import logging
import os
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from careatlas.core.ratelimit import client_ip

logger = logging.getLogger(__name__)

# gunicorn runs each worker in its own process. With PROMETHEUS_MULTIPROC_DIR set (deploy/
# sets it), every worker writes its counts to files there and a scrape answered by any
# worker sums them all; without it, a scrape sees only the worker that answers it.
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
_own = CollectorRegistry()

REQUESTS = Counter(
    "careatlas_http_requests",
    "Requests answered, by route name, method and status.",
    ["route", "method", "status"],
    registry=_own,
)
LATENCY = Histogram(
    "careatlas_http_request_duration_seconds",
    "Time from the first middleware to the answer, by route name.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=_own,
)
DB_SECONDS = Counter(
    "careatlas_db_seconds",
    "Time spent in database statements during requests, by route name and database alias.",
    ["route", "database"],
    registry=_own,
)
DB_STATEMENTS = Counter(
    "careatlas_db_statements",
    "Database statements run during requests, by route name and database alias.",
    ["route", "database"],
    registry=_own,
)
PAGE_CACHE = Counter(
    "careatlas_page_cache_requests",
    "Anonymous reads of public pages: answered from the shared page cache (hit) or not (miss).",
    ["result"],
    registry=_own,
)

# A gauge read when scraped: (labels, value) pairs, e.g. ({"queue": "default"}, 3).
Reading = Callable[[], Iterable[tuple[dict[str, str], float]]]
_gauges: dict[str, tuple[str, tuple[str, ...], Reading]] = {}


def register_gauge(name: str, documentation: str, labels: tuple[str, ...], read: Reading) -> None:
    """Apps add their live figures here in AppConfig.ready(); core knows none of them."""
    _gauges[name] = (documentation, labels, read)


class _LiveGauges:
    def collect(self):
        for name, (documentation, labels, read) in _gauges.items():
            family = GaugeMetricFamily(name, documentation, labels=list(labels))
            try:
                for values, value in read():
                    family.add_metric([str(values[label]) for label in labels], value)
            except Exception:  # noqa: BLE001 - a down database must not hide the other figures
                logger.warning("Could not read the gauge %s for /metrics", name, exc_info=True)
                continue
            yield family


def exposition() -> bytes:
    """The text a Prometheus scrape receives."""
    if MULTIPROCESS:
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = _own
    live = CollectorRegistry(auto_describe=False)
    live.register(_LiveGauges())
    return generate_latest(counted) + generate_latest(live)


@lru_cache(maxsize=8)
def _networks(addresses: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(a, strict=False) for a in addresses)


def may_scrape(request: HttpRequest) -> bool:
    """Whether the client (as the trusted proxies saw it) is in METRICS_ALLOWED_ADDRESSES."""
    networks = _networks(tuple(settings.METRICS_ALLOWED_ADDRESSES))
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in networks)


def task_queue_depth() -> Iterable[tuple[dict[str, str], float]]:
    """Tasks waiting or running in django_tasks_db, by queue and status."""
    waiting = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    rows = (
        DBTaskResult.objects.filter(status__in=waiting)
        .values("queue_name", "status")
        .annotate(count=Count("id"))
    )
    counts = {(row["queue_name"], row["status"]): row["count"] for row in rows}
    for queue in settings.TASKS["default"].get("QUEUES", ["default"]):
        for status in waiting:
            counts.setdefault((queue, status), 0)
    for (queue, status), count in sorted(counts.items()):
        yield {"queue": queue, "status": str(status).lower()}, count
