"""Convert a country from a Natural Earth TopoJSON file (npm `world-atlas`) into the static GeoJSON outline
the dashboard map draws. Run once by hand when the outline should change; the result is kept in the
repository so the map works offline. Reads a local file only: no network at run time."""

import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "static" / "kuzet" / "map" / "kazakhstan.geojson"


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantised and delta-encoded; return them as absolute lon/lat."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            if transform:
                x, y = x + dx, y + dy
                (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((dx, dy))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Stitch a ring from arc indexes; ~i is arc i reversed, and each arc repeats the previous one's end."""
    ring: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (a long coastline would overflow recursion)."""
    if len(points) < 3 or tolerance <= 0:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, distance = 0, -1.0
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                d = math.hypot(px - x1, py - y1)
            else:
                d = abs((x2 - x1) * (y1 - py) - (x1 - px) * (y2 - y1)) / length
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack.extend([(first, farthest), (farthest, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def _rounded(ring: list[tuple[float, float]], digits: int) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, digits), round(lat, digits)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def outline_from_topojson(topology: dict, *, country_id: str, tolerance: float, digits: int = 3) -> dict:
    """A GeoJSON FeatureCollection with the country's polygons, exterior rings only, simplified and rounded;
    rings too small to survive simplification (fewer than 4 points) are dropped. Holes are left out on
    purpose: the only one in Kazakhstan's Natural Earth polygon is the Baikonur lease, which is Kazakhstan's
    territory and where detentions are still recorded under Kazakhstan."""
    arcs = _decode_arcs(topology)
    geometry = next(
        (g for g in topology["objects"]["countries"]["geometries"] if str(g.get("id")) == country_id), None
    )
    if geometry is None:
        raise CommandError(f"No country with id {country_id} in the file.")
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    coordinates = []
    for polygon in polygons:
        exterior = _rounded(_simplify(_ring(polygon[0], arcs), tolerance), digits)
        if len(exterior) >= 4:
            coordinates.append([exterior])
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": country_id,
                "properties": dict(geometry.get("properties") or {}),
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
            }
        ],
    }


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a file conversion: needs no database nor URLs
    help = "Write a country's outline as simplified GeoJSON from a local world-atlas TopoJSON file."

    def add_arguments(self, parser):
        parser.add_argument("topojson", type=Path, help="e.g. package/countries-50m.json from world-atlas@2")
        parser.add_argument("--country", default="398", help="ISO 3166 numeric id (398: Kazakhstan)")
        parser.add_argument("--tolerance", type=float, default=0.01, help="Douglas-Peucker, in degrees")
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(self, *args, topojson: Path, country: str, tolerance: float, output: Path, **options):
        try:
            topology = json.loads(topojson.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {topojson}: {error}") from error
        outline = outline_from_topojson(topology, country_id=country, tolerance=tolerance)
        text = json.dumps(outline, separators=(",", ":")) + "\n"
        output.write_text(text, encoding="utf-8")
        points = sum(len(r) for p in outline["features"][0]["geometry"]["coordinates"] for r in p)
        self.stdout.write(f"Wrote {output} ({points} points, {len(text)} bytes).")
