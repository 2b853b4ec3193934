"""build_map_outline: TopoJSON (quantised, delta-encoded, shared arcs) to the shipped GeoJSON outline."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

# A square country 398 made of two arcs, the second used reversed (~1), with a hole, quantised with a
# transform; and a neighbour 417 that must not be picked.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.001, 0.001], "translate": [50, 40]},
    "arcs": [
        [[0, 0], [10000, 0], [0, 10000]],  # (50,40) → (60,40) → (60,50)
        [[0, 0], [0, 10000], [10000, 0]],  # (50,40) → (50,50) → (60,50), used reversed
        [[2000, 2000], [1000, 0], [0, 1000], [-1000, 0], [0, -1000]],  # a hole
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "417", "arcs": [[0]], "properties": {"name": "Other"}},
                {"type": "Polygon", "id": "398", "arcs": [[0, -2], [2]], "properties": {"name": "Testland"}},
            ],
        }
    },
}


def test_writes_the_country_exterior_ring_in_lon_lat(tmp_path):
    source, output = tmp_path / "countries.json", tmp_path / "out.geojson"
    source.write_text(json.dumps(TOPOLOGY))

    call_command("build_map_outline", str(source), "--output", str(output), stdout=io.StringIO())

    feature = json.loads(output.read_text())["features"][0]
    assert feature["properties"] == {"name": "Testland"}
    assert feature["geometry"]["coordinates"] == [[[[50, 40], [60, 40], [60, 50], [50, 50], [50, 40]]]]


def test_unknown_country_is_an_error(tmp_path):
    source = tmp_path / "countries.json"
    source.write_text(json.dumps(TOPOLOGY))

    with pytest.raises(CommandError, match="No country with id 999"):
        call_command("build_map_outline", str(source), "--country", "999", "--output", str(tmp_path / "x"))
