"""The dashboard's map of Kazakhstan, drawn as inline SVG on the server.

No tile server, no CDN, no script: the map must work offline and inside a page with a strict CSP, so the
country outline ships with the app (`static/kuzet/map/kazakhstan.geojson`, see its README) and the circles are
computed here. Everything that comes from the database is XML-escaped; links must be site-relative.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext, ngettext

OUTLINE_PATH = Path(__file__).resolve().parent / "static" / "kuzet" / "map" / "kazakhstan.geojson"

MARGIN = 12  # px around the outline's bounding box
MAX_RADIUS = 28.0  # px: the biggest city must not hide its neighbours
MIN_RADIUS = 2.5  # px: one detention must still be visible and hoverable
DEFAULT_K = 4.0  # px per sqrt(detention) while the largest count stays under the cap
LABELLED = 6  # the largest points get a text label; the others only a tooltip


@dataclass(frozen=True)
class MapPoint:
    label: str
    latitude: float
    longitude: float
    count: int
    url: str = ""


@dataclass(frozen=True)
class Outline:
    rings: tuple[tuple[tuple[float, float], ...], ...]  # exterior rings, (lon, lat)
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@lru_cache(maxsize=1)
def load_outline(path: Path = OUTLINE_PATH) -> Outline:
    """The country's polygons from the shipped GeoJSON, read once per process."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rings = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        rings.extend(tuple((float(lon), float(lat)) for lon, lat in polygon[0]) for polygon in polygons)
    lons = [lon for ring in rings for lon, _ in ring]
    lats = [lat for ring in rings for _, lat in ring]
    return Outline(rings=tuple(rings), bbox=(min(lons), min(lats), max(lons), max(lats)))


class _Projection:
    """Equirectangular, x shrunk by cos(mid latitude) so Kazakhstan keeps its shape (a degree of longitude
    at 48° N is about two thirds of a degree of latitude), fitted into the canvas and centred."""

    def __init__(self, bbox: tuple[float, float, float, float], width: int, height: int):
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = bbox
        self.kx = math.cos(math.radians((self.min_lat + self.max_lat) / 2))
        span_x = (self.max_lon - self.min_lon) * self.kx
        span_y = self.max_lat - self.min_lat
        self.scale = min((width - 2 * MARGIN) / span_x, (height - 2 * MARGIN) / span_y)
        self.dx = (width - span_x * self.scale) / 2
        self.dy = (height - span_y * self.scale) / 2

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.dx + (lon - self.min_lon) * self.kx * self.scale
        y = self.dy + (self.max_lat - lat) * self.scale
        return x, y


def _safe_url(url: str) -> str:
    """Only site-relative links: a `javascript:` or off-site href in a map tooltip is never intended."""
    if url.startswith("/") and not url.startswith("//"):
        return url
    raise ValueError(f"Map links must be site-relative paths, not {url!r}.")


def _radius(count: int, k: float) -> float:
    return max(MIN_RADIUS, min(MAX_RADIUS, k * math.sqrt(count)))


def render_map_svg(
    points: list[MapPoint], *, width: int = 800, height: int = 420, title: str | None = None
) -> str:
    """An SVG document (no scripts, no external references, inline attributes only) with the country outline
    and one circle per point whose area is proportional to its count (capped at MAX_RADIUS for the largest,
    the others scaled with it). Points without a positive count or coordinates are left out; points outside
    the country's bounding box (a mistyped coordinate) are clamped to the edge of the canvas rather than
    dropped, so their count stays visible and the mistake can be noticed. Raises ValueError on a link that
    is not a site-relative path."""
    outline = load_outline()
    project = _Projection(outline.bbox, width, height)
    title = title if title is not None else gettext("Map of Kazakhstan: detentions per city")

    shown = [p for p in points if p.count > 0 and p.latitude is not None and p.longitude is not None]
    largest = max((p.count for p in shown), default=1)
    k = min(DEFAULT_K, MAX_RADIUS / math.sqrt(largest))
    # Largest first, so smaller circles are drawn on top and stay hoverable.
    shown.sort(key=lambda p: (-p.count, p.label))
    labelled = {id(p) for p in shown[:LABELLED]}

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label={quoteattr(title)} font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<path class="map-outline" d="{_outline_path(outline, project)}" fill="#eef1f4" stroke="#7a8794" '
        'stroke-width="1" stroke-linejoin="round"/>',
    ]
    labels: list[str] = []
    taken: list[tuple[float, float, float, float]] = []
    for point in shown:
        r = _radius(point.count, k)
        x, y = project(float(point.longitude), float(point.latitude))
        x = min(max(x, r), width - r)
        y = min(max(y, r), height - r)
        tooltip = ngettext("%(city)s: %(count)d detention", "%(city)s: %(count)d detentions", point.count) % {
            "city": point.label,
            "count": point.count,
        }
        circle = (
            f'<circle class="map-point" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#c0392b" '
            f'fill-opacity="0.6" stroke="#7b241c" stroke-width="1"><title>{escape(tooltip)}</title></circle>'
        )
        if point.url:
            circle = f"<a href={quoteattr(_safe_url(point.url))}>{circle}</a>"
        parts.append(circle)
        if id(point) in labelled:
            text = f"{point.label} ({point.count})"
            placed = _place_label(x, y, r, text, width, taken)
            if placed is not None:
                anchor, tx = placed
                labels.append(
                    f'<text x="{tx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}" font-size="12" fill="#222" '
                    f'stroke="#fff" stroke-width="3" paint-order="stroke">{escape(text)}</text>'
                )
    # Labels after every circle, so no circle covers a label.
    parts.extend(labels)
    parts.append("</svg>")
    return "".join(parts)


def _place_label(
    x: float, y: float, r: float, text: str, width: int, taken: list[tuple[float, float, float, float]]
) -> tuple[str, float] | None:
    """Right of the circle, else left of it, else no label (the tooltip still names the city): neighbours
    such as Aktau and Zhanaozen must not print over each other. Text width is estimated, not measured."""
    text_width = 7.0 * len(text)
    for anchor, tx, left in (("start", x + r + 3, x + r + 3), ("end", x - r - 3, x - r - 3 - text_width)):
        box = (left, y - 9, left + text_width, y + 6)
        overlaps = any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken)
        if not overlaps and box[0] >= 0 and box[2] <= width:
            taken.append(box)
            return anchor, tx
    return None


def _outline_path(outline: Outline, project: _Projection) -> str:
    rings = []
    for ring in outline.rings:
        coords = [project(lon, lat) for lon, lat in ring]
        rings.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
    return "".join(rings)
