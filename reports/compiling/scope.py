"""What one report may read: the period in local days, the records it counts and the records it describes.

Two levels, because a report counts more than it shows:
- *counted*: live records up to `internal`, plus `restricted` ones when the definition allows it
  (`count_restricted`). A record whose parent is left out (a detention of a restricted person, or at a
  restricted assembly) is left out with it, as `visible_to` does for users.
- *described*: the same without `restricted` records, whatever the definition says. Restricted records are
  never named nor shown as a row; they only add to the numbers.
Whether a *person's identity* appears is a third question, answered by people.disclosure (see naming.py).
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Charge, CustodyPeriod, Detention, LegalCase, Sentence
from core.models import STAFF_LEVELS, Confidentiality
from events.models import Assembly, Incident, Place, PlaceKind, Source
from people.models import Person
from reports.models import Report, ReportDefinition


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Whole local days, both ends included: an arrest at 01:00 in Almaty on the 1st is in a period that
    starts on the 1st, though it is the evening of the 28th in UTC."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same shape just before: the previous month or quarter when `start`..`end` is a
    whole month or quarter (February after January's 31 days), else the same number of days."""
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        month = start.month - months
        year = start.year
        while month < 1:
            month += 12
            year -= 1
        return dt.date(year, month, 1), start - dt.timedelta(days=1)
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


@dataclass(frozen=True)
class Scope:
    definition: ReportDefinition
    start: dt.date
    end: dt.date
    language: str = "en"

    @classmethod
    def of(cls, report: Report) -> "Scope":
        return cls(
            definition=report.definition,
            start=report.period_start,
            end=report.period_end,
            language=report.language or report.definition.language or "en",
        )

    def previous(self) -> "Scope":
        start, end = previous_period(self.start, self.end)
        return Scope(definition=self.definition, start=start, end=end, language=self.language)

    @property
    def consent_scope(self) -> str:
        return self.definition.consent_scope

    @cached_property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return local_bounds(self.start, self.end)

    @property
    def counted_levels(self) -> tuple[str, ...]:
        if self.definition.count_restricted:
            return (*STAFF_LEVELS, Confidentiality.RESTRICTED)
        return tuple(STAFF_LEVELS)

    def levels(self, *, described: bool) -> tuple[str, ...]:
        return tuple(STAFF_LEVELS) if described else self.counted_levels

    # --- base querysets, each with its parents' rule --------------------------------------------------

    def _record(self, prefix: str, levels) -> Q:
        return Q(**{f"{prefix}confidentiality__in": levels, f"{prefix}is_deleted": False})

    def people(self, *, described: bool = False) -> QuerySet[Person]:
        return Person.objects.filter(self._record("", self.levels(described=described)))

    def assemblies(self, *, described: bool = False) -> QuerySet[Assembly]:
        return Assembly.objects.filter(self._record("", self.levels(described=described)))

    def incidents(self, *, described: bool = False) -> QuerySet[Incident]:
        levels = self.levels(described=described)
        return Incident.objects.filter(self._record("", levels)).filter(
            Q(assembly__isnull=True) | self._record("assembly__", levels)
        )

    def detentions(self, *, described: bool = False) -> QuerySet[Detention]:
        levels = self.levels(described=described)
        return Detention.objects.filter(
            self._record("", levels),
            self._record("person__", levels),
        ).filter(Q(assembly__isnull=True) | self._record("assembly__", levels))

    def legal_cases(self, *, described: bool = False) -> QuerySet[LegalCase]:
        levels = self.levels(described=described)
        return LegalCase.objects.filter(self._record("", levels), self._record("person__", levels))

    def charges(self, *, described: bool = False) -> QuerySet[Charge]:
        levels = self.levels(described=described)
        return Charge.objects.filter(
            is_deleted=False,
            **{"legal_case__is_deleted": False, "legal_case__confidentiality__in": levels},
            **{"legal_case__person__is_deleted": False, "legal_case__person__confidentiality__in": levels},
        )

    def sentences(self, *, described: bool = False) -> QuerySet[Sentence]:
        levels = self.levels(described=described)
        return Sentence.objects.filter(
            is_deleted=False,
            **{"legal_case__is_deleted": False, "legal_case__confidentiality__in": levels},
            **{"legal_case__person__is_deleted": False, "legal_case__person__confidentiality__in": levels},
        )

    def custody_periods(self, *, described: bool = False) -> QuerySet[CustodyPeriod]:
        return CustodyPeriod.objects.filter(
            is_deleted=False, detention__in=self.detentions(described=described)
        )

    def sources(self) -> QuerySet[Source]:
        """Sources a report may list (in its confidential block only): public and partners ones."""
        return Source.objects.filter(
            is_deleted=False, confidentiality__in=(Confidentiality.PUBLIC, Confidentiality.PARTNERS)
        )

    def detentions_in_period(self, *, described: bool = False) -> QuerySet[Detention]:
        since, until = self.bounds
        return self.detentions(described=described).filter(detained_at__gte=since, detained_at__lt=until)

    def assemblies_in_period(self, *, described: bool = False) -> QuerySet[Assembly]:
        """Assemblies that took place on at least one day of the period (a protest of several days that
        began before it counts)."""
        since, until = self.bounds
        return (
            self.assemblies(described=described)
            .filter(starts_at__lt=until)
            .filter(Q(starts_at__gte=since) | Q(ends_at__gte=since))
        )


class Places:
    """Every place, loaded once (reference data: a few hundred rows), to roll a place up to its city and
    region without a query per row."""

    def __init__(self, language: str):
        self.language = language
        self.by_id = {
            p.pk: p
            for p in Place.objects.only(
                "id", "code", "kind", "parent_id", "latitude", "longitude", "name_en", "name_ru", "name_kk"
            )
        }

    def _up(self, place_id, kinds) -> Place | None:
        current = self.by_id.get(place_id)
        while current is not None and current.kind not in kinds:
            current = self.by_id.get(current.parent_id)
        return current

    def city(self, place_id) -> Place | None:
        """The city of a place; a place under no city (a region, a village entered at region level) is its
        own bucket."""
        return self._up(place_id, (PlaceKind.CITY, PlaceKind.REGION)) or self.by_id.get(place_id)

    def region(self, place_id) -> Place | None:
        """The region (ACLED's admin1). Almaty, Astana and Shymkent belong to no region: they are their own
        first-level unit, so a place under none is counted under its top-most ancestor."""
        region = self._up(place_id, (PlaceKind.REGION,))
        if region is not None:
            return region
        current = self.by_id.get(place_id)
        while current is not None and current.parent_id in self.by_id:
            current = self.by_id[current.parent_id]
        return current

    def name(self, place: Place | None) -> str:
        return place.name_in(self.language) if place is not None else ""
