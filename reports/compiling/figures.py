"""The figures of a period, aggregated in SQL: each function runs a fixed number of queries whatever the
number of rows, and returns plain types (str, int, lists, dicts) so the JSON and the snapshot on the Report
are the same thing. Rows are sorted (largest first, then by name), so the same data gives the same output.

"Detained in the period" and "held on the last day" are different numbers and both are given: a person
arrested on the 3rd and released on the 4th is the first and not the second; a person sentenced last year
and still in prison is the second and not the first.
"""

import datetime as dt
from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    Authority,
    CaseKind,
    DetentionOutcome,
    SentenceKind,
    SentenceStatus,
)
from cases.models import CustodyPeriod, Detention
from core.dates import DatePrecision
from events.models import AssemblyOutcome, NotificationStatus
from reports.compiling.scope import Places, Scope, local_bounds

DAY_PRECISIONS = (DatePrecision.TIME, DatePrecision.DAY)
IN_CUSTODY_SENTENCES = (SentenceKind.IMPRISONMENT, SentenceKind.ADMINISTRATIVE_ARREST)
RESTRICTING_SENTENCES = (SentenceKind.RESTRICTION_OF_LIBERTY,)
DISPERSED_OUTCOMES = (AssemblyOutcome.DISPERSED, AssemblyOutcome.FORCE_USED)
RESTRICTED_OUTCOMES = (AssemblyOutcome.RESTRICTED, AssemblyOutcome.PREVENTED)


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def _rows(counts: Counter, labels: dict[str, str], key: str) -> list[dict]:
    rows = [{key: code, "label": labels.get(code, code), "count": n} for code, n in counts.items()]
    rows.sort(key=lambda r: (-r["count"], r["label"]))
    return rows


# --- detentions ----------------------------------------------------------------------------------------


def detentions_by_day(scope: Scope) -> list[dict]:
    """Detentions per local day of the period, days without any included as 0. A detention known only to
    the month or year ("February 2019") has no day: it is left out here and counted in
    `day_not_known`, not piled onto the 1st. One query."""
    rows = (
        scope.detentions_in_period()
        .filter(detained_at_precision__in=DAY_PRECISIONS)
        .annotate(day=TruncDate("detained_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["day"]: row["n"] for row in rows}
    days = (scope.end - scope.start).days + 1
    return [
        {"date": day.isoformat(), "count": counts.get(day, 0)}
        for day in (scope.start + dt.timedelta(days=i) for i in range(days))
    ]


def _per_place(scope: Scope) -> dict:
    rows = (
        scope.detentions_in_period()
        .annotate(at=Coalesce("place_id", "assembly__place_id"))
        .values("at")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["at"]: row["n"] for row in rows}


def _rolled_up(per_place: dict, places: Places, up) -> list[dict]:
    totals: Counter = Counter()
    names: dict[str, str] = {}
    for place_id, n in per_place.items():
        place = up(place_id) if place_id is not None else None
        code = place.code if place is not None else ""
        names[code] = places.name(place) if place is not None else gettext("Place not recorded")
        totals[code] += n
    rows = [{"code": code, "name": names[code], "count": n} for code, n in totals.items()]
    rows.sort(key=lambda r: (-r["count"], r["code"] == "", r["name"]))
    return rows


def detentions_by_city(scope: Scope, places: Places, per_place: dict | None = None) -> list[dict]:
    """Detentions per city: the detention's own place, else its assembly's; a district or site counts for
    its city, a place entered at region level stays under the region's name. Detentions with no place at
    all are one row, "Place not recorded", so the rows add up to the total. One query."""
    return _rolled_up(per_place if per_place is not None else _per_place(scope), places, places.city)


def detentions_by_region(scope: Scope, places: Places, per_place: dict | None = None) -> list[dict]:
    """The same per region (ACLED's admin1). One query."""
    return _rolled_up(per_place if per_place is not None else _per_place(scope), places, places.region)


def _grouped(queryset, field: str, choices, key: str) -> list[dict]:
    counts = Counter(
        {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("id")).order_by()}
    )
    return _rows(counts, {code: _label(choices, code) for code in counts}, key)


def detentions_by_outcome(scope: Scope) -> list[dict]:
    return _grouped(scope.detentions_in_period(), "outcome", DetentionOutcome, "outcome")


def detentions_by_authority(scope: Scope) -> list[dict]:
    """Who detained (HURIDOCS MT 24, perpetrator type)."""
    return _grouped(scope.detentions_in_period(), "authority", Authority, "authority")


def people_detained(scope: Scope) -> int:
    """Distinct people with at least one detention in the period. One query."""
    return scope.detentions_in_period().values("person_id").distinct().count()


def held_on(scope: Scope, day: dt.date):
    """The people (a queryset of ids) in custody at some time on `day`:
    - a live custody period covers the day (a transfer is a new period);
    - or, for a detention with no custody period entered, detained before the day ended and released on or
      after it began, or not released and still held (outcome "still held");
    - or serving a custodial sentence (imprisonment, administrative arrest) that covers the day."""
    day_start, day_end = local_bounds(day, day)
    detentions = scope.detentions()
    live_periods = CustodyPeriod.objects.filter(is_deleted=False, detention=OuterRef("pk"))
    covering = live_periods.filter(started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )
    without_periods = (
        ~Q(Exists(live_periods))
        & Q(detained_at__lt=day_end)
        & (Q(released_at__gte=day_start) | Q(released_at__isnull=True, outcome=DetentionOutcome.STILL_HELD))
    )
    held = detentions.filter(Q(Exists(covering)) | without_periods).values("person_id")
    serving = (
        scope.sentences()
        .filter(kind__in=IN_CUSTODY_SENTENCES, starts_on__lte=day)
        .exclude(status__in=(SentenceStatus.QUASHED, SentenceStatus.PARDONED))
        .annotate(expected=Coalesce("ends_on_override", "ends_on"))
        .filter(Q(expected__gte=day) | Q(expected__isnull=True, status=SentenceStatus.SERVING))
        .values("legal_case__person_id")
    )
    # One set of ids (a UNION), not an OR of two IN tests: with the OR PostgreSQL re-read the held list for
    # every person (minutes at a million detentions, bench/README.md).
    return scope.people().filter(pk__in=held.order_by().union(serving.order_by())).values("pk")


def people_held_on_last_day(scope: Scope) -> int:
    """People in custody on the last day of the period (see held_on). One query."""
    return held_on(scope, scope.end).count()


def treatment_counts(scope: Scope) -> list[dict]:
    """Detentions in the period with each treatment tag (force, ill-treatment, seizures …). One query."""
    through = Detention.treatment.through
    rows = (
        through.objects.filter(detention__in=scope.detentions_in_period())
        .values("treatment__code", "treatment__name_en", "treatment__name_ru", "treatment__name_kk")
        .annotate(n=Count("detention_id", distinct=True))
        .order_by()
    )
    language = scope.language[:2]
    result = [
        {
            "code": row["treatment__code"],
            "label": row.get(f"treatment__name_{language}") or row["treatment__name_en"],
            "count": row["n"],
        }
        for row in rows
    ]
    result.sort(key=lambda r: (-r["count"], r["label"]))
    return result


# --- assemblies ----------------------------------------------------------------------------------------


def assembly_figures(scope: Scope, places: Places) -> dict:
    """How many assemblies took place, and how they ended and were notified; per region. Three queries."""
    assemblies = scope.assemblies_in_period()
    by_outcome = _grouped(assemblies, "outcome", AssemblyOutcome, "outcome")
    by_notification = _grouped(assemblies, "notification", NotificationStatus, "notification")
    per_place = Counter(
        {
            row["place_id"]: row["n"]
            for row in assemblies.values("place_id").annotate(n=Count("id")).order_by()
        }
    )
    outcome_counts = {row["outcome"]: row["count"] for row in by_outcome}
    return {
        "total": sum(outcome_counts.values()),
        "restricted": sum(outcome_counts.get(code, 0) for code in RESTRICTED_OUTCOMES),
        "dispersed": sum(outcome_counts.get(code, 0) for code in DISPERSED_OUTCOMES),
        "by_outcome": by_outcome,
        "by_notification": by_notification,
        "by_region": _rolled_up(per_place, places, places.region),
    }


def region_table(scope: Scope, places: Places, per_place_detentions: dict) -> list[dict]:
    """Per region: assemblies, of which restricted and dispersed, and detentions. Two queries."""
    rows: dict[str, dict] = {}

    def row(place_id) -> dict:
        region = places.region(place_id) if place_id is not None else None
        code = region.code if region is not None else ""
        if code not in rows:
            name = places.name(region) if region is not None else gettext("Place not recorded")
            rows[code] = {
                "code": code,
                "name": name,
                "assemblies": 0,
                "restricted": 0,
                "dispersed": 0,
                "detentions": 0,
            }
        return rows[code]

    for item in scope.assemblies_in_period().values("place_id", "outcome").annotate(n=Count("id")).order_by():
        target = row(item["place_id"])
        target["assemblies"] += item["n"]
        if item["outcome"] in RESTRICTED_OUTCOMES:
            target["restricted"] += item["n"]
        if item["outcome"] in DISPERSED_OUTCOMES:
            target["dispersed"] += item["n"]
    for place_id, n in per_place_detentions.items():
        row(place_id)["detentions"] += n
    return sorted(
        rows.values(), key=lambda r: (-r["detentions"], -r["assemblies"], r["code"] == "", r["name"])
    )


# --- legal cases -----------------------------------------------------------------------------------------


def new_cases_by_article(scope: Scope) -> dict:
    """Administrative and criminal cases opened in the period, per article charged (a case with two
    articles counts under each; one with none under "no article recorded"), and the number of cases. Two
    queries."""
    cases = scope.legal_cases().filter(opened_on__gte=scope.start, opened_on__lte=scope.end)
    totals = {row["kind"]: row["n"] for row in cases.values("kind").annotate(n=Count("id")).order_by()}
    charged = (
        scope.charges()
        .filter(legal_case__in=cases)
        .values(
            "legal_case__kind",
            "article__code",
            "article__law",
            "article__number",
            "article__part",
            "article__name_en",
            "article__name_ru",
            "article__name_kk",
        )
        .annotate(n=Count("legal_case_id", distinct=True))
        .order_by()
    )
    uncharged = (
        cases.exclude(Exists(scope.charges().filter(legal_case=OuterRef("pk"))))
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    language = scope.language[:2]
    result: dict = {}
    for kind in (CaseKind.ADMINISTRATIVE, CaseKind.CRIMINAL):
        rows = [
            {
                "article": row["article__code"],
                "citation": citation(row["article__law"], row["article__number"], row["article__part"]),
                "title": row.get(f"article__name_{language}") or row["article__name_en"],
                "count": row["n"],
            }
            for row in charged
            if row["legal_case__kind"] == kind
        ]
        rows += [
            {"article": "", "citation": "—", "title": gettext("No article recorded"), "count": row["n"]}
            for row in uncharged
            if row["kind"] == kind
        ]
        rows.sort(key=lambda r: (-r["count"], r["article"] == "", r["citation"]))
        result[kind.value] = {"cases": totals.get(kind, 0), "by_article": rows}
    return result


def citation(law: str, number: str, part: str) -> str:
    """As LegalArticle.citation words it: "CC art. 405 part 2"."""
    return f"{law} art. {number}" + (f" part {part}" if part else "")


def sentence_figures(scope: Scope) -> dict:
    """Sentences decided in the period, per kind, with the days of administrative arrest and the months of
    imprisonment they add up to. One query."""
    sentences = scope.sentences().filter(decided_on__gte=scope.start, decided_on__lte=scope.end)
    rows = (
        sentences.values("kind")
        .annotate(
            n=Count("id"),
            years=Coalesce(Sum("term_years"), 0),
            months=Coalesce(Sum("term_months"), 0),
            days=Coalesce(Sum("term_days"), 0),
        )
        .order_by()
    )
    by_kind = [
        {
            "kind": row["kind"],
            "label": _label(SentenceKind, row["kind"]),
            "count": row["n"],
            "term_months": row["years"] * 12 + row["months"],
            "term_days": row["days"],
        }
        for row in rows
    ]
    by_kind.sort(key=lambda r: (-r["count"], r["label"]))
    return {"total": sum(r["count"] for r in by_kind), "by_kind": by_kind}


# --- the whole set -------------------------------------------------------------------------------------


def key_figures(scope: Scope) -> dict:
    """The headline numbers, also computed for the previous period to show the change. Six queries."""
    cases = scope.legal_cases().filter(opened_on__gte=scope.start, opened_on__lte=scope.end)
    kinds = {row["kind"]: row["n"] for row in cases.values("kind").annotate(n=Count("id")).order_by()}
    assemblies = scope.assemblies_in_period()
    return {
        "assemblies": assemblies.count(),
        "assemblies_dispersed": assemblies.filter(outcome__in=DISPERSED_OUTCOMES).count(),
        "detentions": scope.detentions_in_period().count(),
        "people_detained": people_detained(scope),
        "people_held_on_last_day": people_held_on_last_day(scope),
        "new_administrative_cases": kinds.get(CaseKind.ADMINISTRATIVE, 0),
        "new_criminal_cases": kinds.get(CaseKind.CRIMINAL, 0),
    }


KEY_FIGURE_LABELS = {
    "assemblies": _("Assemblies"),
    "assemblies_dispersed": _("Assemblies dispersed or met with force"),
    "detentions": _("Detentions"),
    "people_detained": _("People detained in the period"),
    "people_held_on_last_day": _("People held on the last day"),
    "new_administrative_cases": _("New administrative cases"),
    "new_criminal_cases": _("New criminal cases"),
}


def key_figure_label(key: str) -> str:
    return str(KEY_FIGURE_LABELS[key])


def trends(current: dict, previous: dict) -> list[dict]:
    """Each key figure against the previous period: the change in number and in per cent (none when the
    previous figure was 0)."""
    rows = []
    for key in KEY_FIGURE_LABELS:
        now, before = current[key], previous[key]
        rows.append(
            {
                "key": key,
                "label": key_figure_label(key),
                "current": now,
                "previous": before,
                "change": now - before,
                "change_percent": round((now - before) * 100 / before) if before else None,
            }
        )
    return rows


def period_figures(scope: Scope, places: Places, *, with_trends: bool = False) -> dict:
    """Every figure the periodic reports share. About twenty queries, whatever the number of rows."""
    per_place = _per_place(scope)
    figures = {
        "period": {"start": scope.start.isoformat(), "end": scope.end.isoformat()},
        "restricted_records_counted": scope.definition.count_restricted,
        "key_figures": key_figures(scope),
        "detentions": {
            "total": sum(per_place.values()),
            "people_detained": people_detained(scope),
            "people_held_on_last_day": people_held_on_last_day(scope),
            "by_city": detentions_by_city(scope, places, per_place),
            "by_region": detentions_by_region(scope, places, per_place),
            "by_day": detentions_by_day(scope),
            "day_not_known": scope.detentions_in_period()
            .exclude(detained_at_precision__in=DAY_PRECISIONS)
            .count(),
            "by_outcome": detentions_by_outcome(scope),
            "by_authority": detentions_by_authority(scope),
        },
        "treatment": treatment_counts(scope),
        "assemblies": assembly_figures(scope, places),
        "regions": region_table(scope, places, per_place),
        "new_cases": new_cases_by_article(scope),
        "sentences": sentence_figures(scope),
    }
    if with_trends:
        previous = scope.previous()
        figures["previous_period"] = {"start": previous.start.isoformat(), "end": previous.end.isoformat()}
        figures["trends"] = trends(figures["key_figures"], key_figures(previous))
    return figures
