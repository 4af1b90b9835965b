"""Guide page benchmark: gunicorn throughput against a bare page, and server time per request.

Run: .venv/bin/python bench/pages.py [--duration S] [--connections N]

It builds a throwaway production-mode site (temporary SQLite unless DATABASE_URL is set),
serves it with gunicorn (2 sync workers) on loopback next to a bare Django app (its own
settings: startproject's defaults, no CareAtlas code) that serves the guide page's bytes
from a template, drives both with wrk in alternating rounds, then times the guide view
in-process with a warm and a cold page cache. Figures are printed with PASS/MISS against
the targets; nothing is asserted.
"""

import argparse
import cProfile
import http.client
import io
import os
import pstats
import re
import secrets
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
GUIDE_PATH = "/procedures/osteopathic-manual-treatment/"
BARE_PATH = "/bench/bare/"
ACCESS_LOG_FORMAT = "%(U)s %(s)s %(D)s"  # path, status, request time in microseconds
WORKERS = 2
CONTENT_ATTEMPTS = 3
CONTENT_RETRY_SECONDS = 20

# Targets (printed, never asserted).
MIN_RATIO = 0.85
MAX_CACHED_MEDIAN_MS = 5.0
MAX_UNCACHED_MEDIAN_MS = 25.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per target")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per target")
    parser.add_argument("--samples", type=int, default=300, help="in-process requests per case")
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of the uncached guide view"
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment(workdir: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "careatlas.settings",
            "CAREATLAS_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "BEHIND_TLS_PROXY": "0",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "SQLITE_PATH": str(workdir / "careatlas.sqlite3"),
            "STATIC_ROOT": str(workdir / "static"),
            "BENCH_BARE_TEMPLATE_DIR": str(workdir / "templates"),
            "LOG_LEVEL": "WARNING",
        }
    )
    for name in ("DEBUG", "SECRET_KEY_FILE", "ALLOWED_HOSTS_FILE"):
        env.pop(name, None)
    return env


def manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True
    )


def prepare_site() -> None:
    for args in (("migrate", "--noinput", "-v0"), ("collectstatic", "--noinput", "-v0")):
        result = manage(*args)
        if result.returncode:
            sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    # The content pack is still being written; a content error may be fixed shortly.
    for attempt in range(1, CONTENT_ATTEMPTS + 1):
        result = manage("load_content")
        if result.returncode == 0:
            print(result.stdout.strip())
            return
        print(
            f"load_content failed (attempt {attempt}/{CONTENT_ATTEMPTS}):\n{result.stderr.strip()}",
            file=sys.stderr,
        )
        if attempt < CONTENT_ATTEMPTS:
            time.sleep(CONTENT_RETRY_SECONDS)
    sys.exit("The content pack does not load; no figures.")


def start_gunicorn(app: str, port: int, workdir: Path, name: str, **env: str) -> subprocess.Popen:
    options = f"--bind 127.0.0.1:{port} --workers {WORKERS} --worker-class sync".split()
    logs = ["--access-logfile", str(workdir / f"{name}-access.log")]
    logs += ["--access-logformat", ACCESS_LOG_FORMAT]
    with (workdir / f"{name}-gunicorn.log").open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", app, *options, *logs],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )


def wait_until_up(server: subprocess.Popen, url: str, workdir: Path, name: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    log = (workdir / f"{name}-gunicorn.log").read_text(errors="replace")
    sys.exit(f"gunicorn ({name}) did not come up:\n{log[-3000:]}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.status != 200:
            sys.exit(f"{url} answered {response.status}")
        return response.read()


def write_bare_template(guide_html: bytes, template_dir: Path) -> None:
    """The bare page's template is the guide's HTML, emitted verbatim (same bytes out)."""
    template_dir.mkdir(parents=True, exist_ok=True)
    text = guide_html.decode()
    (template_dir / "bench_bare.html").write_text(
        "{% verbatim %}" + text + "{% endverbatim %}", encoding="utf-8"
    )


# --- load generation -------------------------------------------------------------------


def run_wrk(url: str, seconds: float, connections: int) -> dict:
    options = f"--threads 1 --connections {connections} --duration {max(1, round(seconds))}s"
    out = subprocess.run(
        ["wrk", *options.split(), url], capture_output=True, text=True, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(1).strip() if errors else "",
    }


def _client_loop(args: tuple[str, int, str, float]) -> tuple[int, int]:
    host, port, path, seconds = args
    conn = http.client.HTTPConnection(host, port, timeout=10)
    done = bad = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            done += 1
            bad += response.status >= 400
        except OSError:
            conn.close()
            bad += 1
    conn.close()
    return done, bad


def run_python_client(url: str, seconds: float, connections: int) -> dict:
    """Fallback when wrk is missing: one keep-alive http.client loop per process."""
    match = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
    host, port, path = match.group(1), int(match.group(2)), match.group(3)
    with Pool(connections) as pool:
        results = pool.map(_client_loop, [(host, port, path, seconds)] * connections)
    done = sum(r[0] for r in results)
    return {"rps": done / seconds, "bad": sum(r[1] for r in results), "errors": ""}


def load(targets: dict[str, Path], args: argparse.Namespace) -> dict:
    """Warm every URL, then alternate short rounds so background noise hits all alike.

    `targets` maps each URL to the access log of the server behind it.
    """
    driver = run_wrk if shutil.which("wrk") else run_python_client
    for url in targets:
        driver(url, args.warmup, args.connections)
    offsets = {url: log.stat().st_size for url, log in targets.items()}
    seconds = max(1, round(args.duration / args.rounds))
    results = {url: {"round_rps": [], "bad": 0, "errors": []} for url in targets}
    for _ in range(args.rounds):
        for url in targets:
            run = driver(url, seconds, args.connections)
            results[url]["round_rps"].append(run["rps"])
            results[url]["bad"] += run["bad"]
            if run["errors"]:
                results[url]["errors"].append(run["errors"])
    time.sleep(0.3)  # let the workers' last access-log lines land
    for url, result in results.items():
        with targets[url].open("rb") as handle:
            handle.seek(offsets[url])
            lines = handle.read().decode(errors="replace").splitlines()
        path = "/" + url.split("/", 3)[3]
        result["rps"] = statistics.mean(result["round_rps"])
        result["server_ms"] = [
            int(p[2]) / 1000
            for p in (line.split() for line in lines)
            if len(p) == 3 and p[0] == path and p[1] == "200"
        ]
    return results


# --- in-process timing -----------------------------------------------------------------


def wsgi_environ(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def serve_once(app: Callable, path: str) -> tuple[str, int]:
    """One request through the full WSGI stack, as gunicorn makes it (connection close too)."""
    status = []
    response = app(wsgi_environ(path), lambda s, headers, exc_info=None: status.append(s))
    size = sum(len(chunk) for chunk in response)
    response.close()  # fires request_finished, which closes the database connection
    return status[0], size


def time_requests(
    app: Callable, path: str, samples: int, before: Callable[[], None] | None = None
) -> list[float]:
    timings = []
    for _ in range(samples):
        if before:
            before()
        started = perf_counter()
        status, _size = serve_once(app, path)
        timings.append((perf_counter() - started) * 1000)
        if not status.startswith("200"):
            sys.exit(f"{path} answered {status} in-process")
    return timings


def in_process(args: argparse.Namespace) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from careatlas.core.models import SiteVersion

    app = WSGIHandler()
    locmem = settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")

    def cold_cache() -> None:
        # A new content version gives every page a new cache key, on any backend.
        SiteVersion.bump()
        if locmem:
            cache.clear()
        connections.close_all()  # the request opens its own connection, as in gunicorn

    for _ in range(20):
        serve_once(app, GUIDE_PATH)
    results = {
        "cached": time_requests(app, GUIDE_PATH, args.samples),
        "uncached": time_requests(app, GUIDE_PATH, args.samples, before=cold_cache),
    }
    with CaptureQueriesContext(connection) as cached_queries:
        serve_once(app, GUIDE_PATH)
    cold_cache()
    with CaptureQueriesContext(connection) as uncached_queries:
        serve_once(app, GUIDE_PATH)
    results["queries"] = (len(cached_queries), len(uncached_queries))
    results["site"] = (
        f"{connection.vendor} (CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}), "
        f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )
    if args.profile:
        profiler = cProfile.Profile()
        for _ in range(50):
            cold_cache()
            profiler.enable()
            serve_once(app, GUIDE_PATH)
            profiler.disable()
        report = io.StringIO()
        pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(30)
        results["profile"] = report.getvalue()
    return results


# --- report ----------------------------------------------------------------------------


def median_p95(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0], values[0]) if values else (float("nan"), float("nan"))
    return statistics.median(values), statistics.quantiles(values, n=100, method="inclusive")[94]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def machine_line() -> str:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.*)", cpuinfo.read_text())
        cpu = f", {found.group(1).strip()}" if found else ""
    return f"{os.cpu_count()} cores{cpu}; Python {sys.version.split()[0]}"


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def print_report(
    args, guide: dict, bare: dict, local: dict, sizes: tuple[int, int], tool: str
) -> None:
    # Each guide round is paired with the bare round right after it; the median pair
    # ratio shrugs off a burst of load from elsewhere on the machine.
    round_ratios = [g / b for g, b in zip(guide["round_rps"], bare["round_rps"], strict=True) if b]
    ratio = statistics.median(round_ratios) if round_ratios else 0.0
    log_median, log_p95 = median_p95(guide["server_ms"])
    bare_median, bare_p95 = median_p95(bare["server_ms"])
    cached = median_p95(local["cached"])
    uncached = median_p95(local["uncached"])
    rows = [
        ("Guide, cached: requests/s (gunicorn)", f"{guide['rps']:.0f}", "", ""),
        ("Bare page: requests/s (gunicorn)", f"{bare['rps']:.0f}", "", ""),
        (
            "Ratio guide / bare (median round)",
            f"{ratio:.2f}x",
            f">= {MIN_RATIO}x",
            verdict(ratio >= MIN_RATIO),
        ),
        (
            "Guide, cached: server ms, access log",
            f"{log_median:.2f} / {log_p95:.2f}",
            f"< {MAX_CACHED_MEDIAN_MS:g}",
            verdict(log_median < MAX_CACHED_MEDIAN_MS),
        ),
        (
            "Guide, cached: server ms, in-process",
            f"{cached[0]:.2f} / {cached[1]:.2f}",
            f"< {MAX_CACHED_MEDIAN_MS:g}",
            verdict(cached[0] < MAX_CACHED_MEDIAN_MS),
        ),
        (
            "Guide, UNcached: server ms, in-process",
            f"{uncached[0]:.2f} / {uncached[1]:.2f}",
            f"< {MAX_UNCACHED_MEDIAN_MS:g}",
            verdict(uncached[0] < MAX_UNCACHED_MEDIAN_MS),
        ),
        ("Bare page: server ms, access log", f"{bare_median:.2f} / {bare_p95:.2f}", "", ""),
    ]
    print()
    print(f"Command: {shlex.join(sys.orig_argv)}")
    print(f"Date:    {time.strftime('%a %d %b %Y %H:%M:%S %Z')}")
    print(f"Machine: {machine_line()}")
    print(
        f"Load:    {tool}; {WORKERS} gunicorn sync workers per app; "
        f"{args.connections} connections; {args.warmup:g} s warm-up, then "
        f"{args.duration:g} s per target in {args.rounds} alternating rounds; 127.0.0.1 only"
    )
    print(
        f"Noise:   load average {load_average()} at the end; guide/bare ratio per round "
        f"{min(round_ratios, default=0):.2f}-{max(round_ratios, default=0):.2f}x"
    )
    print(f"Pages:   guide {GUIDE_PATH} ({sizes[0]} bytes), bare {BARE_PATH} ({sizes[1]} bytes)")
    print(
        f"Samples: access log {len(guide['server_ms'])} guide / {len(bare['server_ms'])} bare; "
        f"in-process {args.samples} per case; server ms shown as median / p95"
    )
    print(
        f"Queries: {local['queries'][0]} per cached guide request, "
        f"{local['queries'][1]} per uncached"
    )
    print(f"Site:    production settings, database {local['site']}")
    print("Bare:    a separate Django app, startproject's default settings and middleware")
    print()
    print(f"{'Measure':<42} {'Value':>15}  {'Target':>9}  Result")
    print("-" * 77)
    for name, value, target, result in rows:
        print(f"{name:<42} {value:>15}  {target:>9}  {result}")
    for label, run in (("guide", guide), ("bare", bare)):
        if run["bad"] or run["errors"]:
            print(
                f"Warning: {label} load saw {run['bad']} non-2xx/3xx responses; "
                f"socket errors: {'; '.join(run['errors']) or 'none'}"
            )
    if "profile" in local:
        print("\ncProfile of 50 uncached guide requests (cumulative):")
        print(local["profile"])


def main() -> None:
    args = parse_args()
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="careatlas-bench-pages-"))
    server = bare_server = None
    try:
        port = free_port()
        os.environ.update(bench_environment(workdir, port))
        database = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "temporary SQLite"
        print(f"Preparing the site in {workdir} ({database})...")
        prepare_site()
        base_url = f"http://127.0.0.1:{port}"
        server = start_gunicorn("careatlas.wsgi", port, workdir, "site")
        wait_until_up(server, f"{base_url}/healthz", workdir, "site")
        guide_html = fetch(base_url + GUIDE_PATH)
        write_bare_template(guide_html, workdir / "templates")
        bare_port = free_port()
        bare_url = f"http://127.0.0.1:{bare_port}{BARE_PATH}"
        bare_server = start_gunicorn(
            "bench.bare.wsgi",
            bare_port,
            workdir,
            "bare",
            DJANGO_SETTINGS_MODULE="bench.bare.settings",
        )
        wait_until_up(bare_server, bare_url, workdir, "bare")
        bare_html = fetch(bare_url)
        if shutil.which("wrk"):
            version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
            tool = " ".join(version.split()[:2]) or "wrk"
        else:
            tool = "Python http.client processes (wrk not found; figures not comparable)"
            print(f"Note: wrk is not installed; using {tool}.")
        print(f"Loading {GUIDE_PATH} and the bare app's {BARE_PATH} with {tool}...")
        guide_url = base_url + GUIDE_PATH
        loads = load(
            {guide_url: workdir / "site-access.log", bare_url: workdir / "bare-access.log"}, args
        )
        guide, bare = loads[guide_url], loads[bare_url]
        stop(server)
        stop(bare_server)
        print("Timing the guide view in-process...")
        local = in_process(args)
        print_report(args, guide, bare, local, (len(guide_html), len(bare_html)), tool)
    finally:
        for running in (server, bare_server):
            if running is not None:
                stop(running)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
