"""The benchmark's data set: built once with `generate_synthetic` into a database of its own, kept as a
pg_dump (custom format) under bench/.data/, restored from it on later runs.

The dump is named by size and by a hash of the generator's sources (bench.stats.dataset_name), so a change
to the generator makes a new one. The database carries the same name as its comment: a database whose
comment matches is used as it is (a run adds only its keys, sessions, read-log rows and reports to it).
"""

import json
import re
import subprocess
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2

from bench.stats import dataset_name, sources_digest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
GENERATOR_SOURCES = [
    ROOT / "cases" / "synthetic.py",
    ROOT / "cases" / "synthetic_names.py",
    ROOT / "cases" / "management" / "commands" / "generate_synthetic.py",
]
SEED = 1


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _database(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"BENCH_DATABASE_URL must name a database of letters, digits and _: {url}")
    return name


def _admin_url(url: str) -> str:
    """The same server's `postgres` database, to create and drop the bench database from."""
    parts = urlsplit(url)
    return parts._replace(path="/postgres").geturl()


@contextmanager
def connect(url: str):
    """A psycopg2 connection in autocommit (CREATE/DROP DATABASE and VACUUM run outside transactions)."""
    with closing(psycopg2.connect(url)) as conn:
        conn.autocommit = True
        with conn.cursor() as cursor:
            yield cursor


def _comment(url: str) -> str | None:
    name = _database(url)
    with connect(_admin_url(url)) as conn:
        conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        )
        row = conn.fetchone()
    return None if row is None else (row[0] or "")


def _recreate(url: str) -> None:
    from django.db import connections

    connections.close_all()
    name = _database(url)
    with connect(_admin_url(url)) as conn:
        # The name is checked above (letters, digits and _ only): it cannot close the identifier.
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _set_comment(url: str, text: str) -> None:
    name = _database(url)
    with connect(_admin_url(url)) as conn:
        literal = conn.mogrify("%s", [text]).decode()
        conn.execute(f'COMMENT ON DATABASE "{name}" IS {literal}')


def _manage(args: list[str], env: dict) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def _prepare(url: str) -> dict:
    """What synthetic data lacks for the benchmark: a partners consent for every third person (a partner
    finds by name only people whose consent allows it), then planner statistics for the fresh rows."""
    from django.db import connections

    from bench.api_latency import _consents

    _consents()  # through the ORM, in this process (Django is set up on the same database)
    connections.close_all()
    with connect(url) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("SELECT (SELECT count(*) FROM people_person), (SELECT count(*) FROM cases_detention)")
        people, detentions = conn.fetchone()
    return {"people": people, "detentions": detentions}


def ensure(*, url: str, people: int, env: dict, fresh: bool = False) -> dict:
    """The data set of `people` people in database `url`, built or restored as needed; returns its facts
    (people, detentions, and how fast generate_synthetic wrote it when it was built)."""
    digest = sources_digest(GENERATOR_SOURCES)
    name = dataset_name(people, digest)
    dump, meta_path = DATA / f"{name}.dump", DATA / f"{name}.json"
    DATA.mkdir(parents=True, exist_ok=True)
    env = {**env, "DATABASE_URL": url}
    if not fresh and _comment(url) == f"kuzet-bench {name}" and meta_path.exists():
        log(f"database {_database(url)} already holds {name}")
        _manage(["migrate", "--noinput", "-v", "0"], env)
        return json.loads(meta_path.read_text())
    _recreate(url)
    if dump.exists() and meta_path.exists():
        log(f"restoring {dump.name} …")
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            ["pg_restore", "--no-owner", "--jobs", "2", "--exit-on-error", "-d", url, str(dump)],  # noqa: S607
            check=True,
        )
        log(f"  restored in {time.perf_counter() - started:.0f} s")
        _manage(["migrate", "--noinput", "-v", "0"], env)
        with connect(url) as conn:
            conn.execute("ANALYZE")
        meta = json.loads(meta_path.read_text())
    else:
        log(f"building {name}: generate_synthetic --people {people} --seed {SEED} …")
        _manage(["migrate", "--noinput", "-v", "0"], env)
        started = time.perf_counter()
        output = _manage(["generate_synthetic", "--people", str(people), "--seed", str(SEED), "-v", "0"], env)
        seconds = time.perf_counter() - started
        rows = int(re.search(r"; (\d+) rows in", output).group(1))
        meta = {
            "name": name,
            "generator_digest": digest,
            "seed": SEED,
            "generate_seconds": round(seconds, 1),
            "generate_rows": rows,
            "generate_rows_per_s": round(rows / seconds),
            "generate_people_per_s": round(people / seconds),
            "generate_output": output.strip(),
            **_prepare(url),
        }
        log(f"  {output.strip()}")
        log(f"dumping to {dump.name} …")
        command = ["pg_dump", "--format", "custom", "--no-owner", "-f", str(dump), url]
        subprocess.run(command, check=True)  # noqa: S603 (the PostgreSQL client on PATH)
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    _set_comment(url, f"kuzet-bench {name}")
    return meta


def drop(url: str) -> None:
    name = _database(url)
    with connect(_admin_url(url)) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
