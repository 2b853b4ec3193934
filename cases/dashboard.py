"""Reads for the dashboard (issue 5, items 6 and 7): plain data, everything through `visible_to(user)`, and a
number of queries that does not grow with the data (the page pins it in a test).

"Held" here is one rule shared by every panel: a detention with an open live custody period, or, when no
custody period was entered, one with no release time whose outcome is not a release (released, warned,
fined). This is looser than the person page's status (which asks for the outcome "still held" when no
custody period was entered): a monitor would rather see a detention whose end was never recorded here than
miss someone still in custody.

The Urgent panel comes from cases.urgent, which the urgent alert mail reads too, so the two agree.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from cases.choices import AppealOutcome, SentenceStatus
from cases.map_data import _period_bounds, detention_counts_by_city
from cases.models import Detention, LegalCase, Sentence
from cases.urgent import LIST_LIMIT, Listing, UrgentPanel, held_q, urgent_panel
from events.map import MapPoint
from events.models import Assembly
from people.models import Person

SENTENCE_END_DAYS = 90
APPEAL_DAYS = 14


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    count: int


@dataclass(frozen=True)
class PersonRow:
    uid: str
    name: str
    held: bool = False
    serving: bool = False


@dataclass(frozen=True)
class DateRow:
    """A sentence end or an appeal deadline, with the person it concerns."""

    person_uid: str
    person_name: str
    date: dt.date
    kind: str


@dataclass(frozen=True)
class AssemblyRow:
    title: str
    starts_at: dt.datetime
    url: str
    detentions: int = 0
    reported: int | None = None
    named: int = 0

    @property
    def gap(self) -> int:
        return (self.reported or 0) - self.named


@dataclass
class Dashboard:
    start: dt.date
    end: dt.date
    per_day: list[DayCount]
    per_city: list[MapPoint]
    in_custody: Listing[PersonRow]
    sentence_ends: list[DateRow]
    appeal_deadlines: list[DateRow]
    top_assemblies: list[AssemblyRow]
    reported_vs_named: list[AssemblyRow]
    urgent: UrgentPanel

    @property
    def total_detentions(self) -> int:
        return sum(day.count for day in self.per_day)


def detentions_per_day(*, user, start: dt.date, end: dt.date) -> list[DayCount]:
    """Visible detentions per local day from `start` to `end` (inclusive), days without any included as 0.
    One query."""
    since, until = _period_bounds(start, end)
    rows = (
        Detention.objects.visible_to(user)
        .filter(detained_at__gte=since, detained_at__lt=until)
        .annotate(day=TruncDate("detained_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["day"]: row["n"] for row in rows}
    days = (end - start).days + 1
    return [
        DayCount(day=day, count=counts.get(day, 0))
        for day in (start + dt.timedelta(days=i) for i in range(days))
    ]


def serving_q(*, today: dt.date) -> Q:
    """Sentences being served on `today`: marked serving and their expected end (a lawyer's override, else
    the computed end) not passed. A status left at "serving" after the end is not a prisoner."""
    not_ended = (
        Q(ends_on_override__gte=today)
        | Q(ends_on_override__isnull=True, ends_on__gte=today)
        | Q(ends_on_override__isnull=True, ends_on__isnull=True)
    )
    return Q(status=SentenceStatus.SERVING) & not_ended


def people_in_custody(*, user, limit: int = LIST_LIMIT) -> Listing[PersonRow]:
    """Visible people held now (held_q) or serving a live sentence of a visible case: how many, and the
    first `limit` by name. Two queries."""
    held = Detention.objects.visible_to(user).filter(held_q())
    serving = LegalCase.objects.visible_to(user).filter(
        Exists(
            Sentence.objects.live().filter(serving_q(today=timezone.localdate()), legal_case=OuterRef("pk"))
        )
    )
    # One set of person ids (a UNION) rather than an OR of two IN tests: PostgreSQL joins against the set,
    # where with the OR it re-read the held list for every person (minutes at a million detentions).
    people = Person.objects.visible_to(user).filter(
        pk__in=held.order_by().values("person_id").union(serving.order_by().values("person_id"))
    )
    rows = (
        people.annotate(
            is_held=Exists(held.filter(person=OuterRef("pk"))),
            is_serving=Exists(serving.filter(person=OuterRef("pk"))),
        )
        .order_by("full_name", "id")
        .values("uid", "full_name", "is_held", "is_serving")[:limit]
    )
    return Listing(
        total=people.count(),
        rows=[
            PersonRow(uid=str(r["uid"]), name=r["full_name"], held=r["is_held"], serving=r["is_serving"])
            for r in rows
        ],
    )


def _sentence_rows(sentences, date_field: str, kind: str) -> list[DateRow]:
    return [
        DateRow(
            person_uid=str(s.legal_case.person.uid),
            person_name=s.legal_case.person.full_name,
            date=getattr(s, date_field),
            kind=kind or s.get_kind_display(),
        )
        for s in sentences
    ]


def upcoming_sentence_ends(*, user, today: dt.date, days: int = SENTENCE_END_DAYS) -> list[DateRow]:
    """Sentences not yet served (pending or serving) of visible cases whose expected end (a lawyer's
    override, else the computed date) falls from `today` to `today + days`, soonest first. One query."""
    sentences = (
        Sentence.objects.visible_to(user)
        .filter(status__in=(SentenceStatus.PENDING, SentenceStatus.SERVING))
        .annotate(expected=Coalesce("ends_on_override", "ends_on"))
        .filter(expected__gte=today, expected__lte=today + dt.timedelta(days=days))
        .select_related("legal_case__person")
        .order_by("expected", "id")
    )
    return _sentence_rows(sentences, "expected", "")


def upcoming_appeal_deadlines(*, user, today: dt.date, days: int = APPEAL_DAYS) -> list[DateRow]:
    """Appeal deadlines from `today` to `today + days` of visible sentences not yet appealed nor quashed,
    soonest first. One query."""
    sentences = (
        Sentence.objects.visible_to(user)
        .filter(
            appeal_outcome=AppealOutcome.NONE,
            appeal_deadline__gte=today,
            appeal_deadline__lte=today + dt.timedelta(days=days),
        )
        .exclude(status=SentenceStatus.QUASHED)
        .select_related("legal_case__person")
        .order_by("appeal_deadline", "id")
    )
    return _sentence_rows(sentences, "appeal_deadline", "")


def top_assemblies(
    *, user, start: dt.date, end: dt.date, url_for: Callable[[Assembly], str], limit: int = 10
) -> list[AssemblyRow]:
    """Assemblies with the most visible detentions made in the period, most first. One query."""
    since, until = _period_bounds(start, end)
    rows = (
        Detention.objects.visible_to(user)
        .filter(detained_at__gte=since, detained_at__lt=until, assembly__isnull=False)
        .values("assembly_id", "assembly__uid", "assembly__title", "assembly__starts_at")
        .annotate(n=Count("id"))
        .order_by("-n", "assembly__title")[:limit]
    )
    return [
        AssemblyRow(
            title=r["assembly__title"],
            starts_at=r["assembly__starts_at"],
            url=url_for(Assembly(pk=r["assembly_id"], uid=r["assembly__uid"])),
            detentions=r["n"],
        )
        for r in rows
    ]


def reported_vs_named(
    *, user, start: dt.date, end: dt.date, url_for: Callable[[Assembly], str], limit: int = LIST_LIMIT
) -> list[AssemblyRow]:
    """Visible assemblies starting in the period with a reported detainee count, against the people named
    in their visible live detentions; the largest gap (most still to identify) first. One query."""
    since, until = _period_bounds(start, end)
    named = (
        Detention.objects.visible_to(user)
        .filter(assembly=OuterRef("pk"))
        .order_by()
        .values("assembly")
        .annotate(c=Count("person", distinct=True))
        .values("c")
    )
    assemblies = (
        Assembly.objects.visible_to(user)
        .filter(reported_detainees__isnull=False, starts_at__gte=since, starts_at__lt=until)
        .annotate(named=Coalesce(Subquery(named, output_field=IntegerField()), Value(0)))
        .annotate(gap=ExpressionWrapper(F("reported_detainees") - F("named"), output_field=IntegerField()))
        .order_by("-gap", "-starts_at", "id")
        .only("id", "uid", "title", "starts_at", "reported_detainees")[:limit]
    )
    return [
        AssemblyRow(
            title=a.title,
            starts_at=a.starts_at,
            url=url_for(a),
            reported=a.reported_detainees,
            named=a.named,
        )
        for a in assemblies
    ]


def dashboard_get(
    *,
    user,
    start: dt.date,
    end: dt.date,
    assembly_url: Callable[[Assembly], str],
    now: dt.datetime | None = None,
) -> Dashboard:
    """Everything the dashboard shows for the period `start`–`end` (local dates, inclusive), as `user` may
    see it. Fifteen queries whatever the amount of data."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return Dashboard(
        start=start,
        end=end,
        per_day=detentions_per_day(user=user, start=start, end=end),
        per_city=detention_counts_by_city(user=user, start=start, end=end),
        in_custody=people_in_custody(user=user),
        sentence_ends=upcoming_sentence_ends(user=user, today=today),
        appeal_deadlines=upcoming_appeal_deadlines(user=user, today=today),
        top_assemblies=top_assemblies(user=user, start=start, end=end, url_for=assembly_url),
        reported_vs_named=reported_vs_named(user=user, start=start, end=end, url_for=assembly_url),
        urgent=urgent_panel(user=user, now=now),
    )
