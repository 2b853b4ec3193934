"""What `make bench` asks and what it compares with: every endpoint has a raw SQL floor that runs on
PostgreSQL and a weight in the mixed load, and the bench settings are production's with plain HTTP."""

import pytest
from django.db import connection

from bench import raw_sql, run
from bench.stats import LOAD_WEIGHTS

PARAMETERS = {
    "city": {"uid": "00000000-0000-0000-0000-000000000001", "name": "Almaty"},
    "detained_from": "2015-01-01",
    "cyrillic": "Алина Фролова",
    "latin": "Alina Frolova",
}
PERSON = {"id": 1, "uid": "00000000-0000-0000-0000-000000000002", "detentions": 3, "sample": []}


def test_each_measured_url_has_a_raw_sql_floor_and_a_place_in_the_load():
    cases = run.endpoints(PARAMETERS, PERSON)
    assert [case["name"] for case in cases] == list(LOAD_WEIGHTS)
    for case in cases:
        assert case["path"].startswith("/")
        assert case["who"] in ("partner", "staff")
        assert case["sql"], case["name"]
    paths = {case["name"]: case["path"] for case in cases}
    assert paths["api detentions"].startswith("/api/v1/detentions/?detained_from=2015-01-01&place=")
    assert paths["person history page"] == f"/people/{PERSON['uid']}/"
    assert paths["dashboard one year"] == f"/dashboard/?from={run.YEAR}-01-01&to={run.YEAR}-12-31"


def test_the_app_runs_with_debug_off_over_plain_http():
    env = run.bench_env("postgres://postgres@127.0.0.1:5432/kuzet_bench", "redis://127.0.0.1:6379/10")
    assert env["DEBUG"] == "0"
    assert env["SECURE_SSL_REDIRECT"] == "0"
    assert env["DATABASE_URL"].endswith("/kuzet_bench")
    assert env["REDIS_URL"].endswith("/10")


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the raw SQL is PostgreSQL's (pg_trgm, AT TIME ZONE)"
)
def test_the_raw_sql_runs_on_postgresql():
    """Each statement is valid against the migrated schema (an empty database: no rows, no error)."""
    cases = run.endpoints(PARAMETERS, PERSON)
    with connection.cursor() as cursor:
        for case in cases:
            for sql, params in case["sql"]:
                cursor.execute(sql, params)
                assert cursor.fetchall() == [], case["name"]


def test_the_search_page_floor_fetches_a_page_of_the_search_page():
    ((sql, _params),) = raw_sql.search("Alina", partner=False, limit=25)
    assert "LIMIT 25" in sql
