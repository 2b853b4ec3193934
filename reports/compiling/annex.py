"""The data annex of every periodic report: one row per assembly-day, in the column conventions of ACLED's
protest data, so researchers can merge it with ACLED's own. Like OVD-Info's counts, it counts detentions,
not people, and it names no one: no person, no free text a monitor typed (a description could name
someone), and no source titles (sources belong in the confidential block) — only their kinds.

A protest of several days gives a row per day within the period; a detention is counted on its own local
day, and a detention recorded before or after the assembly's days counts on its first or last day.
"""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, Prefetch
from django.db.models.functions import TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext

from events.models import AssemblyOutcome, CauseTag, Source
from reports.compiling.document import Table
from reports.compiling.naming import Redactor
from reports.compiling.scope import Places, Scope

COUNTRY = "Kazakhstan"
ISO = 398

# ACLED's protest sub-event types, from how the assembly ended.
SUB_EVENT = {
    AssemblyOutcome.FORCE_USED: "Excessive force against protesters",
    AssemblyOutcome.DISPERSED: "Protest with intervention",
    AssemblyOutcome.RESTRICTED: "Protest with intervention",
    AssemblyOutcome.PREVENTED: "Protest with intervention",
}

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "country",
    "iso",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "fatalities",
    "tags",
    "assembly_kind",
    "demands",
    "notification",
    "outcome",
    "participants_low",
    "participants_high",
    "detentions",
    "reported_detainees",
)


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value is not None else None


def _crowd(low: int | None, high: int | None) -> str:
    if low and high and high != low:
        return f"{low}-{high}"
    if low or high:
        return str(low or high)
    return ""


def annex_rows(scope: Scope, places: Places, redactor: Redactor) -> list[dict]:
    """The rows, sorted by date, then place, then event id. The organisers (free text: "a call by activist
    …") go through `redactor`. A fixed number of queries whatever the number of rows."""
    assemblies = list(
        scope.assemblies_in_period(described=True)
        .prefetch_related(
            Prefetch("causes", queryset=CauseTag.objects.order_by("code")),
            Prefetch("sources", queryset=Source.objects.filter(is_deleted=False).only("id", "kind")),
        )
        .order_by("starts_at", "id")
    )
    counts = (
        scope.detentions()
        .filter(assembly__in=[a.pk for a in assemblies])
        .annotate(day=TruncDate("detained_at", tzinfo=timezone.get_current_timezone()))
        .values("assembly_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_assembly_day: dict[int, Counter] = defaultdict(Counter)
    for row in counts:
        per_assembly_day[row["assembly_id"]][row["day"]] += row["n"]
    language = scope.language[:2]
    organisers = dict(
        zip(
            [a.pk for a in assemblies],
            redactor.redact_all([a.organisers for a in assemblies]),
            strict=True,
        )
    )
    rows = []
    for assembly in assemblies:
        first = _local_date(assembly.starts_at)
        last = max(_local_date(assembly.ends_at) or first, first)
        detentions = Counter()
        for day, n in per_assembly_day[assembly.pk].items():
            detentions[min(max(day, first), last)] += n
        city = places.city(assembly.place_id)
        region = places.region(assembly.place_id)
        coordinates = _coordinates(assembly.place_id, places)
        demands = ", ".join(cause.name_in(language) for cause in assembly.causes.all())
        source_kinds = sorted({str(source.get_kind_display()) for source in assembly.sources.all()})
        crowd = _crowd(assembly.participants_low, assembly.participants_high)
        day = max(first, scope.start)
        while day <= min(last, scope.end):
            n = detentions.get(day, 0)
            rows.append(
                {
                    "event_id_cnty": f"KAZ-{assembly.uid.hex[:8]}-{day:%Y%m%d}",
                    "event_date": day.isoformat(),
                    "year": day.year,
                    "event_type": "Protests",
                    "sub_event_type": SUB_EVENT.get(assembly.outcome, "Peaceful protest"),
                    "actor1": f"Protesters ({COUNTRY})",
                    "assoc_actor_1": organisers[assembly.pk],
                    "inter1": 6,
                    "actor2": f"Police Forces of {COUNTRY}" if assembly.outcome in SUB_EVENT or n else "",
                    "country": COUNTRY,
                    "iso": ISO,
                    "admin1": places.name(region),
                    "location": places.name(city),
                    "latitude": coordinates[0] if coordinates else None,
                    "longitude": coordinates[1] if coordinates else None,
                    "source": "; ".join(source_kinds),
                    "notes": _notes(assembly, day, places.name(city), demands, crowd, n),
                    "fatalities": 0,
                    "tags": f"crowd size={crowd or 'no report'}",
                    "assembly_kind": str(assembly.get_kind_display()),
                    "demands": demands,
                    "notification": str(assembly.get_notification_display()),
                    "outcome": str(assembly.get_outcome_display()),
                    "participants_low": assembly.participants_low,
                    "participants_high": assembly.participants_high,
                    "detentions": n,
                    "reported_detainees": assembly.reported_detainees
                    if day == max(first, scope.start)
                    else None,
                }
            )
            day += dt.timedelta(days=1)
    rows.sort(key=lambda r: (r["event_date"], r["admin1"], r["location"], r["event_id_cnty"]))
    return rows


def _coordinates(place_id, places: Places) -> tuple[float, float] | None:
    current = places.by_id.get(place_id)
    while current is not None:
        if current.latitude is not None and current.longitude is not None:
            return float(current.latitude), float(current.longitude)
        current = places.by_id.get(current.parent_id)
    return None


def _notes(assembly, day: dt.date, city: str, demands: str, crowd: str, detentions: int) -> str:
    text = gettext("On %(date)s, %(kind)s in %(place)s.") % {
        "date": formats.date_format(day, "DATE_FORMAT"),
        "kind": str(assembly.get_kind_display()).lower(),
        "place": city or gettext("an unrecorded place"),
    }
    if demands:
        text += " " + gettext("Demands: %(demands)s.") % {"demands": demands}
    if crowd:
        text += " " + gettext("Participants: %(crowd)s.") % {"crowd": crowd}
    text += " " + gettext("Outcome: %(outcome)s.") % {"outcome": str(assembly.get_outcome_display()).lower()}
    text += " " + pgettext("annex", "Detentions recorded: %(n)s.") % {"n": detentions}
    return text


def annex_table(rows: list[dict]) -> Table:
    return Table(
        key="annex",
        caption=gettext("Data annex: one row per assembly-day (ACLED columns)"),
        columns=list(COLUMNS),
        rows=[[row[column] for column in COLUMNS] for row in rows],
        note=gettext("Counts detentions, not people; names no one."),
    )
