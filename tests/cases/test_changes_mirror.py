"""The mirror: a partner applies /api/v1/changes/ from the start into a copy {(type, uid): data}, then again
after each kind of edit, from its saved cursor. After every step the copy holds exactly what the list
endpoints show its key, for every type, all pages. Each edit is the only reason the records it affects
change, so a capture rule that is missing makes its step fail."""

import datetime as dt

import pytest

from cases.api_urls import router
from cases.models import Treatment
from core.models import Confidentiality
from core.services import record_restore, record_soft_delete
from tests.cases import feed_reader as feed
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalArticleFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, IncidentFactory, PlaceFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

PUBLIC, PARTNERS, INTERNAL = Confidentiality.PUBLIC, Confidentiality.PARTNERS, Confidentiality.INTERNAL


def _apply(mirror: dict, entries: list[dict]) -> None:
    for entry in entries:
        key = (entry["type"], entry["uid"])
        if entry["action"] == "upsert":
            mirror[key] = entry["data"]
        else:
            mirror.pop(key, None)


def _expected(client) -> dict:
    """What the list endpoints show the client, as a mirror would hold it."""
    return {
        (basename, uid): data
        for prefix, _viewset, basename in router.registry
        for uid, data in feed.listed(client, prefix).items()
    }


def _world(creator):
    """Records of every type at every level a partner may or may not see, with children and links."""
    place = PlaceFactory(code="test-city-mirror", name_en="Testcity")
    treatment = Treatment.objects.get_or_create(code="beaten", defaults={"name_en": "Beaten"})[0]
    world = {"place": place, "treatment": treatment}
    world["article"] = LegalArticleFactory(code="cc-test-1", name_en="Test article")
    world["source"] = SourceFactory(confidentiality=PUBLIC)
    world["hidden_source"] = SourceFactory(confidentiality=INTERNAL)
    world["assembly"] = AssemblyFactory(confidentiality=PUBLIC, place=place, created_by=creator)
    world["assembly"].sources.add(world["source"], world["hidden_source"])
    world["incident"] = IncidentFactory(confidentiality=PARTNERS, assembly=world["assembly"], place=place)
    world["consenting"] = PersonFactory(confidentiality=PARTNERS, full_name="Testova Dana", home_place=place)
    world["consent"] = ConsentRecordFactory(person=world["consenting"], given_on=dt.date(2024, 2, 1))
    world["unnamed"] = PersonFactory(confidentiality=PUBLIC, full_name="Testuly Bolat")
    world["internal_person"] = PersonFactory(confidentiality=INTERNAL)
    world["detention"] = DetentionFactory(
        person=world["consenting"], assembly=world["assembly"], place=place, confidentiality=PARTNERS
    )
    world["custody"] = CustodyPeriodFactory(detention=world["detention"])
    world["other_detention"] = DetentionFactory(person=world["unnamed"], confidentiality=PUBLIC)
    world["deleted_detention"] = DetentionFactory(person=world["unnamed"], confidentiality=PUBLIC)
    record_soft_delete(record=world["deleted_detention"], user=creator)
    world["legal_case"] = LegalCaseFactory(person=world["consenting"], confidentiality=PUBLIC)
    world["legal_case"].detentions.add(world["detention"])
    world["charge"] = ChargeFactory(legal_case=world["legal_case"], article=world["article"])
    world["sentence"] = SentenceFactory(legal_case=world["legal_case"])
    return world


def _edits(world, user) -> list[tuple[str, callable]]:
    """One of every kind of change the feed must carry, each the only reason its records change."""

    def save(record, **fields):
        for name, value in fields.items():
            setattr(record, name, value)
        record.save()

    def create():
        AssemblyFactory(confidentiality=PUBLIC, title="Testrally, new", place=world["place"])
        DetentionFactory(person=PersonFactory(confidentiality=PARTNERS), confidentiality=PARTNERS)

    return [
        ("create", create),
        ("update", lambda: save(world["incident"], title="Test shutdown, retitled")),
        ("soft delete", lambda: record_soft_delete(record=world["other_detention"], user=user)),
        ("restore", lambda: record_restore(record=world["deleted_detention"], user=user)),
        ("person raised to internal", lambda: save(world["unnamed"], confidentiality=INTERNAL)),
        ("consent withdrawn", lambda: save(world["consent"], withdrawn_on=dt.date(2025, 2, 1))),
        ("link added", lambda: world["detention"].treatment.add(world["treatment"])),
        ("link removed", lambda: world["assembly"].sources.remove(world["source"])),
        ("charge edited", lambda: save(world["charge"], status="dropped")),
        ("custody edited", lambda: save(world["custody"], ended_on=dt.date(2019, 3, 5))),
        ("place renamed", lambda: save(world["place"], name_en="Testcity, renamed")),
        ("tag recoded", lambda: save(world["treatment"], code="beaten-by-police")),
        ("article renamed", lambda: save(world["article"], code="cc-test-1-1")),
        ("linked source released", lambda: save(world["hidden_source"], confidentiality=PUBLIC)),
        ("assembly raised to internal", lambda: save(world["assembly"], confidentiality=INTERNAL)),
        ("assembly shown again", lambda: save(world["assembly"], confidentiality=PUBLIC)),
        ("person hidden", lambda: record_soft_delete(record=world["consenting"], user=user)),
        ("person restored", lambda: record_restore(record=world["consenting"], user=user)),
    ]


@pytest.mark.parametrize("persona", ["partner", "monitor"])
def test_a_mirror_built_from_the_feed_holds_what_the_lists_show(persona, request, api_client_for):
    user = request.getfixturevalue(persona)
    client = api_client_for(user)
    administrator = request.getfixturevalue("administrator")
    world = _world(creator=administrator)

    mirror = {}
    entries, cursor = feed.drain(client, page_size=7)  # small pages: a record may come in several
    _apply(mirror, entries)
    assert mirror == _expected(client)

    for step, edit in _edits(world, administrator):
        edit()
        entries, cursor = feed.drain(client, cursor, page_size=7)
        _apply(mirror, entries)
        expected = _expected(client)
        assert set(mirror) == set(expected), step
        for key, data in expected.items():
            assert mirror[key] == data, (step, key)
    assert feed.get(client, cursor=cursor).json()["results"] == []
