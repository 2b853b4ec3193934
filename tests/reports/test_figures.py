"""The figures in a compiled report's JSON equal counts made independently with the ORM on generated data:
by city, by day, by outcome, by article; people detained in the period against people held on its last day;
restricted records counted only when the definition allows it; local days at the period's edges."""

import datetime as dt
import json
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from cases.models import Detention, LegalCase
from core.models import Confidentiality
from people.models import GroupTag
from reports.compiling import compile_report
from reports.compiling.figures import key_figures, period_figures
from reports.compiling.scope import Places, Scope
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalArticleFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, IncidentFactory, PlaceFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory
from tests.reports.factories import ReportFactory, definition

ALMATY = ZoneInfo("Asia/Almaty")
START, END = dt.date(2019, 2, 1), dt.date(2019, 2, 28)
PERIOD_QUERIES = 28  # period_figures with trends: the figures, then the previous period's key figures
OUTCOMES = ("released", "fined", "admin_arrest", "charged", "held", "unknown")


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


def generate(seed: int = 6) -> dict:
    """Detentions in four cities (some through their assembly's place only), on random local days around
    the period, some restricted, some deleted; cases opened in and out of the period with articles."""
    rng = random.Random(seed)
    cities = [PlaceFactory(code=f"figures-city-{i}", name_en=f"Figurecity {i}") for i in range(4)]
    articles = [
        LegalArticleFactory(code=f"figures-art-{i}", number=f"8{i}", law=("CC", "AOC")[i % 2])
        for i in range(3)
    ]
    people = [PersonFactory() for _ in range(25)]
    assemblies = [AssemblyFactory(place=city, starts_at=local(dt.date(2019, 2, 27), 11)) for city in cities]
    for i in range(70):
        day = START + dt.timedelta(days=rng.randint(-3, 30))
        on_assembly = rng.random() < 0.3
        DetentionFactory(
            person=rng.choice(people),
            detained_at=local(day, rng.randint(0, 23), rng.randint(0, 59)),
            place=None if on_assembly else rng.choice(cities),
            assembly=rng.choice(assemblies) if on_assembly else None,
            outcome=rng.choice(OUTCOMES),
            detained_at_precision="month" if i % 9 == 4 else "time",
            confidentiality=Confidentiality.RESTRICTED if i % 11 == 0 else Confidentiality.INTERNAL,
            is_deleted=i % 17 == 0,
        )
    # The edges of the period in local time: 00:30 on the 1st is 18:30 UTC on 31 January.
    DetentionFactory(person=people[0], detained_at=local(START, 0, 30), place=cities[0], outcome="released")
    DetentionFactory(person=people[1], detained_at=local(END, 23, 30), place=cities[1], outcome="released")
    DetentionFactory(person=people[2], detained_at=local(END + dt.timedelta(days=1), 0, 30), place=cities[1])
    for i in range(30):
        opened = START + dt.timedelta(days=rng.randint(-10, 35))
        case = LegalCaseFactory(
            person=rng.choice(people),
            kind=rng.choice(("administrative", "criminal")),
            opened_on=opened,
            confidentiality=Confidentiality.RESTRICTED if i % 7 == 0 else Confidentiality.INTERNAL,
        )
        for article in rng.sample(articles, rng.randint(0, 2)):
            ChargeFactory(legal_case=case, article=article)
    return {"cities": cities, "people": people, "articles": articles}


def compiled_json(report) -> dict:
    compiled = compile_report(report=report)
    [json_file] = [f for f in compiled.files if f.kind == "json"]
    assert json_file.content_type == "application/json"
    figures = json.loads(json_file.content)
    assert figures == json.loads(json.dumps(compiled.figures))  # the snapshot is what the file says
    return figures


def counted(levels) -> Q:
    return Q(
        is_deleted=False,
        confidentiality__in=levels,
        person__is_deleted=False,
        person__confidentiality__in=levels,
    )


LEVELS = {
    False: ("public", "partners", "internal"),
    True: ("public", "partners", "internal", "restricted"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("count_restricted", [False, True])
def test_figures_equal_independent_orm_counts(count_restricted):
    generate()
    sr = definition("un-sr-foaa")
    sr.count_restricted = count_restricted
    sr.save(update_fields=["count_restricted"])
    figures = compiled_json(ReportFactory(definition=sr))

    levels = LEVELS[count_restricted]
    detentions = [
        d
        for d in Detention.objects.filter(counted(levels)).select_related("place", "assembly__place")
        if START <= d.detained_at.astimezone(ALMATY).date() <= END
        and (d.assembly is None or d.assembly.confidentiality in levels)
    ]
    by_city = Counter((d.place or d.assembly.place).name_en for d in detentions)
    by_day = Counter(
        d.detained_at.astimezone(ALMATY).date().isoformat()
        for d in detentions
        if d.detained_at_precision in ("time", "day")
    )
    by_outcome = Counter(d.outcome for d in detentions)

    got = figures["detentions"]
    assert got["total"] == len(detentions) == figures["key_figures"]["detentions"]
    assert {row["name"]: row["count"] for row in got["by_city"]} == by_city
    assert {row["date"]: row["count"] for row in got["by_day"] if row["count"]} == by_day
    assert [row["date"] for row in got["by_day"]] == [
        (START + dt.timedelta(days=i)).isoformat() for i in range(28)
    ]
    assert got["day_not_known"] == sum(
        1 for d in detentions if d.detained_at_precision not in ("time", "day")
    )
    assert got["day_not_known"] > 0
    assert {row["outcome"]: row["count"] for row in got["by_outcome"]} == by_outcome
    assert got["people_detained"] == len({d.person_id for d in detentions})
    # Sorted largest first, so the same data gives the same file.
    assert [row["count"] for row in got["by_city"]] == sorted(by_city.values(), reverse=True)

    cases = LegalCase.objects.filter(
        counted(levels), opened_on__gte=START, opened_on__lte=END
    ).prefetch_related("charges__article")
    by_article = Counter()
    for case in cases:
        for code in {c.article.code for c in case.charges.all()} or {""}:
            by_article[(case.kind, code)] += 1
    for kind in ("administrative", "criminal"):
        rows = figures["new_cases"][kind]["by_article"]
        assert {(kind, row["article"]): row["count"] for row in rows} == {
            key: n for key, n in by_article.items() if key[0] == kind
        }
        assert figures["new_cases"][kind]["cases"] == sum(1 for case in cases if case.kind == kind)


@pytest.mark.django_db
def test_restricted_records_change_the_figures_only_when_the_definition_counts_them():
    city = PlaceFactory(code="figures-restricted-city", name_en="Restrictedcity")
    DetentionFactory(detained_at=local(dt.date(2019, 2, 10), 12), place=city)
    DetentionFactory(detained_at=local(dt.date(2019, 2, 10), 12), place=city, confidentiality="restricted")
    hidden_person = PersonFactory(confidentiality="restricted")
    DetentionFactory(person=hidden_person, detained_at=local(dt.date(2019, 2, 11), 12), place=city)
    sr = definition("un-sr-foaa")

    assert compiled_json(ReportFactory(definition=sr))["detentions"]["total"] == 1
    sr.count_restricted = True
    sr.save(update_fields=["count_restricted"])
    assert compiled_json(ReportFactory(definition=sr, version=2))["detentions"]["total"] == 3


@pytest.mark.django_db
def test_detained_in_the_period_is_not_held_on_its_last_day():
    city = PlaceFactory(code="figures-held-city", name_en="Heldcity")
    released = PersonFactory()  # detained and released in the period: detained, not held
    DetentionFactory(
        person=released,
        place=city,
        detained_at=local(dt.date(2019, 2, 3), 10),
        released_at=local(dt.date(2019, 2, 3), 18),
        outcome="released",
    )
    in_custody = PersonFactory()  # detained in the period, custody period still open: both
    CustodyPeriodFactory(
        detention=DetentionFactory(person=in_custody, place=city, detained_at=local(dt.date(2019, 2, 20), 9)),
        started_on=dt.date(2019, 2, 20),
        ended_on=None,
    )
    transferred = PersonFactory()  # detained last year, transferred, still in SIZO: held, not detained
    old = DetentionFactory(person=transferred, place=city, detained_at=local(dt.date(2018, 11, 2), 9))
    CustodyPeriodFactory(
        detention=old, kind="ivs", started_on=dt.date(2018, 11, 2), ended_on=dt.date(2018, 11, 5)
    )
    CustodyPeriodFactory(
        detention=old, kind="sizo", started_on=dt.date(2018, 11, 5), ended_on=dt.date(2019, 3, 10)
    )
    serving = PersonFactory()  # sentenced last year to prison: held, not detained
    SentenceFactory(
        legal_case=LegalCaseFactory(person=serving),
        kind="imprisonment",
        decided_on=dt.date(2018, 6, 1),
        starts_on=dt.date(2018, 6, 1),
        ends_on=dt.date(2021, 6, 1),
        status="serving",
    )
    freed_before = PersonFactory()  # custody ended on the 27th: neither
    CustodyPeriodFactory(
        detention=DetentionFactory(
            person=freed_before, place=city, detained_at=local(dt.date(2019, 1, 20), 9)
        ),
        started_on=dt.date(2019, 1, 20),
        ended_on=dt.date(2019, 2, 27),
    )
    still_held = PersonFactory()  # no custody period, outcome "still held", detained the last evening: both
    DetentionFactory(person=still_held, place=city, detained_at=local(END, 22), outcome="held")

    figures = compiled_json(ReportFactory())

    assert figures["detentions"]["people_detained"] == 3
    assert figures["detentions"]["people_held_on_last_day"] == 4
    assert figures["key_figures"]["people_held_on_last_day"] == 4


@pytest.mark.django_db
def test_trends_compare_with_the_previous_quarter():
    city = PlaceFactory(code="figures-trend-city", name_en="Trendcity")
    for day in (dt.date(2018, 10, 5), dt.date(2018, 12, 31)):
        DetentionFactory(place=city, detained_at=local(day, 12))
    for day in (dt.date(2019, 1, 1), dt.date(2019, 2, 2), dt.date(2019, 3, 31)):
        DetentionFactory(place=city, detained_at=local(day, 23, 50))
    report = ReportFactory(
        definition=definition("osce-odihr"), period_start=dt.date(2019, 1, 1), period_end=dt.date(2019, 3, 31)
    )

    figures = compiled_json(report)

    assert figures["previous_period"] == {"start": "2018-10-01", "end": "2018-12-31"}
    trend = {row["key"]: row for row in figures["trends"]}["detentions"]
    assert (trend["current"], trend["previous"], trend["change"], trend["change_percent"]) == (3, 2, 1, 50)


@pytest.mark.django_db
def test_key_figures_take_a_fixed_number_of_queries(django_assert_num_queries):
    """A yearly report on many people is aggregated in SQL: the number of queries does not grow with rows."""
    city = PlaceFactory(code="figures-queries-city", name_en="Querycity")
    scope = Scope.of(ReportFactory.build(definition=definition("un-sr-foaa")))
    places = Places("en")
    with django_assert_num_queries(6):
        key_figures(scope)
    with django_assert_num_queries(PERIOD_QUERIES):
        period_figures(scope, places, with_trends=True)
    for i in range(20):
        DetentionFactory(place=city, detained_at=local(dt.date(2019, 2, 1 + i), 12))
        CustodyPeriodFactory(
            detention=DetentionFactory(place=city, detained_at=local(dt.date(2019, 1, 1 + i), 12))
        )
    with django_assert_num_queries(6):
        assert key_figures(scope)["detentions"] == 20
    with django_assert_num_queries(PERIOD_QUERIES):
        assert period_figures(scope, places, with_trends=True)["detentions"]["total"] == 20


def add_rows(city, assembly, n: int, offset: int) -> None:
    article = LegalArticleFactory(code="cc-174-1")
    for i in range(n):
        person = PersonFactory()
        if i % 2:
            ConsentRecordFactory(person=person, scope="un", given_on=dt.date(2019, 1, 1))
        person.groups.add(GroupTag.objects.get(code="journalist"))
        detention = DetentionFactory(
            person=person,
            place=city,
            assembly=assembly if i % 3 else None,
            detained_at=local(dt.date(2019, 2, 1 + (i + offset) % 28), 12),
            outcome="charged",
        )
        detention.sources.add(SourceFactory(confidentiality="public", title=f"Report {offset + i}"))
        CustodyPeriodFactory(detention=detention, started_on=dt.date(2019, 2, 1), ended_on=None)
        case = LegalCaseFactory(person=person, opened_on=dt.date(2019, 2, 10))
        case.detentions.add(detention)
        ChargeFactory(legal_case=case, article=article)
        SentenceFactory(
            legal_case=case,
            decided_on=dt.date(2019, 2, 20),
            starts_on=dt.date(2019, 2, 1),
            ends_on=dt.date(2022, 2, 1),
            status="serving",
        )
        IncidentFactory(kind="internet_shutdown", place=city, starts_on=dt.date(2019, 2, 1 + i))


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["un-sr-foaa", "osce-odihr", "osce-rfom", "eu-briefing"])
def test_compiling_takes_as_many_queries_for_many_rows_as_for_few(slug):
    """A yearly report on many people is aggregated in SQL and its rows prefetched: more rows, same
    queries."""
    city = PlaceFactory(code="figures-many-city", name_en="Manycity")
    assembly = AssemblyFactory(place=city, starts_at=local(dt.date(2019, 2, 5), 11))
    add_rows(city, assembly, 2, 0)
    with CaptureQueriesContext(connection) as few:
        compile_report(report=ReportFactory(definition=definition(slug)))
    add_rows(city, assembly, 12, 2)
    with CaptureQueriesContext(connection) as many:
        compiled = compile_report(report=ReportFactory(definition=definition(slug), version=2))

    assert len(many) == len(few)
    if slug == "un-sr-foaa":
        assert compiled.figures["detentions"]["total"] == 14
        assert len(compiled.named_people) == 7
