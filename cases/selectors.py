"""Read queries for cases, each with its prefetching and the user's visibility filter built in."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import IntegerField, Prefetch, Q, QuerySet, Value, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.choices import DetentionOutcome, PersonStatus, SentenceStatus
from cases.models import (
    Appeal,
    Charge,
    CustodyPeriod,
    Detention,
    Hearing,
    LegalArticle,
    LegalCase,
    Sentence,
)
from cases.terms import Interval, merged_days
from events.models import Assembly, Place, Source
from events.selectors import assembly_links, source_links
from people.models import GroupTag, Person
from people.search import RANK_EXACT, RANK_NEAR, person_search


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


def person_case_history(*, user, person, with_sources: bool = False):
    """Everything a lawyer reads on one person: detentions with custody and treatment, legal cases with
    charges (and their articles), sentences, hearings and appeals; with `with_sources`, the sources `user`
    may see of each detention, case, hearing and appeal (title and link). A constant number of queries,
    whatever the history's size."""
    detention_prefetches = [
        "treatment",
        Prefetch("custody_periods", queryset=CustodyPeriod.objects.live().select_related("place")),
    ]
    case_prefetches = [
        Prefetch("charges", queryset=Charge.objects.live().select_related("article")),
        Prefetch("sentences", queryset=Sentence.objects.live()),
    ]
    sources = None
    if with_sources:
        sources = Source.objects.visible_to(user).only("id", "uid", "title", "url", "kind", "published_on")
        detention_prefetches.append(Prefetch("sources", queryset=sources))
        case_prefetches.append(Prefetch("sources", queryset=sources))
    case_prefetches.extend(legal_case_court_prefetches(sources=sources))
    detentions = (
        Detention.objects.visible_to(user)
        .filter(person=person)
        # A detention at an assembly the user may not see is itself hidden (visibility_parents): join it.
        .select_related("assembly", "place", "place__parent")
        .prefetch_related(*detention_prefetches)
        .order_by("detained_at")
    )
    legal_cases = (
        LegalCase.objects.visible_to(user)
        .filter(person=person)
        .prefetch_related(*case_prefetches)
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


def legal_case_court_prefetches(*, sources: QuerySet[Source] | None) -> list[Prefetch]:
    """Prefetches of a case's live hearings and appeals (with the sentence appealed), and of their
    `sources` (the given queryset: only what the reader may see) unless `sources` is None."""
    hearings, appeals = Hearing.objects.live(), Appeal.objects.live().select_related("sentence")
    if sources is not None:
        hearings = hearings.prefetch_related(Prefetch("sources", queryset=sources))
        appeals = appeals.prefetch_related(Prefetch("sources", queryset=sources))
    return [Prefetch("hearings", queryset=hearings), Prefetch("appeals", queryset=appeals)]


def legal_case_list(*, user) -> QuerySet[LegalCase]:
    """Legal cases `user` may see, with live charges (and their articles), live sentences, hearings and
    appeals, the detentions and sources `user` may see: a constant number of queries, whatever the page
    size."""
    return (
        LegalCase.objects.visible_to(user)
        .select_related("person")
        .prefetch_related(
            Prefetch("charges", queryset=Charge.objects.live().select_related("article")),
            Prefetch("sentences", queryset=Sentence.objects.live()),
            *legal_case_court_prefetches(sources=source_links(user=user)),
            Prefetch("detentions", queryset=detention_links(user=user)),
            Prefetch("sources", queryset=source_links(user=user)),
        )
    )


# --- Browser pages: person search and person history (issue 5, items 1, 2, 9) ---------------------------

APPEAL_WARNING_DAYS = 5


@dataclass(frozen=True)
class PersonStanding:
    """Where a person stands today: their status, the latest detention and the expected release date."""

    status: str
    latest_detention: Detention | None
    expected_release: dt.date | None

    @property
    def status_label(self) -> str:
        return PersonStatus(self.status).label


def person_standing(
    detentions: list[Detention], legal_cases: list[LegalCase], *, today: dt.date
) -> PersonStanding:
    """Status from prefetched rows (no query): serving when a live sentence is being served (marked serving,
    its expected end not passed); held when a
    custody period is open, or the detention is marked "still held" with no release; released when there is
    a detention and neither holds; otherwise no detention recorded. The expected release is the latest
    expected end of the sentences being served."""
    # A sentence still marked "serving" after its expected end is a status nobody updated, not a prisoner.
    serving = [
        s
        for case in legal_cases
        for s in case.sentences.all()
        if s.status == SentenceStatus.SERVING and not (s.expected_end and s.expected_end < today)
    ]
    latest = max(detentions, key=lambda d: d.detained_at, default=None)
    ends = [s.expected_end for s in serving if s.expected_end]
    expected_release = max(ends) if ends else None
    if serving:
        status = PersonStatus.SERVING
    elif any(_is_held(d) for d in detentions):
        status = PersonStatus.HELD
    elif detentions:
        status = PersonStatus.RELEASED
    else:
        status = PersonStatus.NO_DETENTION
    return PersonStanding(status=status, latest_detention=latest, expected_release=expected_release)


def _is_held(detention: Detention) -> bool:
    periods = [p for p in detention.custody_periods.all() if not p.is_deleted]
    if periods:
        return any(p.ended_on is None for p in periods)
    return detention.released_at is None and detention.outcome == DetentionOutcome.STILL_HELD


def person_search_filter(
    queryset: QuerySet[Person],
    *,
    user,
    place: Place | None = None,
    detained_from: dt.date | None = None,
    detained_to: dt.date | None = None,
    procedural_status: str = "",
    article: LegalArticle | None = None,
    sentence_kind: str = "",
    group: GroupTag | None = None,
) -> QuerySet[Person]:
    """The people of `queryset` with a detention `user` may see that meets every detention filter at once
    (a place includes the cities and sites under it), a visible legal case charging `article`, a visible
    legal case with a live sentence of `sentence_kind`, and the `group` tag. Empty filters are left out."""
    detentions = Detention.objects.visible_to(user)
    detention_filtered = False
    if place is not None:
        detentions = detentions.filter(
            Q(place=place) | Q(place__parent=place) | Q(place__parent__parent=place)
        )
        detention_filtered = True
    if detained_from is not None:
        detentions = detentions.filter(detained_at__date__gte=detained_from)
        detention_filtered = True
    if detained_to is not None:
        detentions = detentions.filter(detained_at__date__lte=detained_to)
        detention_filtered = True
    if procedural_status:
        detentions = detentions.filter(procedural_status=procedural_status)
        detention_filtered = True
    if detention_filtered:
        queryset = queryset.filter(pk__in=detentions.values("person_id"))
    if article is not None:
        cases = LegalCase.objects.visible_to(user).filter(
            pk__in=Charge.objects.live().filter(article=article).values("legal_case_id")
        )
        queryset = queryset.filter(pk__in=cases.values("person_id"))
    if sentence_kind:
        cases = LegalCase.objects.visible_to(user).filter(
            pk__in=Sentence.objects.live().filter(kind=sentence_kind).values("legal_case_id")
        )
        queryset = queryset.filter(pk__in=cases.values("person_id"))
    if group is not None:
        queryset = queryset.filter(groups=group)
    return queryset


def person_search_results(*, user, text: str, **filters) -> QuerySet[Person]:
    """What the search page lists: the people `user` may see matching `text` under any spelling, ranked by
    `people.search.person_search` (the API's ranking), narrowed by `filters` (see person_search_filter).
    With no text but a filter, every visible person the filters leave, by name, ranked as exact."""
    people = Person.objects.visible_to(user)
    if text.strip():
        people = person_search(people, text)
    elif any(value not in (None, "") for value in filters.values()):
        people = people.annotate(rank=Value(RANK_EXACT, output_field=IntegerField())).order_by(
            "full_name", "id"
        )
    else:
        return people.none()
    return person_search_filter(people, user=user, **filters)


def person_search_rows(*, user, people: list[Person], today: dt.date | None = None) -> list[Person]:
    """Load what one page of results shows, in four queries whatever the page size: the visible detentions
    (with place and live custody periods) and the visible legal cases (with live sentences) of every
    person; each person gets `standing` (PersonStanding) and `possible_match` (a near match: verify)."""
    today = today or timezone.localdate()
    prefetch_related_objects(
        people,
        Prefetch(
            "detentions",
            queryset=Detention.objects.visible_to(user)
            .select_related("place", "place__parent")
            .prefetch_related(Prefetch("custody_periods", queryset=CustodyPeriod.objects.live())),
            to_attr="visible_detentions",
        ),
        Prefetch(
            "legal_cases",
            queryset=LegalCase.objects.visible_to(user).prefetch_related(
                Prefetch("sentences", queryset=Sentence.objects.live())
            ),
            to_attr="visible_cases",
        ),
    )
    for person in people:
        person.standing = person_standing(person.visible_detentions, person.visible_cases, today=today)
        person.possible_match = getattr(person, "rank", RANK_EXACT) == RANK_NEAR
    return people


@dataclass
class PersonHistory:
    """Everything the person page shows, computed once: the timeline is chronological (undated last)."""

    person: Person
    detentions: list[Detention]
    legal_cases: list[LegalCase]
    timeline: list[tuple[str, dt.date | None, object]]
    days_in_custody: int
    standing: PersonStanding
    today: dt.date


def person_history(*, user, person: Person, today: dt.date | None = None) -> PersonHistory:
    """The person's history for `user` (person_case_history with sources), the computed figures — total
    days in custody over every visible detention (overlaps counted once), status, expected release — and
    for each sentence `appeal_due_soon` (deadline today or within APPEAL_WARNING_DAYS) and
    `recorded_appeals` (the live appeals against it, from the case's prefetched appeals)."""
    today = today or timezone.localdate()
    detentions, legal_cases = person_case_history(user=user, person=person, with_sources=True)
    intervals = [interval for d in detentions for interval in detention_custody_intervals(d)]
    for case in legal_cases:
        for sentence in case.sentences.all():
            # The appeals recorded against it, so that the sentence says how its appeals ended.
            sentence.recorded_appeals = [a for a in case.appeals.all() if a.sentence_id == sentence.pk]
            deadline = sentence.appeal_deadline
            sentence.appeal_due_soon = bool(
                deadline and today <= deadline <= today + dt.timedelta(days=APPEAL_WARNING_DAYS)
            )
    timeline = [("detention", timezone.localdate(d.detained_at), d) for d in detentions]
    timeline += [("case", case.opened_on, case) for case in legal_cases]
    timeline.sort(key=lambda entry: (entry[1] is None, entry[1] or today, entry[0] != "detention"))
    return PersonHistory(
        person=person,
        detentions=detentions,
        legal_cases=legal_cases,
        timeline=timeline,
        days_in_custody=merged_days(intervals, today=today),
        standing=person_standing(detentions, legal_cases, today=today),
        today=today,
    )


# --- Browser pages: the assembly page and fast entry (issue 5, items 3 and 4) ----------------------------


def assembly_get(*, user, uid) -> Assembly:
    """An assembly `user` may see, with its place (and the place's parent) and its causes, or 404 (its
    existence is not confirmed to outsiders)."""
    return get_object_or_404(
        Assembly.objects.visible_to(user).select_related("place", "place__parent").prefetch_related("causes"),
        uid=uid,
    )


@dataclass
class AssemblyDetainees:
    """What the assembly page shows under the assembly: its visible sources, the detentions `user` may
    see (person and place joined), and how many are named against how many were reported."""

    sources: list[Source]
    detentions: list[Detention]

    @property
    def named(self) -> int:
        return len(self.detentions)


def assembly_detainees(*, user, assembly) -> AssemblyDetainees:
    """The sources and live detentions of `assembly` that `user` may see, in order of detention: two queries
    whatever the number of detainees. A detention of a person `user` may not see is left out with them."""
    sources = list(
        Source.objects.visible_to(user).filter(assemblies=assembly).only("id", "uid", "title", "url", "kind")
    )
    detentions = list(
        Detention.objects.visible_to(user)
        .filter(assembly=assembly)
        .select_related("person", "place")
        .order_by("detained_at", "id")
    )
    return AssemblyDetainees(sources=sources, detentions=detentions)


def person_suggestions(*, user, text: str, limit: int = 5) -> list[Person]:
    """The best `limit` people `user` may see whose names match `text` (people.search.person_search), each
    with `latest_detention` (the latest detention `user` may see, with its place, or None): two queries."""
    people = list(person_search(Person.objects.visible_to(user), text)[:limit])
    prefetch_related_objects(
        people,
        Prefetch(
            "detentions",
            queryset=Detention.objects.visible_to(user).select_related("place").order_by("-detained_at"),
            to_attr="visible_detentions",
        ),
    )
    for person in people:
        person.latest_detention = person.visible_detentions[0] if person.visible_detentions else None
    return people
