"""Read queries for cases, each with its prefetching and the user's visibility filter built in."""

import datetime as dt

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import Charge, CustodyPeriod, Detention, LegalCase, Sentence
from cases.terms import Interval, merged_days


def detention_custody_intervals(detention: Detention) -> list[Interval]:
    """Custody as date intervals: the recorded custody periods, or, when none were entered, the detention
    itself from the day of arrest to the day of release (the arrest day alone when release is unknown)."""
    periods = [p for p in detention.custody_periods.all() if not p.is_deleted]
    if periods:
        return [(p.started_on, p.ended_on) for p in periods]
    start = timezone.localdate(detention.detained_at)
    end = timezone.localdate(detention.released_at) if detention.released_at else start
    return [(start, end)]


def detention_custody_days(detention: Detention, *, today: dt.date | None = None) -> int:
    return merged_days(detention_custody_intervals(detention), today=today or timezone.localdate())


def legal_case_custody_intervals(legal_case: LegalCase) -> list[Interval]:
    """Custody in every live detention the case grew from."""
    intervals: list[Interval] = []
    for detention in legal_case.detentions.filter(is_deleted=False).prefetch_related("custody_periods"):
        intervals.extend(detention_custody_intervals(detention))
    return intervals


def person_case_history(*, user, person):
    """Everything a lawyer reads on one person: detentions with custody and treatment, legal cases with
    charges (and their articles) and sentences. A constant number of queries, whatever the history's size."""
    detentions = (
        Detention.objects.visible_to(user)
        .filter(person=person)
        .select_related("assembly", "place")
        .prefetch_related(
            "treatment",
            Prefetch("custody_periods", queryset=CustodyPeriod.objects.live()),
        )
        .order_by("detained_at")
    )
    legal_cases = (
        LegalCase.objects.visible_to(user)
        .filter(person=person)
        .prefetch_related(
            Prefetch("charges", queryset=Charge.objects.live().select_related("article")),
            Prefetch("sentences", queryset=Sentence.objects.live()),
        )
        .order_by("opened_on", "id")
    )
    return list(detentions), list(legal_cases)


def detention_get(*, user, pk) -> Detention:
    """A detention the user may see, or 404 (its existence is not confirmed to outsiders)."""
    return get_object_or_404(Detention.objects.visible_to(user), pk=pk)
