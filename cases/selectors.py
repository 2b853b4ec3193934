"""Read queries for cases, each with its prefetching and the user's visibility filter built in."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import Charge, CustodyPeriod, Detention, LegalArticle, LegalCase, Sentence
from cases.terms import Interval, merged_days
from events.selectors import assembly_links, source_links


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


def legal_article_list(*, user) -> QuerySet[LegalArticle]:
    """Articles of the Criminal and Administrative Offences Codes (reference data)."""
    return LegalArticle.objects.visible_to(user)


def detention_links(*, user) -> QuerySet[Detention]:
    """The detentions `user` may see, uid only: prefetch a case's `detentions` with this."""
    return Detention.objects.visible_to(user).only("id", "uid")


def detention_list(*, user) -> QuerySet[Detention]:
    """Detentions `user` may see (a detention of a person they may not see is hidden with the person), with
    the person and place joined, the assembly only when `user` may see it, treatment and visible sources:
    a constant number of queries, whatever the page size."""
    return (
        Detention.objects.visible_to(user)
        .select_related("person", "place")
        .prefetch_related(
            Prefetch("assembly", queryset=assembly_links(user=user)),
            "treatment",
            Prefetch("sources", queryset=source_links(user=user)),
        )
    )


def legal_case_list(*, user) -> QuerySet[LegalCase]:
    """Legal cases `user` may see, with live charges (and their articles), live sentences, the detentions
    and sources `user` may see: a constant number of queries, whatever the page size."""
    return (
        LegalCase.objects.visible_to(user)
        .select_related("person")
        .prefetch_related(
            Prefetch("charges", queryset=Charge.objects.live().select_related("article")),
            Prefetch("sentences", queryset=Sentence.objects.live()),
            Prefetch("detentions", queryset=detention_links(user=user)),
            Prefetch("sources", queryset=source_links(user=user)),
        )
    )
