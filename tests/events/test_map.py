"""events.map.render_map_svg: a safe, self-contained SVG of Kazakhstan with one circle per city."""

import xml.etree.ElementTree as ET

import pytest

from events.map import MAX_RADIUS, OUTLINE_PATH, MapPoint, load_outline, render_map_svg

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own output, parsed to check it is well-formed


def _circles(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}circle"))


def _radius_of(root: ET.Element, tooltip_start: str) -> float:
    for circle in _circles(root):
        if circle.find(f"{SVG}title").text.startswith(tooltip_start):
            return float(circle.get("r"))
    raise AssertionError(tooltip_start)


ALMATY = MapPoint("Almaty", 43.2525, 76.9115, 40)
AKTAU = MapPoint("Aktau", 43.6611, 51.1739, 4)
ASTANA = MapPoint("Astana", 51.1801, 71.4460, 10)


def test_outline_file_is_kazakhstan_and_small():
    outline = load_outline()
    min_lon, min_lat, max_lon, max_lat = outline.bbox
    assert 46 <= min_lon < 47 and 87 < max_lon <= 88
    assert 40 <= min_lat < 41 and 55 < max_lat <= 56
    assert OUTLINE_PATH.stat().st_size < 200_000
    assert sum(len(ring) for ring in outline.rings) > 500  # recognisable, not a box


def test_svg_parses_with_role_label_and_outline_path():
    root = _parse(render_map_svg([ALMATY, AKTAU]))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root.get("viewBox") == "0 0 800 420"
    outline = root.find(f"{SVG}path")
    assert outline is not None and outline.get("d").startswith("M") and outline.get("d").count("M") >= 1
    assert len(outline.get("d")) > 5_000


def test_one_circle_per_point_and_larger_count_larger_radius():
    root = _parse(render_map_svg([AKTAU, ALMATY, ASTANA]))
    assert len(_circles(root)) == 3
    assert _radius_of(root, "Almaty") > _radius_of(root, "Astana") > _radius_of(root, "Aktau")


def test_area_is_proportional_to_count_and_the_largest_is_capped():
    root = _parse(
        render_map_svg([MapPoint("Big", 43.25, 76.9, 10_000), MapPoint("Small", 51.2, 71.4, 2_500)])
    )
    big, small = _radius_of(root, "Big"), _radius_of(root, "Small")
    assert big == pytest.approx(MAX_RADIUS, abs=0.1)
    assert (big / small) ** 2 == pytest.approx(4, rel=0.02)


def test_tooltip_says_city_and_detentions():
    root = _parse(render_map_svg([ALMATY, MapPoint("Taraz", 42.9, 71.37, 1)]))
    titles = {c.find(f"{SVG}title").text for c in _circles(root)}
    assert titles == {"Almaty: 40 detentions", "Taraz: 1 detention"}


def test_almaty_is_south_east_of_aktau():
    root = _parse(render_map_svg([ALMATY, AKTAU]))
    positions = {
        c.find(f"{SVG}title").text.split(":")[0]: (float(c.get("cx")), float(c.get("cy")))
        for c in _circles(root)
    }
    assert positions["Almaty"][0] > positions["Aktau"][0] + 300  # far east
    assert abs(positions["Almaty"][1] - positions["Aktau"][1]) < 20  # about the same latitude


def test_labels_are_escaped_and_nothing_executable():
    evil = MapPoint('<script>alert(1)</script> & "Co"', 45.0, 70.0, 5)
    svg = render_map_svg([evil])
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg
    root = _parse(svg)
    assert root.find(f".//{SVG}script") is None
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ['<script>alert(1)</script> & "Co" (5)']  # the parsed text is the label, verbatim
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<style" not in svg and "href" not in svg


def test_site_relative_link_is_kept():
    root = _parse(render_map_svg([MapPoint("Almaty", 43.25, 76.9, 3, url="/search/?city=almaty&from=2022")]))
    link = root.find(f"{SVG}a")
    assert link.get("href") == "/search/?city=almaty&from=2022"
    assert link.find(f"{SVG}circle") is not None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://example.org/", "//example.org/x"])
def test_unsafe_link_is_refused(url):
    with pytest.raises(ValueError, match="site-relative"):
        render_map_svg([MapPoint("Almaty", 43.25, 76.9, 3, url=url)])


def test_point_outside_the_country_is_clamped_inside_the_viewbox():
    # Latitude and longitude swapped by mistake: far north-east of Kazakhstan's box.
    root = _parse(render_map_svg([MapPoint("Swapped", 76.9, 43.25, 9)], width=800, height=420))
    (circle,) = _circles(root)
    x, y, r = float(circle.get("cx")), float(circle.get("cy")), float(circle.get("r"))
    assert r <= x <= 800 - r and r <= y <= 420 - r


def test_points_without_count_or_coordinates_are_left_out():
    root = _parse(
        render_map_svg([MapPoint("Zero", 45.0, 70.0, 0), MapPoint("Nowhere", None, None, 3), ALMATY])
    )
    assert len(_circles(root)) == 1


def test_empty_map_still_draws_the_outline():
    root = _parse(render_map_svg([]))
    assert root.find(f"{SVG}path") is not None and not _circles(root)


def test_labels_of_neighbouring_cities_do_not_overlap():
    # Aktau and Zhanaozen are 140 km apart: a few pixels on the map.
    root = _parse(render_map_svg([AKTAU, MapPoint("Zhanaozen", 43.3412, 52.8619, 6)]))
    texts = {t.text: t for t in root.iter(f"{SVG}text")}
    assert set(texts) <= {"Aktau (4)", "Zhanaozen (6)"} and "Zhanaozen (6)" in texts
    if "Aktau (4)" in texts:  # placed on the other side of its circle
        assert texts["Aktau (4)"].get("text-anchor") == "end"
