"""Latency of the partner API on a large synthetic database, beside the same rows fetched by hand-written SQL.

    DATABASE_URL=postgres://…/kuzet_bench python -m bench.api_latency --people 100000

Fills the database with `generate_synthetic` up to `--people` people when it has fewer (and gives a third of
them a partners consent, which synthetic data lacks, so that a partner's name search finds someone), then
times, in-process through Django's test Client with a partner's key and a staff key:

- `/api/v1/detentions/?detained_from=…&place=<city uid>`, a page of 50;
- `/api/v1/people/?search=<Cyrillic name>` and `?search=<the same name in Latin>`;

each `--requests` times after `--warmup` requests, and the same pages fetched by one hand-written SQL query
each on a raw psycopg cursor. Prints one table and writes bench/results/latest-api.json. Timings are for
reading, never for asserting: they depend on the machine.
"""

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "latest-api.json"
PARTNER_LEVELS = ("public", "partners")
STAFF_LEVELS = ("public", "partners", "internal")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not (os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")):
        # A throwaway bench database: the development secrets are enough (DEBUG goes off again below).
        os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log: it would cost time and memory on every request
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.API_THROTTLE_RATE = "1000000/minute"  # thousands of requests a minute here, on purpose


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _fill(people: int, seed: int) -> int:
    """Bring the database up to `people` people; returns how many there are."""
    from cases.synthetic import synthetic_generate
    from people.models import Person

    have = Person.objects.count()
    if have < people:
        _log(f"{have} people in the database, generating {people - have} more (seed {seed + have}) …")
        started = time.perf_counter()
        synthetic_generate(
            people=people - have,
            seed=seed + have,  # a seed of its own per top-up: a seed's rows can be written once only
            progress=lambda done, total: _log(
                f"  {done}/{total} people, {time.perf_counter() - started:.0f} s"
            ),
        )
    return Person.objects.count()


def _consents() -> int:
    """Synthetic people have no consent, so a partner would find nobody by name: give every third person a
    partners consent with the full name (deterministic: by id). Only where no partners consent exists."""
    from people.models import ConsentRecord, ConsentScope, Person

    if ConsentRecord.objects.filter(scope=ConsentScope.PARTNERS).exists():
        return ConsentRecord.objects.filter(scope=ConsentScope.PARTNERS).count()
    _log("giving every third person a partners consent …")
    ids = Person.objects.order_by("id").values_list("id", flat=True)
    rows = [
        ConsentRecord(
            person_id=pk,
            scope=ConsentScope.PARTNERS,
            given_on=dt.date(2020, 1, 1),
            how_recorded="bench",
            full_name_allowed=True,
        )
        for pk in ids.iterator()
        if pk % 3 == 0
    ]
    ConsentRecord.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _keys() -> dict[str, str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.roles import Role
    from core.services import api_key_create

    staff, _created = get_user_model().objects.get_or_create(
        username="bench-monitor", defaults={"is_staff": True}
    )
    staff.groups.add(Group.objects.get(name=Role.MONITOR))
    partner_key = api_key_create(partner="Bench partner", scope="read", expires_at=None, created_by=None)[1]
    staff_key = api_key_create(partner=None, user=staff, scope="read", expires_at=None, created_by=None)[1]
    return {"partner": partner_key, "staff": staff_key}


def _revoke_keys() -> None:
    from core.models import ApiKey
    from core.services import api_key_revoke

    for api_key in ApiKey.objects.filter(
        revoked=False, user__username__in=["bench-monitor", "partner-bench-partner"]
    ):
        api_key_revoke(api_key=api_key, by=None)


def _parameters(detained_from: str) -> dict:
    """The city with the most detentions, and a name to search for: the full name of the first person a
    partner may find (visible to partners, with consent) that has a Latin spelling too."""
    from django.db.models import Count

    from cases.models import Detention
    from events.models import Place, PlaceKind
    from people.models import NameKind, NameScript, PersonName

    city_id = (
        Detention.objects.filter(place__kind=PlaceKind.CITY)
        .values("place")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("place", flat=True)
        .first()
    )
    city = Place.objects.get(pk=city_id)
    latin = (
        PersonName.objects.filter(
            kind=NameKind.TRANSLIT,
            script=NameScript.LATIN,
            person__confidentiality__in=PARTNER_LEVELS,
            person__is_deleted=False,
            person__consents__scope="partners",
            person__full_name__regex=r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+ [А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+$",
        )
        .select_related("person")
        .order_by("person_id")
        .first()
    )
    return {
        "city": {"uid": str(city.uid), "name": city.name_en},
        "detained_from": detained_from,
        "cyrillic": latin.person.full_name,
        "latin": latin.text,
    }


def _summary(samples: list[float]) -> dict:
    ms = sorted(s * 1000 for s in samples)
    return {
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(statistics.quantiles(ms, n=100)[94], 2),
        "min_ms": round(ms[0], 2),
        "max_ms": round(ms[-1], 2),
    }


def _time_api(url: str, params: dict, key: str, *, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT="application/json")
    for _ in range(warmup):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params, response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    queries = len(captured)  # now: every later request clears the log the context reads
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, params)
        samples.append(time.perf_counter() - started)
    uids = [row["id"] for row in response.json()["results"]]
    return {**_summary(samples), "rows": len(uids), "queries": queries, "uids": uids}


# -- the same pages in hand-written SQL ------------------------------------------------------------------

DETENTIONS_SQL = """
    WITH RECURSIVE tree AS (
        SELECT id FROM events_place WHERE uid = %(place)s
        UNION ALL
        SELECT child.id FROM events_place child JOIN tree ON child.parent_id = tree.id
    )
    SELECT d.uid, d.detained_at, d.procedural_status, d.outcome, d.confidentiality,
           p.uid AS person_uid, p.full_name, pl.uid AS place_uid, pl.name_en AS place_name,
           a.uid AS assembly_uid, a.title AS assembly_title
      FROM cases_detention d
      JOIN people_person p ON p.id = d.person_id
      LEFT JOIN events_place pl ON pl.id = d.place_id
      LEFT JOIN events_assembly a ON a.id = d.assembly_id
     WHERE NOT d.is_deleted AND d.confidentiality = ANY(%(levels)s)
       AND NOT p.is_deleted AND p.confidentiality = ANY(%(levels)s)
       AND (d.assembly_id IS NULL OR (NOT a.is_deleted AND a.confidentiality = ANY(%(levels)s)))
       AND (d.detained_at AT TIME ZONE %(zone)s)::date >= %(since)s
       AND (d.place_id IN (SELECT id FROM tree)
            OR (d.place_id IS NULL AND a.place_id IN (SELECT id FROM tree)))
     ORDER BY d.id
     LIMIT 50
"""


class _Conditions:
    """SQL conditions over bound parameters: the text holds placeholders only, every value is a parameter."""

    def __init__(self, params: dict):
        self.params = params

    def join(self, joiner: str, template: str, values: list[str]) -> str:
        parts = []
        for value in values:
            name = f"p{len(self.params)}"
            self.params[name] = value
            parts.append(template.format(p=f"%({name})s"))
        return "(" + f" {joiner} ".join(parts) + ")"

    def inside(self, tokens: list[str], stem) -> str:
        """Each token, or its stem, occurs inside the key."""
        like = "p.search_key LIKE {p}"
        return " AND ".join(self.join("OR", like, [f"%{t}%", f"%{stem(t)}%"]) for t in tokens)


def _search_sql(text: str, *, partner: bool) -> tuple[str, dict]:
    """people.search.person_search as one query: whole tokens rank 2, tokens (or their stems) inside the key
    rank 1, trigram word similarity rank 0; for a partner only people with a full-name partners consent."""
    from people import names

    keys = names.name_keys(text)
    tokens = [*keys.tokens, *keys.patronymics]
    conditions = _Conditions({"levels": list(PARTNER_LEVELS if partner else STAFF_LEVELS)})
    exact = conditions.join("AND", "' ' || p.search_key || ' ' LIKE {p}", [f"% {t} %" for t in tokens])
    partial = f"({conditions.inside(tokens, names.token_stem)})"
    if keys.alternative != keys.primary:
        alternative = [*keys.alternative.split(" "), *keys.patronymics]
        partial = f"({partial} OR ({conditions.inside(alternative, names.token_stem)}))"
    near = conditions.join("AND", "{p} <%% p.search_key", tokens)
    consent = (
        """AND EXISTS (SELECT 1 FROM people_consentrecord c
                        WHERE c.person_id = p.id AND c.scope = 'partners' AND c.withdrawn_on IS NULL
                          AND NOT c.is_deleted AND c.full_name_allowed)"""
        if partner
        else ""
    )
    # Only fixed fragments and placeholders are put together here; every value is a bound parameter.
    sql = f"""
        SELECT p.uid, p.full_name,
               CASE WHEN {exact} THEN 2 WHEN {partial} THEN 1 ELSE 0 END AS rank
          FROM people_person p
         WHERE NOT p.is_deleted AND p.confidentiality = ANY(%(levels)s) {consent}
           AND ({partial} OR {near})
         ORDER BY rank DESC, p.id
         LIMIT 50
    """  # noqa: S608
    return sql, conditions.params


def _time_sql(sql: str, params: dict, *, requests: int, warmup: int) -> dict:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection itself: no Django cursor wrapper in the way
    samples = []
    with raw.cursor() as cursor:
        for _ in range(warmup):
            cursor.execute(sql, params)
            cursor.fetchall()
        for _ in range(requests):
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            samples.append(time.perf_counter() - started)
    return {**_summary(samples), "rows": len(rows), "queries": 1, "uids": [str(row[0]) for row in rows]}


def _cases(parameters: dict) -> list[dict]:
    detentions = {"detained_from": parameters["detained_from"], "place": parameters["city"]["uid"]}
    detention_sql = {
        "place": parameters["city"]["uid"],
        "since": parameters["detained_from"],
        "zone": "Asia/Almaty",
    }
    cases = []
    for who, levels in (("partner", PARTNER_LEVELS), ("staff", STAFF_LEVELS)):
        cases.append(
            {
                "name": f"detentions, {who}",
                "url": "/api/v1/detentions/",
                "params": detentions,
                "key": who,
                "sql": (DETENTIONS_SQL, {**detention_sql, "levels": list(levels)}),
            }
        )
    for script in ("cyrillic", "latin"):
        for who in ("partner", "staff"):
            cases.append(
                {
                    "name": f"people ?search= {script}, {who}",
                    "url": "/api/v1/people/",
                    "params": {"search": parameters[script]},
                    "key": who,
                    "sql": _search_sql(parameters[script], partner=who == "partner"),
                }
            )
    return cases


def _table(results: list[dict]) -> str:
    columns = ("median ms", "p95 ms", "rows", "queries", "same rows")
    header = f"{'case':<34} {'how':<5} " + " ".join(
        f"{c:>{w}}" for c, w in zip(columns, (10, 9, 5, 8, 10), strict=True)
    )
    lines = [header, "-" * len(header)]
    for result in results:
        for how in ("api", "sql"):
            figures = result[how]
            same = "" if how == "api" else ("yes" if result["same_rows"] else "NO")
            lines.append(
                f"{result['name']:<34} {how:<5} {figures['median_ms']:>10.2f} {figures['p95_ms']:>9.2f} "
                f"{figures['rows']:>5} {figures['queries']:>8} {same:>10}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.api_latency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="people in the database (default 100000)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per case (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="generate_synthetic's seed (default 1)")
    parser.add_argument(
        "--detained-from", default="2015-01-01", help="the detentions filter (default 2015-01-01)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS})")
    args = parser.parse_args(argv)

    _setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench.api_latency needs PostgreSQL: set DATABASE_URL=postgres://…/kuzet_bench")
    call_command("migrate", interactive=False, verbosity=0)
    people = _fill(args.people, args.seed)
    consents = _consents()
    with connection.cursor() as cursor:
        # Fresh bulk inserts have no planner statistics yet (autovacuum would gather them in a while).
        cursor.execute("ANALYZE")
    parameters = _parameters(args.detained_from)
    keys = _keys()
    _log(f"{people} people; timing {len(_cases(parameters))} cases × {args.requests} requests …")
    results = []
    try:
        for case in _cases(parameters):
            api = _time_api(
                case["url"], case["params"], keys[case["key"]], requests=args.requests, warmup=args.warmup
            )
            sql = _time_sql(*case["sql"], requests=args.requests, warmup=args.warmup)
            results.append(
                {
                    "name": case["name"],
                    "url": case["url"],
                    "params": case["params"],
                    "same_rows": api.pop("uids") == sql.pop("uids"),
                    "api": api,
                    "sql": sql,
                }
            )
    finally:
        _revoke_keys()

    print(_table(results))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    report = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "people": people,
        "partner_consents": consents,
        "requests": args.requests,
        "warmup": args.warmup,
        "parameters": parameters,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "postgresql": server},
        "cache": settings.CACHES["default"]["BACKEND"],
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    _log(f"written to {args.output}")


if __name__ == "__main__":
    main()
