"""cases.map_data.detention_counts_by_city: per-city counts for the dashboard map, within visibility."""

import datetime as dt

import pytest

from cases.map_data import detention_counts_by_city, detention_map_svg
from core.models import Confidentiality
from events.models import Place, PlaceKind
from tests.cases.factories import DetentionFactory
from tests.events.factories import AssemblyFactory, PlaceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

JAN_4 = dt.datetime(2022, 1, 4, 18, 0, tzinfo=dt.UTC)
START, END = dt.date(2022, 1, 2), dt.date(2022, 1, 10)


def _counts(points) -> dict[str, int]:
    return {p.label: p.count for p in points}


@pytest.fixture
def almaty():
    return Place.objects.get(code="almaty")


@pytest.fixture
def aktau():
    return Place.objects.get(code="aktau")


def test_counts_per_city_roll_districts_and_sites_up_and_use_the_assembly_place(monitor, almaty, aktau):
    district = PlaceFactory(
        code="test-almaly", name_en="Test district", kind=PlaceKind.DISTRICT, parent=almaty
    )
    site = PlaceFactory(code="test-square", name_en="Test square", kind=PlaceKind.SITE, parent=district)
    DetentionFactory.create_batch(2, place=almaty, detained_at=JAN_4)
    DetentionFactory(place=district, detained_at=JAN_4)
    DetentionFactory(place=site, detained_at=JAN_4)
    DetentionFactory(place=None, assembly=AssemblyFactory(place=aktau), detained_at=JAN_4)
    # The detention's own place wins over its assembly's.
    DetentionFactory(place=aktau, assembly=AssemblyFactory(place=almaty), detained_at=JAN_4)

    points = detention_counts_by_city(user=monitor, start=START, end=END)

    assert _counts(points) == {"Almaty": 4, "Aktau": 2}
    assert [p.label for p in points] == ["Almaty", "Aktau"]  # largest first
    assert (points[0].latitude, points[0].longitude) == pytest.approx((43.2525, 76.9115))


def test_period_is_whole_local_days_both_ends_included(monitor, almaty, settings):
    tz = dt.timezone(dt.timedelta(hours=5))  # Kazakhstan, UTC+5 since 2024
    DetentionFactory(place=almaty, detained_at=dt.datetime(2022, 1, 1, 23, 59, tzinfo=tz))  # before
    DetentionFactory(place=almaty, detained_at=dt.datetime(2022, 1, 2, 0, 0, tzinfo=tz))  # first day
    DetentionFactory(place=almaty, detained_at=dt.datetime(2022, 1, 10, 23, 30, tzinfo=tz))  # last evening
    DetentionFactory(place=almaty, detained_at=dt.datetime(2022, 1, 11, 0, 0, tzinfo=tz))  # after
    settings.TIME_ZONE = "Asia/Almaty"

    assert _counts(detention_counts_by_city(user=monitor, start=START, end=END)) == {"Almaty": 2}


def test_only_detentions_visible_to_the_user_are_counted(monitor, other_monitor, almaty):
    DetentionFactory(place=almaty, detained_at=JAN_4)
    DetentionFactory(
        place=almaty, detained_at=JAN_4, confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    hidden_person = PersonFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    DetentionFactory(person=hidden_person, place=almaty, detained_at=JAN_4)
    hidden_assembly = AssemblyFactory(
        place=almaty, confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    DetentionFactory(place=None, assembly=hidden_assembly, detained_at=JAN_4)
    DetentionFactory(place=almaty, detained_at=JAN_4, is_deleted=True)

    assert _counts(detention_counts_by_city(user=monitor, start=START, end=END)) == {"Almaty": 1}
    assert _counts(detention_counts_by_city(user=other_monitor, start=START, end=END)) == {"Almaty": 4}


def test_outsider_sees_nothing(outsider, almaty):
    DetentionFactory(place=almaty, detained_at=JAN_4)

    assert detention_counts_by_city(user=outsider, start=START, end=END) == []


def test_region_level_detention_is_shown_at_the_region_centre(monitor):
    region = Place.objects.get(code="mangystau-region")
    DetentionFactory(place=region, detained_at=JAN_4)
    DetentionFactory(place=None, detained_at=JAN_4)  # nowhere: left out

    (point,) = detention_counts_by_city(user=monitor, start=START, end=END)

    assert (point.label, point.count) == ("Mangystau Region", 1)
    assert (point.latitude, point.longitude) == pytest.approx((43.6611, 51.1739))


def test_city_without_coordinates_takes_its_region_centre(monitor):
    region = Place.objects.get(code="jambyl-region")
    town = PlaceFactory(code="test-town", name_en="Testtown", kind=PlaceKind.CITY, parent=region)
    DetentionFactory(place=town, detained_at=JAN_4)

    (point,) = detention_counts_by_city(user=monitor, start=START, end=END)

    assert point.label == "Testtown"
    assert (point.latitude, point.longitude) == pytest.approx(
        (float(region.latitude), float(region.longitude))
    )


def test_labels_follow_the_active_language(monitor, almaty):
    from django.utils import translation

    DetentionFactory(place=almaty, detained_at=JAN_4)
    with translation.override("kk"):
        (point,) = detention_counts_by_city(user=monitor, start=START, end=END)
    assert point.label == "Алматы"


def test_two_queries_whatever_the_number_of_detentions(monitor, almaty, aktau, django_assert_num_queries):
    district = PlaceFactory(code="test-district", kind=PlaceKind.DISTRICT, parent=almaty)
    for place in (almaty, aktau, district):
        DetentionFactory.create_batch(3, place=place, detained_at=JAN_4)
    DetentionFactory.create_batch(3, place=None, assembly=AssemblyFactory(place=aktau), detained_at=JAN_4)

    detention_counts_by_city(user=monitor, start=START, end=END)  # loads (and caches) the user's roles

    with django_assert_num_queries(2):  # the counts, then the places
        points = detention_counts_by_city(user=monitor, start=START, end=END)

    assert _counts(points) == {"Almaty": 6, "Aktau": 6}


def test_map_svg_links_each_city(monitor, almaty):
    DetentionFactory(place=almaty, detained_at=JAN_4)

    svg = detention_map_svg(user=monitor, start=START, end=END, url_for=lambda code: f"/search/?place={code}")

    assert 'href="/search/?place=almaty"' in svg
    assert "Almaty: 1 detention" in svg
