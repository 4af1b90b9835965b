"""Concurrent writes on SQLite: N report posts at once through gunicorn; every one must be kept.

Run: .venv/bin/python bench/writes.py [--posts 200] [--workers 2 8] [--json]

For each way of naming the SQLite file (SQLITE_PATH, and DATABASE_URL=sqlite:///...) and each
worker count, it serves a migrated production-mode site with gunicorn on 127.0.0.1, fires
`--posts` "report incorrect information" posts at the same moment (one thread each), then
counts the answers and the rows stored. A post answered with anything but the redirect to the
thank-you page, or a row missing, is a lost write. Figures are printed; nothing is asserted
(tests/test_concurrent_writes.py runs a short form and asserts that nothing is lost).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ("SQLITE_PATH", "DATABASE_URL")
# Migrate and seed in one process: each Django start costs about a second.
MIGRATE_AND_SEED = (
    "from django.core.management import call_command; "
    "call_command('migrate', interactive=False, verbosity=0); "
    "from careatlas.providers.models import Practitioner; "
    "Practitioner.objects.create(npi='1234567893', first_name='Wren', last_name='Writes')"
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200, help="posts fired at once")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 8], help="gunicorn workers")
    parser.add_argument("--forms", nargs="+", default=list(FORMS), choices=FORMS)
    parser.add_argument("--json", action="store_true", help="print one JSON line per run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and logs")
    parser.add_argument(
        "--environment",
        default="production",
        choices=["production", "development"],
        help="CAREATLAS_ENV of the served site (development skips collectstatic: the CI form)",
    )
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(database: Path, form: str, port: int, environment: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH"}}
    env.update(
        CAREATLAS_ENV=environment,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        BEHIND_TLS_PROXY="0",
        SITE_URL=f"http://127.0.0.1:{port}",
        STATIC_ROOT=str(database.parent / "static"),
        PROVIDER_REPORTS_PER_HOUR="0",  # the rate limit would (rightly) refuse most posts
        RATE_LIMIT_STORE="database",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    if form == "SQLITE_PATH":
        env["SQLITE_PATH"] = str(database)
    else:
        env["DATABASE_URL"] = f"sqlite:///{database}"
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def template_database(folder: Path, environment: str) -> tuple[Path, str]:
    """A migrated database with one practitioner, copied for each run; and the NPI."""
    database = folder / "template.sqlite3"
    env = site_env(database, "SQLITE_PATH", 8000, environment)
    manage(env, "shell", "-c", MIGRATE_AND_SEED)
    if environment == "production":
        manage(env, "collectstatic", "--noinput", "-v0")
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        npi = db.execute("SELECT npi FROM providers_practitioner WHERE active LIMIT 1").fetchone()
    if npi is None:
        sys.exit("no practitioner was seeded")
    return database, npi[0]


def start(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "careatlas.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--backlog", "2048"]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit(f"gunicorn did not come up:\n{log.read_text(errors='replace')[-3000:]}")


def form_page(port: int, path: str) -> tuple[str, str, str]:
    """The CSRF cookie and form token a browser would get from a form page, and its HTML."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    html = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not (cookie and token):
        sys.exit(f"no CSRF token on {path} (status {response.status})")
    return cookie.group(1), token.group(1), html


def form_token(port: int, path: str) -> tuple[str, str]:
    """The CSRF cookie and form token a browser would get from the report page."""
    cookie, token, _html = form_page(port, path)
    return cookie, token


def fire(port: int, path: str, posts: int) -> dict[str, int]:
    cookie, token = form_token(port, path)
    answers: dict[str, int] = {}
    lock = threading.Lock()
    gate = threading.Barrier(posts)

    def post(number: int) -> None:
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "fact": "other",
                "details": f"Concurrent write number {number}.",
                "contact": "",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": f"http://127.0.0.1:{port}{path}",
        }
        gate.wait()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request("POST", path, body=body, headers=headers)
            outcome = str(connection.getresponse().status)
        except OSError as exc:
            outcome = type(exc).__name__
        with lock:
            answers[outcome] = answers.get(outcome, 0) + 1

    threads = [threading.Thread(target=post, args=(n,)) for n in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def one_run(template: Path, npi: str, form: str, workers: int, args, folder: Path) -> dict:
    posts = args.posts
    database = folder / f"{form.lower()}-{workers}.sqlite3"
    shutil.copyfile(template, database)
    port = free_port()
    env = site_env(database, form, port, args.environment)
    server = start(env, port, workers, folder / f"{form.lower()}-{workers}.log")
    started = time.perf_counter()
    try:
        answers = fire(port, f"/providers/{npi}/report/", posts)
    finally:
        seconds = time.perf_counter() - started
        server.terminate()
        server.wait(timeout=30)
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT count(*) FROM providers_incorrectinforeport").fetchone()[0]
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
    return {
        "form": form,
        "workers": workers,
        "posts": posts,
        "kept": answers.get("302", 0),
        "stored": stored,
        "lost": posts - stored,
        "answers": answers,
        "journal_mode": journal,
        "seconds": round(seconds, 2),
    }


def report(result: dict, as_json: bool, line: str) -> None:
    """One run's figures: a JSON line, or the line for people."""
    print(json.dumps(result) if as_json else line, flush=True)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="careatlas-bench-writes-"))
    try:
        template, npi = template_database(folder, args.environment)
        for form in args.forms:
            for workers in args.workers:
                result = one_run(template, npi, form, workers, args, folder)
                report(
                    result,
                    args.json,
                    f"{form:<13} {workers:>2} workers: {result['posts']} posts, "
                    f"{result['stored']} stored, {result['lost']} lost, answers "
                    f"{result['answers']}, journal {result['journal_mode']}, "
                    f"{result['seconds']} s",
                )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
