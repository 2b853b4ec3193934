"""`erase_person`: the one hard delete, for a documented legal request. The person and everything that exists
only because of them go (history, files and the feed's past entries too); what others share stays; the
audit entry names the request and counts, and no personal data; partners' mirrors drop the person."""

import json
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from cases.models import Appeal, Charge, CustodyPeriod, Detention, Hearing, LegalCase, Sentence
from cases.services.erasure import _history_model
from core.models import AuditEntry, ChangeLog, Confidentiality, ReadKind, ReadLogEntry
from core.services import audit_record, read_log_record
from events.models import Assembly, Source
from people.models import ConsentRecord, Person, PersonName
from tests.cases.factories import (
    AppealFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    HearingFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import AssemblyFactory, SourceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

NAME = "Erasova Dana"
OWNED = (
    Person,
    PersonName,
    ConsentRecord,
    Detention,
    CustodyPeriod,
    LegalCase,
    Charge,
    Sentence,
    Hearing,
    Appeal,
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(media, monitor):
    """The person with a whole history, at an assembly where someone else was detained too; a source of
    theirs alone (with a file) and one they share with the assembly."""
    person = PersonFactory(
        full_name=NAME, aliases=["Эрасова Дана"], confidentiality=Confidentiality.PARTNERS, created_by=monitor
    )
    ConsentRecordFactory(person=person, scope="partners")
    assembly = AssemblyFactory(confidentiality=Confidentiality.PUBLIC)
    detention = DetentionFactory(
        person=person, assembly=assembly, confidentiality=Confidentiality.PARTNERS, private_notes="x"
    )
    CustodyPeriodFactory(detention=detention)
    legal_case = LegalCaseFactory(person=person, confidentiality=Confidentiality.PARTNERS)
    legal_case.detentions.add(detention)
    ChargeFactory(legal_case=legal_case)
    sentence = SentenceFactory(legal_case=legal_case)
    HearingFactory(legal_case=legal_case)
    AppealFactory(legal_case=legal_case, sentence=sentence)
    own_source = SourceFactory(title="Court ruling on her")
    own_source.file.save("ruling.pdf", ContentFile(b"%PDF-1.4 ruling"))
    detention.sources.add(own_source)
    legal_case.sources.add(own_source)
    shared_source = SourceFactory(title="Video of the rally")
    detention.sources.add(shared_source)
    assembly.sources.add(shared_source)
    other = DetentionFactory(assembly=assembly)
    person.refresh_from_db()
    return {
        "person": person,
        "assembly": assembly,
        "own_source": own_source,
        "shared_source": shared_source,
        "other": other,
    }


def _erase(uid, *extra, **kwargs):
    out = StringIO()
    call_command("erase_person", str(uid), *extra, stdout=out, **kwargs)
    return out.getvalue()


def test_the_person_and_what_is_only_theirs_are_gone(
    world, media, administrator, django_capture_on_commit_callbacks
):
    person = world["person"]
    ids = {
        model: list(model._base_manager.filter(**_of(model, person)).values_list("pk", flat=True))
        for model in OWNED
    }
    assert all(ids.values())
    file_path = media / world["own_source"].file.name
    assert file_path.exists()
    histories = {model: _history_model(model) for model in OWNED}
    for model, history in histories.items():
        if history is not None:  # django-simple-history is installed and tracks it: there is a copy to erase
            assert history._base_manager.filter(id__in=ids[model]).exists(), model

    with django_capture_on_commit_callbacks(execute=True):
        out = _erase(
            person.uid,
            "--request-ref",
            "DSR-2026-014",
            "--reason",
            "Data subject's request",
            "--yes",
            "--user",
            administrator.username,
        )

    assert "people.person: 1" in out and "cases.appeal: 1" in out
    for model in OWNED:
        assert not model._base_manager.filter(pk__in=ids[model]).exists(), model
    assert not Source.objects.filter(pk=world["own_source"].pk).exists()
    assert not file_path.exists()
    # What others share stays: the assembly, the shared source, the other detainee.
    assert Assembly.objects.filter(pk=world["assembly"].pk).exists()
    assert Source.objects.filter(pk=world["shared_source"].pk).exists()
    assert world["assembly"].sources.get() == world["shared_source"]
    assert Detention.objects.filter(pk=world["other"].pk).exists()
    # Their history rows too (django-simple-history), whichever models keep one.
    for model, history in histories.items():
        if history is not None:
            assert not history._base_manager.filter(id__in=ids[model]).exists(), model
    # And the links those versions had (shared with, sources, treatment …): none is left pointing at nothing.
    for history in histories.values():
        for relation in history._meta.related_objects if history is not None else ():
            links = relation.related_model._base_manager
            assert not links.exclude(history__in=history._base_manager.all()).exists(), relation


def _of(model, person):
    return {
        Person: {"pk": person.pk},
        PersonName: {"person": person},
        ConsentRecord: {"person": person},
        Detention: {"person": person},
        CustodyPeriod: {"detention__person": person},
        LegalCase: {"person": person},
        Charge: {"legal_case__person": person},
        Sentence: {"legal_case__person": person},
        Hearing: {"legal_case__person": person},
        Appeal: {"legal_case__person": person},
    }[model]


def test_the_audit_entry_names_the_request_and_counts_and_no_personal_data(world, administrator):
    person = world["person"]
    created = audit_record(
        actor=administrator, action="kuzet.person.created", obj=person, data={"full_name": NAME}
    )
    _erase(
        person.uid,
        "--request-ref",
        "Court order 2-77/26",
        "--reason",
        "Court order",
        "--yes",
        "--user",
        "administrator",
    )
    entry = AuditEntry.objects.get(action="kuzet.person.erased")
    assert entry.actor == administrator
    assert (entry.object_type, entry.object_uid) == ("people.person", person.uid)
    assert entry.data["request_ref"] == "Court order 2-77/26"
    assert entry.data["reason"] == "Court order"
    assert entry.data["operator"]
    assert entry.data["counts"]["people.person"] == 1
    assert entry.data["counts"]["people.personname"] == 2
    assert entry.data["counts"]["events.source"] == 1
    text = json.dumps(entry.data, ensure_ascii=False)
    assert "Erasova" not in text and "Эрасова" not in text
    # Earlier entries about the person keep who did what and when, without their data (here: the name).
    created.refresh_from_db()
    assert (created.action, created.actor, created.object_uid, created.data) == (
        "kuzet.person.created",
        administrator,
        person.uid,
        {},
    )
    assert entry.data["counts"]["audit_entries_cleared"] == 1


def test_the_read_log_is_kept(world, administrator):
    person = world["person"]
    read_log_record(request_or_user=administrator, what=ReadKind.PERSON_ADMIN, obj=person)
    _erase(person.uid, "--request-ref", "DSR-1", "--reason", "Request", "--yes")
    assert ReadLogEntry.objects.filter(person_uid=person.uid).count() == 1


def test_the_feed_tells_partners_to_drop_the_person(world, partner, api_client_for):
    person = world["person"]
    client = api_client_for(partner)
    before = client.get("/api/v1/changes/", {"page_size": 1000}).json()
    assert {"type": "person", "uid": str(person.uid), "action": "upsert"}.items() <= next(
        e for e in before["results"] if e["uid"] == str(person.uid)
    ).items()

    _erase(person.uid, "--request-ref", "DSR-1", "--reason", "Request", "--yes")

    after = client.get("/api/v1/changes/", {"cursor": before["cursor"], "page_size": 1000}).json()
    deleted = {(e["type"], e["uid"]) for e in after["results"] if e["action"] == "delete"}
    detention = ("detention", str(world["other"].uid))
    assert ("person", str(person.uid)) in deleted
    assert detention not in deleted
    # From the beginning, the person appears only as deleted: the earlier entries are gone.
    fresh = client.get("/api/v1/changes/", {"page_size": 1000}).json()
    entries = [e for e in fresh["results"] if e["uid"] == str(person.uid)]
    assert entries and all(e["action"] == "delete" for e in entries)
    assert ChangeLog.objects.filter(uid=person.uid).count() == len(entries) == 1


def test_it_refuses_without_a_request_reference(world):
    with pytest.raises(CommandError, match="--request-ref"):
        _erase(world["person"].uid, "--reason", "Request", "--yes")
    with pytest.raises(CommandError, match="reference of the legal request"):
        _erase(world["person"].uid, "--request-ref", "  ", "--reason", "Request", "--yes")
    assert Person.objects.filter(pk=world["person"].pk).exists()


def test_an_unknown_uid_erases_nothing(world):
    counts = {model: model._base_manager.count() for model in (*OWNED, Source)}
    unknown = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(CommandError, match=f"No person has the uid {unknown}: nothing was erased"):
        _erase(unknown, "--request-ref", "DSR-1", "--reason", "Request", "--yes")
    assert counts == {model: model._base_manager.count() for model in (*OWNED, Source)}
    assert not AuditEntry.objects.filter(action="kuzet.person.erased").exists()


def test_it_asks_for_the_uid_before_erasing(world, monkeypatch):
    person = world["person"]
    monkeypatch.setattr("builtins.input", lambda prompt: "not the uid")
    with pytest.raises(CommandError, match="Not confirmed: nothing was erased"):
        _erase(person.uid, "--request-ref", "DSR-1", "--reason", "Request")
    assert Person.objects.filter(pk=person.pk).exists()
    monkeypatch.setattr("builtins.input", lambda prompt: str(person.uid))
    _erase(person.uid, "--request-ref", "DSR-1", "--reason", "Request")
    assert not Person.objects.filter(pk=person.pk).exists()
