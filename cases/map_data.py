"""Detentions per city for the dashboard map: counting lives in cases (it reads detentions), drawing in
events.map (which must not import cases)."""

import datetime as dt
from collections import Counter
from collections.abc import Callable

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from cases.models import Detention
from events.map import MapPoint, render_map_svg
from events.models import Place, PlaceKind


def _period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Whole local days, both ends included: a monitor's "1-5 January" includes the evening of the 5th."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _city_of(place: Place, places: dict[int, Place]) -> Place:
    """A district or site rolls up to its city; a region (or a place under no city) stays itself."""
    current = place
    while current.kind not in (PlaceKind.CITY, PlaceKind.REGION) and current.parent_id in places:
        current = places[current.parent_id]
    return current if current.kind in (PlaceKind.CITY, PlaceKind.REGION) else place


def _coordinates(place: Place, places: dict[int, Place]) -> tuple[float, float] | None:
    """The place's own coordinates, else its nearest ancestor's (a city entered without them)."""
    current: Place | None = place
    while current is not None:
        if current.latitude is not None and current.longitude is not None:
            return float(current.latitude), float(current.longitude)
        current = places.get(current.parent_id) if current.parent_id else None
    return None


def detention_counts_by_city(
    *, user, start: dt.date, end: dt.date, url_for: Callable[[str], str] | None = None
) -> list[MapPoint]:
    """Detentions `user` may see (visible_to: restricted ones of other monitors are not counted), detained
    between `start` and `end` (local dates, inclusive), per city: a detention's own place, else its
    assembly's; a district or site counts for its city. A detention recorded only at region level is shown at
    the region's centre under the region's name rather than dropped. Detentions with no place at all, or whose
    place has no coordinates up its chain, are left out. Two queries: the counts, then the places.
    `url_for(place_code)` gives each point a site-relative link. Largest count first."""
    since, until = _period_bounds(start, end)
    rows = (
        Detention.objects.visible_to(user)
        .filter(detained_at__gte=since, detained_at__lt=until)
        .annotate(map_place=Coalesce("place_id", "assembly__place_id"))
        .filter(map_place__isnull=False)
        .values("map_place")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_place = {row["map_place"]: row["n"] for row in rows}
    if not per_place:
        return []
    places = {
        p.pk: p
        for p in Place.objects.visible_to(user).only(
            "id", "code", "kind", "parent_id", "latitude", "longitude", "name_en", "name_ru", "name_kk"
        )
    }
    totals: Counter[int] = Counter()
    for place_id, n in per_place.items():
        if place_id in places:
            totals[_city_of(places[place_id], places).pk] += n
    language = translation.get_language() or "en"
    points = []
    for place_id, n in totals.items():
        city = places[place_id]
        coordinates = _coordinates(city, places)
        if coordinates is None:
            continue
        points.append(
            MapPoint(
                label=city.name_in(language),
                latitude=coordinates[0],
                longitude=coordinates[1],
                count=n,
                url=url_for(city.code) if url_for else "",
            )
        )
    points.sort(key=lambda p: (-p.count, p.label))
    return points


def detention_map_svg(
    *, user, start: dt.date, end: dt.date, url_for: Callable[[str], str] | None = None
) -> str:
    """The dashboard's map for the period, as inline SVG (see events.map.render_map_svg)."""
    return render_map_svg(detention_counts_by_city(user=user, start=start, end=end, url_for=url_for))
