"""Several servers on one machine, under load, through an app-server kill and a replica stop.

Run: .venv/bin/python bench/cluster.py [--seconds 120] [--users 8] [--providers 2000] [--keep]
     make cluster                      (the long form)
     .venv/bin/python bench/cluster.py --seconds 20 --providers 300   (the short form)

It builds, from Debian packages and this checkout: a throwaway PostgreSQL 15 primary and a
streaming replica of it (pg_createcluster, pg_basebackup), its own redis-server, two gunicorn
app servers (deploy/gunicorn.conf.py) and nginx in front (deploy/nginx/*.conf, the shipped
files). It never touches the PostgreSQL at 5432 or the Redis at 6379, and removes everything
it made when it ends. Virtual visitors, each with its own address (sent as a load balancer
would, TRUSTED_PROXY_COUNT=2) and cookies, read guides, the finder, profiles, the JSON API
and FHIR, and write reports and consultation requests; after each request they open its
status page, which must show it (read-your-own-write). At 20% of the run one app server is
killed (SIGKILL) and started again; at 50% the replica is stopped, at 70% started again.
It prints requests sent, errors by kind, p50/p95/p99, replica lag, read-your-own-write
violations and lost writes. Figures are printed; nothing is asserted.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import psycopg
from consultations import SETUP as CLAIMED_PRACTICE
from writes import free_port

ROOT = Path(__file__).resolve().parent.parent
PG = "15"
CLUSTERS = ("cabench_primary", "cabench_replica")  # only ever these two are created or dropped
CLAIMED_NPI = "1234567893"  # the claimed practice bench/consultations.py's SETUP makes
# What the visitors read, taken from the seeded site.
URLS = """
import json, random
from careatlas.procedures.models import Guide
from careatlas.providers.models import Practitioner, Location
random.seed(1)
guides = [g.get_absolute_url() for g in Guide.objects.filter(status='published')]
people = list(Practitioner.objects.filter(active=True).order_by('?')[:300])
zips = sorted({z for z in Location.objects.values_list('zip_code', flat=True)[:2000] if z})[:50]
print(json.dumps({
    'guides': guides,
    'profiles': [p.get_absolute_url() for p in people],
    'npis': [p.npi for p in people],
    'surnames': sorted({p.last_name for p in people})[:50],
    'zips': zips,
}))
"""
COUNTS = """
import json
from careatlas.consultations.models import ConsultationRequest
from careatlas.providers.models import IncorrectInfoReport
print(json.dumps({'reports': IncorrectInfoReport.objects.count(),
                  'requests': ConsultationRequest.objects.count()}))
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120, help="length of the load")
    parser.add_argument("--users", type=int, default=8, help="concurrent virtual visitors")
    parser.add_argument("--providers", type=int, default=2000, help="demo providers seeded")
    parser.add_argument(
        "--write-share", type=float, default=0.1, help="share of actions that write"
    )
    parser.add_argument("--app-servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes per server")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn process")
    parser.add_argument("--no-faults", action="store_true", help="no kill, no replica stop")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and logs")
    return parser.parse_args(argv)


def run(*command: str, **kwargs) -> str:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result.stdout


def require_packages() -> None:
    missing = [p for p in ("nginx", "pg_createcluster", "redis-server") if not shutil.which(p)]
    if "nginx" in missing and os.geteuid() == 0:
        run(
            "apt-get",
            "install",
            "-y",
            "-qq",
            "nginx",
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        missing.remove("nginx")
    if missing:
        raise SystemExit(
            f"missing: {', '.join(missing)} (apt-get install nginx postgresql-15 redis-server)"
        )


class Topology:
    """Everything the run starts, so that one place stops and removes it."""

    def __init__(self, args, folder: Path):
        self.args, self.folder = args, folder
        self.pg_ports = (free_port(), free_port())
        self.redis_port, self.nginx_port = free_port(), free_port()
        self.app_ports = [free_port() for _ in range(args.app_servers)]
        self.apps: dict[int, subprocess.Popen] = {}
        self.others: list[subprocess.Popen] = []
        self.env = self._site_env()

    # PostgreSQL: a throwaway primary and its streaming replica

    def dsn(self, which: int, database: str = "careatlas") -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_ports[which]}/{database}"

    def drop_clusters(self) -> None:
        existing = run("pg_lsclusters", "--no-header")
        for name in CLUSTERS:
            if re.search(rf"^{PG}\s+{name}\s", existing, re.M):
                subprocess.run(["pg_dropcluster", "--stop", PG, name], capture_output=True)

    def start_primary(self) -> None:
        self.drop_clusters()
        name, port = CLUSTERS[0], self.pg_ports[0]
        run("pg_createcluster", PG, name, "-p", str(port), "--", "--auth=trust")
        run("pg_ctlcluster", PG, name, "start")
        with psycopg.connect(self.dsn(0, "postgres"), autocommit=True) as db:
            db.execute("CREATE DATABASE careatlas")

    def start_replica(self) -> None:
        name, port = CLUSTERS[1], self.pg_ports[1]
        run("pg_createcluster", PG, name, "-p", str(port), "--", "--auth=trust")
        data = Path(f"/var/lib/postgresql/{PG}/{name}")
        for item in data.iterdir():  # pg_basebackup fills the folder pg_createcluster made
            shutil.rmtree(item) if item.is_dir() else item.unlink()
        run(
            "runuser",
            "-u",
            "postgres",
            "--",
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.pg_ports[0]),
            "-U",
            "postgres",
            "-D",
            str(data),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        )
        self.replica("start")

    def replica(self, action: str) -> None:
        run("pg_ctlcluster", PG, CLUSTERS[1], action, *(["-m", "fast"] if action == "stop" else []))

    def lag(self) -> tuple[float, int] | None:
        """The replica's replay lag (seconds, bytes) as the primary sees it; None if absent."""
        with psycopg.connect(self.dsn(0, "postgres"), connect_timeout=2) as db:
            row = db.execute(
                "SELECT COALESCE(EXTRACT(EPOCH FROM replay_lag), 0), "
                "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication"
            ).fetchone()
        return (float(row[0]), int(row[1] or 0)) if row else None

    # The site

    def _site_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(
            CAREATLAS_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            BEHIND_TLS_PROXY="0",
            SECURE_HSTS_SECONDS="0",
            SITE_URL=f"http://127.0.0.1:{self.nginx_port}",
            STATIC_ROOT=str(self.folder / "static"),
            DATABASE_URL=self.dsn(0),
            DATABASE_REPLICA_URL=self.dsn(1),
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            # The visitors stand behind a load balancer (their X-Forwarded-For) and nginx.
            TRUSTED_PROXY_COUNT="2",
            METRICS_ALLOWED_ADDRESSES="127.0.0.1",
            CONSULTATION_MIN_FILL_SECONDS="0",  # virtual visitors type fast
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            WEB_CONCURRENCY=str(self.args.workers),
            GUNICORN_THREADS=str(self.args.threads),
            LOG_LEVEL="WARNING",
        )
        return env

    def manage(self, *args: str) -> str:
        return run(sys.executable, "manage.py", *args, cwd=ROOT, env=self.env)

    def seed(self) -> dict:
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_content")
        self.manage("seed_demo_providers", "--count", str(self.args.providers), "--seed", "1")
        self.manage("shell", "-c", CLAIMED_PRACTICE)
        self.manage("collectstatic", "--noinput", "-v0")
        return json.loads(self.manage("shell", "-c", URLS).strip().splitlines()[-1])

    def counts(self) -> dict[str, int]:
        return json.loads(self.manage("shell", "-c", COUNTS).strip().splitlines()[-1])

    def start_redis(self) -> None:
        self.others.append(
            subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(self.redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
            )
        )

    def start_app(self, port: int) -> None:
        metrics = self.folder / f"metrics-{port}"
        shutil.rmtree(metrics, ignore_errors=True)
        metrics.mkdir()
        env = {**self.env, "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
        log = (self.folder / f"app-{port}.log").open("ab")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "careatlas.wsgi",
        ]
        self.apps[port] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        wait_for(port, "/readyz")

    def kill_app(self, port: int) -> None:
        os.killpg(self.apps[port].pid, signal.SIGKILL)
        self.apps[port].wait()

    def start_nginx(self) -> None:
        deploy = ROOT / "deploy" / "nginx"
        brotli = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
        servers = "\n".join(
            f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in self.app_ports
        )
        temp = self.folder / "nginx-temp"
        temp.mkdir(exist_ok=True)
        conf = f"""
{f"load_module {brotli};" if brotli.exists() else ""}
user root;
worker_processes 1;
daemon off;
pid {self.folder}/nginx.pid;
error_log {self.folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  client_body_temp_path {temp}/body;
  proxy_temp_path {temp}/proxy;
  fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  include {deploy}/careatlas-http.conf;
  upstream careatlas {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{self.nginx_port};
    set $careatlas_static {self.folder}/static;
    access_log {self.folder}/nginx-access.log careatlas_json;
    include {deploy}/careatlas-proxy.conf;
    {f"include {deploy}/careatlas-brotli.conf;" if brotli.exists() else ""}
  }}
}}
"""
        path = self.folder / "nginx.conf"
        path.write_text(conf)
        run("nginx", "-t", "-q", "-c", str(path))
        log = (self.folder / "nginx-stdout.log").open("ab")
        self.others.append(subprocess.Popen(["nginx", "-c", str(path)], stdout=log, stderr=log))
        wait_for(self.nginx_port, "/livez")

    def stop(self) -> None:
        for port in list(self.apps):
            if self.apps[port].poll() is None:
                os.killpg(self.apps[port].pid, signal.SIGTERM)
                self.apps[port].wait(timeout=30)
        for process in self.others:
            process.terminate()
            process.wait(timeout=30)
        self.drop_clusters()


def wait_for(port: int, path: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"127.0.0.1:{port}{path} did not answer 200 within {seconds:.0f} s")


class Visitor:
    """One person: an address, cookies, a keep-alive connection to nginx."""

    def __init__(self, port: int):
        self.port = port
        self.address = (
            f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        )
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"X-Forwarded-For": self.address, "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        # The site's cookies are Secure in production; this client keeps them over plain HTTP.
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text


class Load:
    """The mixed workload and everything it measured."""

    def __init__(self, args, port: int, urls: dict):
        self.args, self.port, self.urls = args, port, urls
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {"read": [], "write": []}
        self.sent: Counter = Counter()
        self.errors: Counter = Counter()
        self.acknowledged: Counter = Counter()
        self.ryw_checked = 0
        self.ryw_violations = 0
        self.stop = threading.Event()

    def read_path(self) -> tuple[str, str]:
        u, roll = self.urls, random.random()
        zip_code = random.choice(u["zips"]) if u["zips"] else "10001"
        if roll < 0.30 and u["guides"]:
            return "guide", random.choice(u["guides"])
        if roll < 0.50:
            return "finder", f"/providers/?location={zip_code}&radius=25"
        if roll < 0.75:
            return "profile", random.choice(u["profiles"])
        if roll < 0.88:
            return "api", f"/api/v1/providers?location={zip_code}&radius=25"
        return (
            "fhir",
            f"/fhir/Practitioner?family={urllib.parse.quote(random.choice(u['surnames']))}",
        )

    def timed(self, visitor: Visitor, kind: str, label: str, method: str, path: str, form=None):
        began = time.perf_counter()
        try:
            status, text = visitor.request(method, path, form)
        except (OSError, http.client.HTTPException) as exc:
            status, text = None, type(exc).__name__
        took = time.perf_counter() - began
        with self.lock:
            self.sent[f"{kind} {label}"] += 1
            self.latencies[kind].append(took)
            if status is None or status >= 500 or status == 429:
                self.errors[f"{kind} {label} {status or text}"] += 1
        return status, text

    def report(self, visitor: Visitor) -> None:
        npi = random.choice(self.urls["npis"])
        path = f"/providers/{npi}/report/"
        status, page = self.timed(visitor, "read", "report form", "GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page or "")
        if status != 200 or not token:
            return
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "fact": "other",
            "details": "Cluster run: the office has moved.",
            "contact": "",
        }
        status, _ = self.timed(visitor, "write", "report", "POST", path, form)
        if status == 302:
            with self.lock:
                self.acknowledged["reports"] += 1
        elif status is not None and status < 500:
            with self.lock:
                self.errors[f"write report {status}"] += 1

    def consultation(self, visitor: Visitor) -> None:
        path = f"/consultations/new/{CLAIMED_NPI}/"
        status, page = self.timed(visitor, "read", "request form", "GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page or "")
        started = re.search(r'name="started" value="([^"]+)"', page or "")
        location = re.search(r'name="location" value="(\d+)"', page or "") or re.search(
            r'<option value="(\d+)"', page or ""
        )
        if status != 200 or not (token and started and location):
            with self.lock:
                self.errors[f"read request form unusable {status}"] += 1
            return
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "started": started.group(1),
            "location": location.group(1),
            "payment": "self_pay",
            "contact_method": "email",
            "email": f"p{secrets.token_hex(6)}@bench.example",
            "name": "Cluster Patient",
            "age_range": "40-64",
            "message": "A request from the cluster run.",
        }
        status, page = self.timed(visitor, "write", "request", "POST", path, form)
        link = re.search(r'href="(/consultations/status/[^"/]+/)"', page or "")
        reference = re.search(r"<strong>([A-Z0-9-]+)</strong>", page or "")
        if status != 200 or not (link and reference):
            if status is not None and status < 500:
                with self.lock:
                    self.errors[f"write request {status} refused"] += 1
            return
        with self.lock:
            self.acknowledged["requests"] += 1
        # Read-your-own-write: the status page at once, as the visitor would open it.
        status, page = self.timed(visitor, "read", "own request", "GET", link.group(1))
        with self.lock:
            self.ryw_checked += 1
            if status is not None and (status != 200 or reference.group(1) not in page):
                self.ryw_violations += 1

    def visitor_loop(self) -> None:
        visitor = Visitor(self.port)
        actions = 0
        while not self.stop.is_set():
            if random.random() < self.args.write_share:
                random.choice([self.report, self.consultation])(visitor)
                visitor = Visitor(self.port)  # the next visitor is someone else
                continue
            label, path = self.read_path()
            self.timed(visitor, "read", label, "GET", path)
            actions += 1
            if actions % 50 == 0:
                visitor = Visitor(self.port)


def scraped(ports: list[int]) -> dict[str, float]:
    """Sums over the app servers' /metrics: page cache hits and misses, requests, db seconds."""
    totals: dict[str, float] = Counter()
    for port in ports:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/metrics")
        for line in connection.getresponse().read().decode().splitlines():
            for name in ("page_cache_requests_total", "http_requests_total", "db_seconds_total"):
                if line.startswith(f"careatlas_{name}{{"):
                    value = float(line.rsplit(" ", 1)[1])
                    totals[name] += value
                    if '{result="hit"}' in line:
                        totals[f"{name}:hit"] += value
    return totals


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Faults:
    """The schedule: kill and restart an app server; stop and restart the replica. The load
    runs on until both are back, however long a restart takes on a busy machine."""

    def __init__(self, topology: Topology, seconds: float):
        self.topology, self.seconds = topology, seconds
        self.began = time.monotonic()
        self.events: list[str] = []

    def at(self, share: float) -> None:
        time.sleep(max(0.0, self.began + share * self.seconds - time.monotonic()))

    def note(self, text: str) -> None:
        self.events.append(f"{time.monotonic() - self.began:6.1f} s  {text}")

    def app_server(self) -> None:
        victim = self.topology.app_ports[0]
        self.at(0.20)
        self.topology.kill_app(victim)
        self.note(f"app server :{victim} killed (SIGKILL)")
        time.sleep(min(5.0, self.seconds * 0.1))
        self.note(f"app server :{victim} starting")
        self.topology.start_app(victim)
        self.note(f"app server :{victim} ready again")

    def replica(self) -> None:
        self.at(0.50)
        self.topology.replica("stop")
        self.note("replica stopped")
        self.at(0.70)
        self.topology.replica("start")
        self.note("replica started")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    require_packages()
    folder = Path(tempfile.mkdtemp(prefix="careatlas-cluster-"))
    folder.chmod(0o755)
    topology = Topology(args, folder)
    try:
        print(f"scratch folder {folder}", flush=True)
        topology.start_primary()
        topology.start_redis()
        urls = topology.seed()
        topology.start_replica()
        before = topology.counts()
        for port in topology.app_ports:
            topology.start_app(port)
        topology.start_nginx()
        print(
            f"nginx :{topology.nginx_port} -> app servers {topology.app_ports}; primary "
            f":{topology.pg_ports[0]}, replica :{topology.pg_ports[1]}, "
            f"redis :{topology.redis_port}",
            flush=True,
        )
        figures = exercise(args, topology, urls, before)
    finally:
        topology.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))


def exercise(args, topology: Topology, urls: dict, before: dict) -> dict:
    load = Load(args, topology.nginx_port, urls)
    lags: list[tuple[float, int]] = []
    faults = Faults(topology, args.seconds)

    def sample_lag() -> None:
        while not load.stop.wait(0.5):
            try:
                found = topology.lag()
            except psycopg.Error:
                found = None
            if found is not None:
                lags.append(found)

    threads = [threading.Thread(target=load.visitor_loop) for _ in range(args.users)]
    threads.append(threading.Thread(target=sample_lag))
    scheduled = [] if args.no_faults else [faults.app_server, faults.replica]
    fault_threads = [threading.Thread(target=fault) for fault in scheduled]
    began = time.perf_counter()
    for thread in threads + fault_threads:
        thread.start()
    time.sleep(args.seconds)
    for thread in fault_threads:
        thread.join()
    load.stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    metrics = scraped(topology.app_ports)
    after = topology.counts()
    stored = {k: after[k] - before[k] for k in before}
    lost = {k: max(0, load.acknowledged[k] - stored[k]) for k in stored}
    reads, writes = load.latencies["read"], load.latencies["write"]
    failed_reads = sum(v for k, v in load.errors.items() if k.startswith("read"))
    figures = {
        "seconds": round(elapsed, 1),
        "users": args.users,
        "app_servers": args.app_servers,
        "requests": sum(load.sent.values()),
        "requests_per_second": round(sum(load.sent.values()) / elapsed, 1),
        "sent": dict(load.sent),
        "errors": dict(load.errors),
        "failed_idempotent_requests": failed_reads,
        "read_ms": {
            q: round(percentile(reads, s) * 1000, 1)
            for q, s in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
        },
        "write_ms": {
            q: round(percentile(writes, s) * 1000, 1)
            for q, s in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
        },
        "replica_lag_seconds_max": round(max((s for s, _ in lags), default=0.0), 3),
        "replica_lag_seconds_median": round(
            statistics.median([s for s, _ in lags]) if lags else 0.0, 3
        ),
        "replica_lag_bytes_max": max((b for _, b in lags), default=0),
        "read_your_own_write_checks": load.ryw_checked,
        "read_your_own_write_violations": load.ryw_violations,
        "writes_acknowledged": dict(load.acknowledged),
        "writes_stored": stored,
        "lost_writes": sum(lost.values()),
        "events": faults.events,
        # From the app servers' /metrics (the restarted one counts from its restart).
        "page_cache_hit_rate": round(
            metrics["page_cache_requests_total:hit"] / max(1, metrics["page_cache_requests_total"]),
            3,
        ),
        "db_ms_per_request": round(
            1000 * metrics["db_seconds_total"] / max(1, metrics["http_requests_total"]), 1
        ),
        "load_average": os.getloadavg(),
    }
    show(figures)
    return figures


def show(f: dict) -> None:
    print(
        f"\n{f['requests']:,} requests in {f['seconds']} s ({f['requests_per_second']}/s), "
        f"{f['users']} visitors, {f['app_servers']} app servers"
    )
    for line in f["events"]:
        print(f"  {line}")
    print("sent:     " + ", ".join(f"{k} {v}" for k, v in sorted(f["sent"].items())))
    print("errors:   " + (", ".join(f"{k}: {v}" for k, v in sorted(f["errors"].items())) or "none"))
    print(f"failed idempotent requests: {f['failed_idempotent_requests']}")
    for kind in ("read", "write"):
        q = f[f"{kind}_ms"]
        print(f"{kind}s ms p50/p95/p99: {q['p50']} / {q['p95']} / {q['p99']}")
    print(
        f"replica lag: max {f['replica_lag_seconds_max']} s, median "
        f"{f['replica_lag_seconds_median']} s, max {f['replica_lag_bytes_max']:,} bytes"
    )
    print(
        f"read-your-own-write: {f['read_your_own_write_violations']} violations "
        f"in {f['read_your_own_write_checks']} checks"
    )
    print(
        f"page cache hit rate {f['page_cache_hit_rate']:.1%}, database time "
        f"{f['db_ms_per_request']} ms a request, load average {f['load_average'][0]:.1f}"
    )
    print(
        f"writes acknowledged {f['writes_acknowledged']}, stored {f['writes_stored']}, "
        f"lost {f['lost_writes']}"
    )


if __name__ == "__main__":
    main()
