"""What an ideal implementation would run for each benchmarked page: hand-written SQL for the same rows, each
as a list of (statement, parameters) timed together on a raw psycopg cursor (bench.run.time_sql).

The floor the app is compared with (ratio = app p95 / SQL p95): no ORM, no template, no HTTP. The API and
search statements return the same rows in the same order as the app (bench.api_latency checks that); the
person history and dashboard statements fetch the data the page shows, not its exact query plan.
"""

from bench.api_latency import DETENTIONS_SQL, _search_sql

ZONE = "Asia/Almaty"

Statements = list[tuple[str, dict]]


def detentions(*, place: str, since: str, levels) -> Statements:
    """A page of 50 detentions at `place` or below it since `since`, with person, place and assembly."""
    return [(DETENTIONS_SQL, {"place": place, "since": since, "zone": ZONE, "levels": list(levels)})]


def search(text: str, *, partner: bool, limit: int = 50) -> Statements:
    """people.search's three tiers in one query, the first `limit` people."""
    sql, params = _search_sql(text, partner=partner)
    return [(sql.replace("LIMIT 50", f"LIMIT {int(limit)}"), params)]


PERSON_SQL = """
    SELECT p.uid, p.full_name, p.birth_date, p.gender, p.occupation,
           (SELECT json_agg(n.text ORDER BY n.id) FROM people_personname n
             WHERE n.person_id = p.id AND NOT n.is_deleted) AS names
      FROM people_person p
     WHERE p.id = %(person)s AND NOT p.is_deleted
"""

PERSON_DETENTIONS_SQL = """
    SELECT d.uid, d.detained_at, d.procedural_status, d.outcome, d.held_at, d.released_at,
           pl.name_en AS place, a.uid AS assembly_uid, a.title AS assembly,
           (SELECT json_agg(json_build_object('kind', c.kind, 'from', c.started_on, 'to', c.ended_on,
                                              'facility', c.facility) ORDER BY c.started_on)
              FROM cases_custodyperiod c WHERE c.detention_id = d.id AND NOT c.is_deleted) AS custody
      FROM cases_detention d
      LEFT JOIN events_place pl ON pl.id = d.place_id
      LEFT JOIN events_assembly a ON a.id = d.assembly_id
     WHERE d.person_id = %(person)s AND NOT d.is_deleted AND d.confidentiality = ANY(%(levels)s)
     ORDER BY d.detained_at
"""

PERSON_CASES_SQL = """
    SELECT lc.uid, lc.kind, lc.number, lc.court, lc.opened_on, lc.status,
           (SELECT json_agg(json_build_object('article', ar.code, 'status', ch.status) ORDER BY ch.id)
              FROM cases_charge ch JOIN cases_legalarticle ar ON ar.id = ch.article_id
             WHERE ch.legal_case_id = lc.id AND NOT ch.is_deleted) AS charges,
           (SELECT json_agg(json_build_object('kind', s.kind, 'decided', s.decided_on, 'ends', s.ends_on,
                                              'status', s.status, 'appeal_deadline', s.appeal_deadline)
                            ORDER BY s.decided_on)
              FROM cases_sentence s WHERE s.legal_case_id = lc.id AND NOT s.is_deleted) AS sentences
      FROM cases_legalcase lc
     WHERE lc.person_id = %(person)s AND NOT lc.is_deleted AND lc.confidentiality = ANY(%(levels)s)
     ORDER BY lc.opened_on
"""


def person_history(*, person_id: int, levels) -> Statements:
    """The person, their names, detentions with custody, and legal cases with charges and sentences."""
    params = {"person": person_id, "levels": list(levels)}
    return [(PERSON_SQL, params), (PERSON_DETENTIONS_SQL, params), (PERSON_CASES_SQL, params)]


PERIOD = """
       d.detained_at >= (%(start)s::date)::timestamp AT TIME ZONE %(zone)s
       AND d.detained_at < (%(end)s::date + 1)::timestamp AT TIME ZONE %(zone)s
       AND NOT d.is_deleted AND d.confidentiality = ANY(%(levels)s)
"""

PER_DAY_SQL = f"""
    SELECT (d.detained_at AT TIME ZONE %(zone)s)::date AS day, count(*)
      FROM cases_detention d
     WHERE {PERIOD}
     GROUP BY 1 ORDER BY 1
"""  # noqa: S608 (fixed text, no values)

PER_PLACE_SQL = f"""
    SELECT coalesce(d.place_id, a.place_id) AS place, count(*)
      FROM cases_detention d LEFT JOIN events_assembly a ON a.id = d.assembly_id
     WHERE {PERIOD}
     GROUP BY 1 ORDER BY 2 DESC
"""  # noqa: S608 (fixed text, no values)


def dashboard(*, start: str, end: str, levels) -> Statements:
    """The period's two aggregates over every detention (per day, per place); the page's other panels
    (custody, dates to watch, urgent items) are small lists and left out of this floor."""
    params = {"start": start, "end": end, "zone": ZONE, "levels": list(levels)}
    return [(PER_DAY_SQL, params), (PER_PLACE_SQL, params)]
