"""Concurrent consultation requests: N form submissions at once through gunicorn.

Run: .venv/bin/python bench/consultations.py [--posts 500] [--workers 4] [--databases sqlite]

For each database (a scratch SQLite file; the `careatlas_consultations_bench` PostgreSQL
database at --postgres, dropped and created), it migrates a production-mode site, creates one
claimed practice, serves it with gunicorn on 127.0.0.1, opens the request form once (for the
CSRF cookie and the signed start time), then sends `--posts` requests at the same moment (one
thread each, each from its own email address) and prints the answers, the rows stored, any
"database is locked" in the server log, and p50/p95 submit time. Rate limits are off and the
minimum fill time is 0 for the run. Figures are printed; nothing is asserted.
"""

import argparse
import http.client
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg
from writes import form_page, free_port, manage, report, site_env, start

SETUP = """
from careatlas.practices.claiming import open_claim, practice_for
from careatlas.practices.decisions import approve_claim
from django.contrib.auth.models import User
from careatlas.providers.models import Location, Practitioner, PractitionerRole
p = Practitioner.objects.create(npi='1234567893', first_name='Rhea', last_name='Requests')
loc = Location.objects.create(line1='1 Bench St', city='New York', state='NY', zip_code='10001',
    phone='2125550100')
PractitionerRole.objects.create(practitioner=p, location=loc, accepting_new_patients='newpt')
owner = User.objects.create_user('owner@bench.example', 'owner@bench.example', 'x' * 20)
approve_claim(open_claim(owner, practice_for(p), 'documents'))
print(loc.pk)
"""
COUNT = (
    "from careatlas.consultations.models import ConsultationRequest as R; print(R.objects.count())"
)
FORM = "/consultations/new/1234567893/"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=500, help="requests sent at once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--json", action="store_true", help="print one JSON line per run")
    return parser.parse_args(argv)


def environment(kind: str, folder: Path, port: int, args) -> dict[str, str]:
    env = site_env(folder / "bench.sqlite3", "SQLITE_PATH", port, "production")
    env.update(
        CONSULTATION_POSTS_PER_IP_HOUR="0",
        CONSULTATION_REQUESTS_PER_CONTACT_DAY="0",
        CONSULTATION_MIN_FILL_SECONDS="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    if kind == "postgresql":
        env.pop("SQLITE_PATH")
        env["DATABASE_URL"] = f"{args.postgres}/careatlas_consultations_bench"
    return env


def fresh_postgres(args) -> None:
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS careatlas_consultations_bench WITH (FORCE)")
        db.execute("CREATE DATABASE careatlas_consultations_bench")


def form_state(port: int) -> tuple[str, str, str]:
    """The CSRF cookie, form token and signed start time of the request form."""
    cookie, token, html = form_page(port, FORM)
    started = re.search(r'name="started" value="([^"]+)"', html)
    if not started:
        sys.exit(f"the request form did not render:\n{html[:2000]}")
    return cookie, token, started.group(1)


def fire(port: int, location: str, posts: int) -> tuple[dict[str, int], list[float]]:
    cookie, token, started = form_state(port)
    answers: dict[str, int] = {}
    seconds: list[float] = []
    lock = threading.Lock()
    gate = threading.Barrier(posts)

    def post(number: int) -> None:
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "started": started,
                "location": location,
                "payment": "self_pay",
                "contact_method": "email",
                "email": f"patient{number}@bench.example",
                "name": f"Patient {number}",
                "age_range": "40-64",
                "message": "A concurrent request.",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": f"http://127.0.0.1:{port}{FORM}",
            "Origin": f"http://127.0.0.1:{port}",
        }
        gate.wait()
        began = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
            connection.request("POST", FORM, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode(errors="replace")
            outcome = str(response.status) if "Request sent" in page else f"{response.status}-form"
        except OSError as exc:
            outcome = type(exc).__name__
        took = time.perf_counter() - began
        with lock:
            answers[outcome] = answers.get(outcome, 0) + 1
            seconds.append(took)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, seconds


def one_run(kind: str, args, folder: Path) -> dict:
    port = free_port()
    env = environment(kind, folder, port, args)
    if kind == "postgresql":
        fresh_postgres(args)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    location = manage(env, "shell", "-c", SETUP).strip().splitlines()[-1]
    log = folder / f"{kind}.log"
    server = start(env, port, args.workers, log)
    try:
        answers, seconds = fire(port, location, args.posts)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = int(manage(env, "shell", "-c", COUNT).strip().splitlines()[-1])
    quantiles = statistics.quantiles(seconds, n=20)
    return {
        "database": kind,
        "workers": args.workers,
        "posts": args.posts,
        "sent": answers.get("200", 0),
        "stored": stored,
        "errors": args.posts - answers.get("200", 0),
        "locked": log.read_text(errors="replace").count("database is locked"),
        "answers": answers,
        "p50_ms": round(statistics.median(seconds) * 1000),
        "p95_ms": round(quantiles[18] * 1000),
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="careatlas-bench-consultations-"))
    try:
        for kind in args.databases:
            result = one_run(kind, args, folder)
            report(
                result,
                args.json,
                f"{kind:<10} {result['workers']} workers: {result['posts']} sent at once, "
                f"{result['stored']} stored, {result['errors']} errors, "
                f"{result['locked']} 'database is locked', answers {result['answers']}, "
                f"submit p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms",
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
