"""cases.views.AssemblyDetailView (/assemblies/<uid>/): the assembly, its sources, the detainees the user may
see with status and outcome, "reported vs named", visibility and a query count that does not grow."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import Confidentiality
from events.models import CauseTag
from tests.cases.factories import DetentionFactory
from tests.events.factories import AssemblyFactory, PlaceFactory, SourceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _url(assembly):
    return reverse("cases:assembly-detail", args=[assembly.uid])


@pytest.fixture
def as_lawyer(client, lawyer):
    client.force_login(lawyer)
    return client


@pytest.fixture
def assembly():
    assembly = AssemblyFactory(
        title="Testrally on Testsquare",
        place=PlaceFactory(name_en="Testgrad"),
        organisers="Testmovement",
        participants_low=200,
        participants_high=300,
        notification="refused",
        outcome="dispersed",
        reported_detainees=100,
        reported_detainees_note="more than 100",
        description="Testdescription of the rally.",
    )
    assembly.causes.add(CauseTag.objects.create(code="test-cause", name_en="Testcause"))
    assembly.sources.add(SourceFactory(title="Testpaper report", url="https://example.org/report"))
    return assembly


def _detain(assembly, count, **fields):
    return [
        DetentionFactory(
            assembly=assembly,
            person=PersonFactory(),
            detained_at=dt.datetime(2019, 2, 27, 12, n, tzinfo=dt.UTC),
            **fields,
        )
        for n in range(count)
    ]


def test_page_shows_assembly_sources_detainees_and_reported_vs_named(as_lawyer, assembly):
    person = PersonFactory(full_name="Karatayev Daniyar")
    DetentionFactory(
        assembly=assembly,
        person=person,
        held_at="Testdistrict police",
        procedural_status="administrative",
        outcome="admin_arrest",
    )
    _detain(assembly, 1)
    DetentionFactory(assembly=assembly, person=PersonFactory(), is_deleted=True)

    response = as_lawyer.get(_url(assembly))

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Testrally on Testsquare",
        "Testgrad",
        "Testmovement",
        "Testcause",
        "200–300",
        "Notified, refused",
        "Dispersed",
        "Testdescription of the rally.",
        'href="https://example.org/report"',
        "Testpaper report",
        "Karatayev Daniyar",
        reverse("cases:person-detail", args=[person.uid]),
        "Testdistrict police",
        "Administrative detainee",
        "Administrative arrest",
        "reported more than 100, named 2",
    ]:
        assert text in html, text
    assert response.context["detainees"].named == 2


def test_reported_count_without_note_is_the_number(as_lawyer):
    assembly = AssemblyFactory(reported_detainees=40)
    _detain(assembly, 3)
    assert "reported 40, named 3" in as_lawyer.get(_url(assembly)).content.decode()


def test_detainee_user_may_not_see_is_not_shown_nor_counted(client, monitor, other_monitor, assembly):
    DetentionFactory(
        assembly=assembly,
        person=PersonFactory(full_name="Hiddenova Testa"),
        confidentiality=Confidentiality.RESTRICTED,
        created_by=other_monitor,
    )
    DetentionFactory(
        assembly=assembly,
        person=PersonFactory(
            full_name="Secretov Testbek", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
        ),
    )
    _detain(assembly, 1)
    client.force_login(monitor)
    html = client.get(_url(assembly)).content.decode()
    assert "Hiddenova" not in html and "Secretov" not in html
    assert "named 1" in html


def test_restricted_source_is_not_listed(client, monitor, other_monitor, assembly):
    assembly.sources.add(
        SourceFactory(
            title="Secret testsource", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
        )
    )
    client.force_login(monitor)
    assert "Secret testsource" not in client.get(_url(assembly)).content.decode()


def test_outsider_monitor_gets_404_for_restricted_assembly(client, monitor, other_monitor):
    hidden = AssemblyFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    client.force_login(monitor)
    assert client.get(_url(hidden)).status_code == 404


def test_unknown_uid_is_404(as_lawyer):
    assert as_lawyer.get("/assemblies/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_anonymous_is_sent_to_login(client, assembly):
    response = client.get(_url(assembly))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_partner_gets_403(client, partner, assembly):
    client.force_login(partner)
    assert client.get(_url(assembly)).status_code == 403


def test_post_is_405(as_lawyer, assembly):
    assert as_lawyer.post(_url(assembly)).status_code == 405


def test_query_count_does_not_grow_with_the_detainees(client, lawyer, assembly, django_assert_num_queries):
    client.force_login(lawyer)
    _detain(assembly, 3)
    with django_assert_num_queries(QUERIES) as captured:
        client.get(_url(assembly))
    _detain(assembly, 27)
    with django_assert_num_queries(len(captured.captured_queries)):
        response = client.get(_url(assembly))
    assert response.context["detainees"].named == 30


# session, user, roles (3); assembly with place, causes (2); sources, detentions with people (2);
# the "record" link's permission check (2: the user's own and their groups' permissions).
QUERIES = 9
