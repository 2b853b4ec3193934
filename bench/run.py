"""`make bench` (`python -m bench`): the scale benchmark of issue 9 against the app as it runs in production.

    BENCH_PEOPLE=20000 make bench          # a few minutes; the default is 300 000 people (~0.9 M detentions)

1. The data set: bench.dataset builds it once with `generate_synthetic` (timed: rows/s) into
   BENCH_DATABASE_URL and keeps a pg_dump under bench/.data/, or restores it from there.
2. The app: gunicorn as in the Dockerfile (3 sync workers, DEBUG off, static files by WhiteNoise) on a free
   loopback port, and a Celery worker as in docker-compose.yml on Redis (BENCH_REDIS_URL).
3. Latency: each endpoint `--requests` times in a row after `--warmup` requests, over HTTP, with a partner's
   API key or a staff session; beside it the same rows fetched by hand-written SQL on a raw psycopg cursor.
4. Throughput: locust, headless, a mixed read load for `--load-seconds`.
5. The yearly report of each of the five bodies, queued one after another, each timed from queue to review.
6. Peak RSS of the gunicorn workers and of the Celery worker; then `import_detentions` on a fresh database.

Prints one table and writes bench/results/latest.json. Timings are for reading, never for asserting.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench import dataset, processes, raw_sql
from bench.stats import latency_summary, ratio, results_missing, table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kuzet_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/10"
PARTNER_LEVELS = ("public", "partners")
STAFF_LEVELS = ("public", "partners", "internal")
YEAR = 2024  # the dashboard's and the reports' year: the synthetic data covers 2011–2025
log = dataset.log


def bench_env(database_url: str, redis_url: str) -> dict:
    """The production settings (DEBUG off), with what a loopback benchmark cannot have: plain HTTP, and a
    rate limit far above what the load sends. The secrets are throwaway ones for a throwaway database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key-for-a-throwaway-database"),
        "FIELD_ENCRYPTION_KEY": "ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtMDA=",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "API_THROTTLE_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }


# -- who asks ---------------------------------------------------------------------------------------------


def credentials() -> dict:
    """A partner's API key, and a monitor's session cookie (a staff user, as the pages need)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from core.roles import Role
    from core.services import api_key_create

    staff, _created = get_user_model().objects.get_or_create(
        username="bench-monitor", defaults={"is_staff": True}
    )
    staff.groups.add(Group.objects.get(name=Role.MONITOR))
    partner_key = api_key_create(partner="Bench partner", scope="read", expires_at=None, created_by=None)[1]
    client = Client()
    client.force_login(staff)
    second_factor(client, staff)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return {"staff": staff, "partner_key": partner_key, "cookie": cookie}


def second_factor(client, user) -> None:
    """Pass the second factor in the client's session, as a monitor with an authenticator app would (the
    pages require it when two-factor authentication is on)."""
    from django.apps import apps

    if not apps.is_installed("django_otp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def revoke_keys() -> None:
    from core.models import ApiKey
    from core.services import api_key_revoke

    for api_key in ApiKey.objects.filter(revoked=False, user__username="partner-bench-partner"):
        api_key_revoke(api_key=api_key, by=None)


# -- what is asked ----------------------------------------------------------------------------------------


def history_person() -> dict:
    """The person a history page is timed on: the most detentions among people with a legal case (a long
    page), the first by id among equals; and 200 others for the load's person pages."""
    from django.db.models import Count

    from people.models import Person

    busiest = (
        Person.objects.filter(is_deleted=False, confidentiality__in=STAFF_LEVELS, legal_cases__isnull=False)
        .annotate(n=Count("detentions", distinct=True))
        .order_by("-n", "id")
        .values("id", "uid", "n")
        .first()
    )
    visible = Person.objects.filter(is_deleted=False, confidentiality__in=STAFF_LEVELS).order_by("id")
    others = [str(uid) for uid in visible.values_list("uid", flat=True)[:200]]
    return {"id": busiest["id"], "uid": str(busiest["uid"]), "detentions": busiest["n"], "sample": others}


def endpoints(parameters: dict, person: dict) -> list[dict]:
    """One entry per measured URL: how it is asked (path, who) and the raw SQL for the same rows."""
    city, since = parameters["city"]["uid"], parameters["detained_from"]
    year = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
    return [
        {
            "name": "api detentions",
            "path": "/api/v1/detentions/?" + urlencode({"detained_from": since, "place": city}),
            "who": "partner",
            "sql": raw_sql.detentions(place=city, since=since, levels=PARTNER_LEVELS),
        },
        {
            "name": "api people search cyr",
            "path": "/api/v1/people/?" + urlencode({"search": parameters["cyrillic"]}),
            "who": "partner",
            "sql": raw_sql.search(parameters["cyrillic"], partner=True),
        },
        {
            "name": "api people search lat",
            "path": "/api/v1/people/?" + urlencode({"search": parameters["latin"]}),
            "who": "partner",
            "sql": raw_sql.search(parameters["latin"], partner=True),
        },
        {
            "name": "person history page",
            "path": f"/people/{person['uid']}/",
            "who": "staff",
            "sql": raw_sql.person_history(person_id=person["id"], levels=STAFF_LEVELS),
        },
        {
            "name": "search page",
            "path": "/search/?" + urlencode({"q": parameters["cyrillic"]}),
            "who": "staff",
            "sql": raw_sql.search(parameters["cyrillic"], partner=False, limit=25),
        },
        {
            "name": "dashboard one year",
            "path": "/dashboard/?" + urlencode(year),
            "who": "staff",
            "sql": raw_sql.dashboard(start=year["from"], end=year["to"], levels=STAFF_LEVELS),
        },
    ]


def headers_for(who: str, creds: dict) -> dict:
    if who == "partner":
        return {"Authorization": f"Bearer {creds['partner_key']}", "Accept": "application/json"}
    return {"Cookie": creds["cookie"], "Accept-Language": "en"}


# -- timing -----------------------------------------------------------------------------------------------


def http_get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    """One GET on a new connection (gunicorn's sync workers close each one, as behind a proxy)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


MIN_SAMPLES = 20


def time_http(port: int, path: str, headers: dict, *, requests: int, warmup: int, budget: float) -> dict:
    """`requests` timed GETs after `warmup` untimed ones. A slow page stops warming up after a quarter of
    `budget` seconds, and timing after `budget` seconds (with MIN_SAMPLES at least): one slow page does not
    hold the run for long, and its figures say how many samples they come from."""
    deadline = time.perf_counter() + budget / 4
    for i in range(warmup):
        if i and time.perf_counter() > deadline:
            break
        status, body = http_get(port, path, headers)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    samples = []
    deadline = time.perf_counter() + budget
    for _ in range(requests):
        if len(samples) >= MIN_SAMPLES and time.perf_counter() > deadline:
            break
        started = time.perf_counter()
        status, body = http_get(port, path, headers)
        samples.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    return latency_summary(samples)


def time_sql(url: str, statements: list[tuple[str, dict]], *, requests: int, warmup: int) -> dict:
    """The statements in a row on one psycopg connection, all rows fetched, timed together."""
    samples, rows = [], 0
    with dataset.connect(url) as cursor:
        for i in range(warmup + requests):
            started = time.perf_counter()
            rows = 0
            for sql, params in statements:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
            if i >= warmup:
                samples.append(time.perf_counter() - started)
    return {**latency_summary(samples), "rows": rows}


def query_count(path: str, who: str, creds: dict) -> int:
    """SQL statements one request costs, counted in this process through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT="application/json" if who == "partner" else "text/html")
    if who == "partner":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {creds['partner_key']}"
    else:
        client.force_login(creds["staff"])
        second_factor(client, creds["staff"])
    client.get(path)  # the first request may fill caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code} in-process")
    return len(captured)


def measure(case: dict, port: int, database_url: str, creds: dict, args) -> dict:
    """One endpoint's entry: the app's and the raw SQL's latency, their ratio, the query count. An endpoint
    that fails (an error answer, a worker killed at gunicorn's 30 s timeout) gets its error and no figures,
    and the run goes on."""
    sql = time_sql(database_url, case["sql"], requests=args.requests, warmup=args.warmup)
    entry = {"url": case["path"], "who": case["who"]}
    try:
        app = time_http(
            port,
            case["path"],
            headers_for(case["who"], creds),
            requests=args.requests,
            warmup=args.warmup,
            budget=args.endpoint_seconds,
        )
    except (RuntimeError, OSError) as error:
        log(f"  {case['name']}: FAILED {error}")
        return {**entry, "error": str(error)[:300], "p50_ms": None, "p95_ms": None, "p99_ms": None,
                "raw_sql_p95_ms": sql["p95_ms"], "ratio": None, "queries": None}  # fmt: skip
    log(f"  {case['name']}: p95 {app['p95_ms']} ms (SQL {sql['p95_ms']} ms)")
    return {
        **entry,
        **app,
        "raw_sql_p50_ms": sql["p50_ms"],
        "raw_sql_p95_ms": sql["p95_ms"],
        "raw_sql_rows": sql["rows"],
        "ratio": ratio(app["p95_ms"], sql["p95_ms"]),
        "queries": query_count(case["path"], case["who"], creds),
    }


# -- load ---------------------------------------------------------------------------------------------------


def mixed_load(port: int, cases: list[dict], creds: dict, person: dict, *, seconds: int, users: int) -> dict:
    """locust headless on the mixed read load of bench/locustfile.py; requests per second and failures."""
    plan = {
        "cases": [{"name": c["name"], "path": c["path"], "who": c["who"]} for c in cases],
        "partner_key": creds["partner_key"],
        "cookie": creds["cookie"],
        "people": person["sample"],
    }
    with tempfile.TemporaryDirectory() as folder:
        plan_file = Path(folder) / "plan.json"
        plan_file.write_text(json.dumps(plan))
        prefix = Path(folder) / "load"
        command = [
            str(processes.BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ]
        plan_env = {**os.environ, "BENCH_PLAN": str(plan_file), "PYTHONPATH": str(ROOT)}
        subprocess.run(command, cwd=ROOT, env=plan_env, check=True, capture_output=True, text=True)  # noqa: S603
        import csv

        with open(f"{prefix}_stats.csv", newline="") as handle:
            rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {
        "throughput_rps": round(float(total["Requests/s"]), 1),
        "errors": int(total["Failure Count"]),
        "requests": int(total["Request Count"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "users": users,
        "seconds": seconds,
        "per_endpoint": {
            row["Name"]: {"requests": int(row["Request Count"]), "rps": round(float(row["Requests/s"]), 1)}
            for row in rows
            if row["Name"] != "Aggregated"
        },
    }


# -- reports ------------------------------------------------------------------------------------------------


def yearly_reports(person: dict, timeout: float) -> dict:
    """Each of the five bodies' definitions queued for the year, one after another, through the Celery
    worker; seconds from the queue to `review`, per definition."""
    from people.models import ConsentRecord, Person
    from reports.models import Report, ReportDefinition, ReportKind, ReportStatus
    from reports.services.queue import report_queue

    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    seconds = {}
    for definition in ReportDefinition.objects.filter(is_active=True).order_by("slug"):
        subject = None
        if definition.kind == ReportKind.INDIVIDUAL:
            subject = Person.objects.get(pk=person["id"])
            ConsentRecord.objects.get_or_create(
                person=subject,
                scope=definition.consent_scope,
                how_recorded="bench",
                defaults={"given_on": dt.date(2020, 1, 1), "full_name_allowed": True},
            )
        started = time.perf_counter()
        report = report_queue(
            user=None, definition=definition, period_start=start, period_end=end, person=subject
        )
        while True:
            status = Report.objects.filter(pk=report.pk).values_list("status", flat=True).get()
            if status in (ReportStatus.REVIEW, ReportStatus.FAILED):
                break
            if time.perf_counter() - started > timeout:
                status = "timeout"
                break
            time.sleep(0.1)
        elapsed = round(time.perf_counter() - started, 1)
        seconds[definition.slug] = elapsed if status == ReportStatus.REVIEW else f"{status} after {elapsed}"
        log(f"  {definition.slug}: {seconds[definition.slug]} s")
    return seconds


# -- import -------------------------------------------------------------------------------------------------


def import_rate(database_url: str, env: dict, rows: int) -> dict:
    """bench.import_rate on a fresh database beside the bench one (dropped afterwards)."""
    url = re.sub(r"/([A-Za-z0-9_]+)$", r"/\1_import", database_url)
    dataset._recreate(url)
    try:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.import_rate", "--rows", str(rows)],
            cwd=ROOT,
            env={**env, "DATABASE_URL": url},
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        dataset.drop(url)
    match = re.search(r"(\d+) rows imported in ([\d.]+) s: (\d+) rows/s", result.stdout)
    return {
        "import_rows": int(match.group(1)),
        "import_seconds": float(match.group(2)),
        "import_rows_per_s": int(match.group(3)),
    }


# -- the run ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=int(os.environ.get("BENCH_PEOPLE", 300_000)))
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint (200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first (20)")
    parser.add_argument(
        "--endpoint-seconds", type=float, default=60, help="stop timing a slow endpoint after this (60)"
    )
    parser.add_argument("--load-seconds", type=int, default=30, help="length of the mixed load (30)")
    parser.add_argument("--load-users", type=int, default=16, help="locust users, none waiting (16)")
    parser.add_argument("--import-rows", type=int, default=2000, help="rows of the import timing (2000)")
    parser.add_argument("--report-timeout", type=float, default=900, help="seconds per report at most")
    parser.add_argument("--fresh", action="store_true", help="restore even if the database has it")
    parser.add_argument("--skip", action="append", default=[], choices=["load", "reports", "import"])
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    # A SIGTERM (kill, a CI timeout) unwinds like Ctrl-C: gunicorn and the worker are stopped, keys revoked.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    env = bench_env(database_url, redis_url)
    os.environ.update(env)
    import django

    django.setup()
    from bench.api_latency import _parameters

    meta = dataset.ensure(url=database_url, people=args.people, env=env, fresh=args.fresh)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    creds = credentials()
    parameters = _parameters("2015-01-01")
    person = history_person()
    cases = endpoints(parameters, person)
    logs = dataset.DATA / urlsplit(database_url).path.lstrip("/")  # its gunicorn and Celery logs
    results: dict = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "people": meta["people"],
        "detentions": meta["detentions"],
        "dataset": meta.get("name"),
        "parameters": {
            **parameters,
            "person": person["uid"],
            "person_detentions": person["detentions"],
            "year": YEAR,
        },
    }
    web = processes.gunicorn(env, processes.free_port(), Path(f"{logs}-gunicorn.log"))
    port = int(web.process.args[web.process.args.index("--bind") + 1].rsplit(":", 1)[1])
    worker = None
    try:
        log(f"gunicorn on 127.0.0.1:{port}; timing {len(cases)} endpoints × {args.requests} …")
        results["endpoints"] = {}
        for case in cases:
            results["endpoints"][case["name"]] = measure(case, port, database_url, creds, args)
        if "load" not in args.skip:
            log(f"mixed load: {args.load_users} locust users for {args.load_seconds} s …")
            load = mixed_load(port, cases, creds, person, seconds=args.load_seconds, users=args.load_users)
            results.update(throughput_rps=load["throughput_rps"], errors=load["errors"], load=load)
        else:
            results.update(throughput_rps=None, errors=None)
        results["gunicorn_rss_mb"] = web.peak_rss_mb()["largest_child_mb"]
        if "reports" not in args.skip:
            worker = processes.celery_worker(env, Path(f"{logs}-celery.log"))
            log("yearly reports through the Celery worker …")
            each = yearly_reports(person, args.report_timeout)
            done = [s for s in each.values() if isinstance(s, float)]
            results.update(
                report_seconds=max(done) if len(done) == len(each) else None, report_seconds_each=each
            )
            results["worker_rss_mb"] = worker.peak_rss_mb()["largest_child_mb"]
            results["celery_main_rss_mb"] = worker.peak_rss_mb()["main_mb"]
        else:
            results.update(report_seconds=None, worker_rss_mb=None)
    finally:
        web.stop()
        if worker:
            worker.stop()
        revoke_keys()
    results.update(
        {
            k: meta.get(k)
            for k in ("generate_seconds", "generate_rows", "generate_rows_per_s", "generate_people_per_s")
        }
    )
    if "import" not in args.skip:
        log(f"import_detentions of {args.import_rows} rows on a fresh database …")
        results.update(import_rate(database_url, env, args.import_rows))
    with __import__("django.db").db.connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "postgresql": server,
        "gunicorn_workers": processes.GUNICORN_WORKERS,
        "celery_concurrency": processes.CELERY_CONCURRENCY,
    }
    results["load_average"] = [round(x, 2) for x in os.getloadavg()]
    missing = results_missing(results)
    if missing:
        log(f"results lack: {', '.join(missing)}")
    print(table(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    log(f"written to {args.output}")
