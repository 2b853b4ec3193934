"""The urgent items (issue 5, item 7): the one place that decides what is urgent, read by the dashboard's
Urgent panel and by the urgent alert mail (`cases.services.urgent_alerts`), so the two always agree.

Three kinds:
- `whereabouts`: a detention still held whose whereabouts are unknown, undisclosed, incommunicado or denied,
  made more than URGENT_WHEREABOUTS_HOURS ago;
- `held`: a detention still held, made more than URGENT_HELD_HOURS ago, with no court decision (no live
  sentence in a live legal case grown from it);
- `appeal`: an appeal deadline from today to URGENT_APPEAL_DAYS ahead, of a sentence not appealed (no outcome
  set, no Appeal recorded) nor quashed.

The look-back: `whereabouts` defaults to "unknown" and old detentions often have no release recorded, so on
real data every old detention would be "urgent". A detention made more than URGENT_LOOKBACK_DAYS ago is stale
data to clean up, not an emergency: it is left out of both kinds, and the panel says how many there are, with
a link to them in the admin (`UrgentFilter`). An appeal deadline in the next days is never stale.

"Held" is one rule shared with the dashboard's custody panel (`held_q`): a detention with an open live custody
period, or, when no custody period was entered, one with no release time whose outcome is not a release. A
monitor would rather see a detention whose end was never recorded than miss someone still in custody.

Every item has a stable `key`: its kind, its record's uid, and the fact that made it urgent (the detention
time, the appeal deadline). The mail is sent once per key, so a changed deadline alerts again.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.choices import AppealOutcome, DetentionOutcome, SentenceKind, SentenceStatus, Whereabouts
from cases.models import Appeal, CustodyPeriod, Detention, Sentence

LIST_LIMIT = 20
URGENT_APPEAL_DAYS = 5
RELEASE_OUTCOMES = (DetentionOutcome.RELEASED, DetentionOutcome.WARNED, DetentionOutcome.FINED)
# "Capture denied" is the worst case of an unknown whereabouts (an enforced disappearance): it is urgent too.
URGENT_WHEREABOUTS = (
    Whereabouts.UNKNOWN,
    Whereabouts.UNDISCLOSED,
    Whereabouts.INCOMMUNICADO,
    Whereabouts.DENIED,
)

# The query parameter of the detention admin's "urgent" filter (cases.urgent_admin.UrgentFilter).
ADMIN_FILTER_PARAMETER = "urgent"

T = TypeVar("T")


class UrgentKind(models.TextChoices):
    # Shown under headings that say more (the hours); the values are part of each item's key.
    WHEREABOUTS = "whereabouts"
    HELD = "held"
    APPEAL = "appeal"


@dataclass(frozen=True)
class Listing(Generic[T]):
    """The first rows of a list and how many there are in all."""

    total: int
    rows: list[T]


@dataclass(frozen=True)
class UrgentItem:
    """One urgent item. Labels are looked up when shown (`whereabouts_label`, `sentence_kind_label`), so a
    mail renders them in its recipient's language."""

    kind: str
    record_uid: str
    fact: str  # what made it urgent: the detention time (UTC, ISO 8601) or the appeal deadline
    person_uid: str
    person_name: str
    admin_path: str  # the record in the admin: the detention, or the legal case holding the sentence
    detained_at: dt.datetime | None = None
    whereabouts: str = ""
    held_at: str = ""
    deadline: dt.date | None = None
    sentence_kind: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.record_uid}:{self.fact}"

    @property
    def person_path(self) -> str:
        return reverse("cases:person-detail", kwargs={"uid": self.person_uid})

    @property
    def whereabouts_label(self) -> str:
        return Whereabouts(self.whereabouts).label if self.whereabouts else ""

    @property
    def sentence_kind_label(self) -> str:
        return SentenceKind(self.sentence_kind).label if self.sentence_kind else ""


@dataclass
class UrgentPanel:
    """What the dashboard's Urgent panel shows: the first rows of each kind, and how many detentions older
    than the look-back were left out (`hidden`, listed in the admin at `hidden_url`)."""

    whereabouts: Listing[UrgentItem]
    held: Listing[UrgentItem]
    appeals: list[UrgentItem] = field(default_factory=list)
    hidden: int = 0
    lookback_days: int = 0

    @property
    def count(self) -> int:
        return self.whereabouts.total + self.held.total + len(self.appeals)

    @property
    def hidden_url(self) -> str:
        return f"{reverse('admin:cases_detention_changelist')}?{ADMIN_FILTER_PARAMETER}=stale"


def held_q() -> Q:
    """Detentions still held (see the module docstring)."""
    live_periods = CustodyPeriod.objects.live().filter(detention=OuterRef("pk"))
    return Q(Exists(live_periods.filter(ended_on__isnull=True))) | (
        ~Q(Exists(live_periods)) & Q(released_at__isnull=True) & ~Q(outcome__in=RELEASE_OUTCOMES)
    )


def lookback_start(now: dt.datetime) -> dt.datetime:
    """Detentions made before this are stale data, not emergencies (URGENT_LOOKBACK_DAYS)."""
    return now - dt.timedelta(days=settings.URGENT_LOOKBACK_DAYS)


def _detentions(user) -> QuerySet[Detention]:
    """The live detentions `user` may see; with no user, every live detention of a live person and assembly
    (what an administrator sees): the mail job computes the items once and filters them per recipient."""
    if user is not None:
        return Detention.objects.visible_to(user)
    return Detention.objects.live().filter(person__is_deleted=False).exclude(assembly__is_deleted=True)


def _sentences(user) -> QuerySet[Sentence]:
    if user is not None:
        return Sentence.objects.visible_to(user)
    return Sentence.objects.live().filter(legal_case__is_deleted=False, legal_case__person__is_deleted=False)


def _whereabouts_q(now: dt.datetime) -> Q:
    since = now - dt.timedelta(hours=settings.URGENT_WHEREABOUTS_HOURS)
    return Q(whereabouts__in=URGENT_WHEREABOUTS, detained_at__lt=since)


def _held_q(now: dt.datetime) -> Q:
    since = now - dt.timedelta(hours=settings.URGENT_HELD_HOURS)
    decided = Sentence.objects.live().filter(
        legal_case__detentions=OuterRef("pk"), legal_case__is_deleted=False
    )
    return Q(detained_at__lt=since) & ~Q(Exists(decided))


def whereabouts_detentions(*, user=None, now: dt.datetime) -> QuerySet[Detention]:
    """Detentions (visible to `user`, or all) of the `whereabouts` kind, within the look-back."""
    return _detentions(user).filter(held_q(), _whereabouts_q(now), detained_at__gte=lookback_start(now))


def held_detentions(*, user=None, now: dt.datetime) -> QuerySet[Detention]:
    """Detentions (visible to `user`, or all) of the `held` kind, within the look-back."""
    return _detentions(user).filter(held_q(), _held_q(now), detained_at__gte=lookback_start(now))


def current_detentions(*, user=None, now: dt.datetime) -> QuerySet[Detention]:
    """Detentions of either kind within the look-back: what the panel lists (the admin's "urgent now")."""
    return _detentions(user).filter(
        held_q(), _whereabouts_q(now) | _held_q(now), detained_at__gte=lookback_start(now)
    )


def stale_detentions(*, user=None, now: dt.datetime) -> QuerySet[Detention]:
    """Detentions that would be of either kind but were made before the look-back: stale data to clean up
    (record the release or the whereabouts), left out of the panel and the mail."""
    return _detentions(user).filter(
        held_q(), _whereabouts_q(now) | _held_q(now), detained_at__lt=lookback_start(now)
    )


def appeal_sentences(*, user=None, today: dt.date) -> QuerySet[Sentence]:
    """Sentences (visible to `user`, or all) not appealed nor quashed whose appeal deadline falls from `today`
    to `today + URGENT_APPEAL_DAYS`, soonest first. A sentence is appealed when a lawyer set its outcome or
    an appeal is recorded against it (or against its whole case)."""
    appealed = Appeal.objects.filter(is_deleted=False, legal_case=OuterRef("legal_case")).filter(
        Q(sentence=OuterRef("pk")) | Q(sentence__isnull=True)
    )
    return (
        _sentences(user)
        .exclude(Exists(appealed))
        .filter(
            appeal_outcome=AppealOutcome.NONE,
            appeal_deadline__gte=today,
            appeal_deadline__lte=today + dt.timedelta(days=URGENT_APPEAL_DAYS),
        )
        .exclude(status=SentenceStatus.QUASHED)
        .select_related("legal_case__person")
        .order_by("appeal_deadline", "id")
    )


def _detention_item(kind: str, detention: Detention) -> UrgentItem:
    return UrgentItem(
        kind=kind,
        record_uid=str(detention.uid),
        fact=detention.detained_at.astimezone(dt.UTC).isoformat(),
        person_uid=str(detention.person.uid),
        person_name=detention.person.full_name,
        admin_path=reverse("admin:cases_detention_change", args=[detention.pk]),
        detained_at=detention.detained_at,
        whereabouts=detention.whereabouts,
        held_at=detention.held_at,
    )


def _appeal_item(sentence: Sentence) -> UrgentItem:
    return UrgentItem(
        kind=UrgentKind.APPEAL,
        record_uid=str(sentence.uid),
        fact=sentence.appeal_deadline.isoformat(),
        person_uid=str(sentence.legal_case.person.uid),
        person_name=sentence.legal_case.person.full_name,
        admin_path=reverse("admin:cases_legalcase_change", args=[sentence.legal_case_id]),
        deadline=sentence.appeal_deadline,
        sentence_kind=sentence.kind,
    )


def _detention_items(kind: str, queryset: QuerySet[Detention], limit: int | None = None) -> list[UrgentItem]:
    rows = queryset.select_related("person").order_by("-detained_at", "id")
    if limit is not None:
        rows = rows[:limit]
    return [_detention_item(kind, d) for d in rows]


def urgent_items(*, user=None, now: dt.datetime | None = None) -> list[UrgentItem]:
    """Every urgent item `user` may see (or every item, with no user), whereabouts first, then held (newest
    detention first), then appeals (soonest first). A detention may be an item of both detention kinds.
    Three queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return [
        *_detention_items(UrgentKind.WHEREABOUTS, whereabouts_detentions(user=user, now=now)),
        *_detention_items(UrgentKind.HELD, held_detentions(user=user, now=now)),
        *[_appeal_item(s) for s in appeal_sentences(user=user, today=today)],
    ]


def urgent_panel(*, user, now: dt.datetime, limit: int = LIST_LIMIT) -> UrgentPanel:
    """The dashboard's Urgent panel as `user` may see it: the first `limit` items of each detention kind with
    their totals, every appeal item, and how many stale detentions were left out. Six queries."""
    whereabouts = whereabouts_detentions(user=user, now=now)
    held = held_detentions(user=user, now=now)
    return UrgentPanel(
        whereabouts=Listing(
            total=whereabouts.count(), rows=_detention_items(UrgentKind.WHEREABOUTS, whereabouts, limit)
        ),
        held=Listing(total=held.count(), rows=_detention_items(UrgentKind.HELD, held, limit)),
        appeals=[_appeal_item(s) for s in appeal_sentences(user=user, today=timezone.localdate(now))],
        hidden=stale_detentions(user=user, now=now).count(),
        lookback_days=settings.URGENT_LOOKBACK_DAYS,
    )
