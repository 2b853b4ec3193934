"""cases.services.person_merge: two records of one person become one; nothing is lost, all is recorded."""

import datetime as dt

import pytest

from cases.models import AppealTerm, Charge, CustodyCredit, CustodyPeriod, Detention, LegalCase, Sentence
from cases.services import PersonMergeError, person_merge
from core.models import AuditEntry, ChangeLog, Confidentiality
from people.models import ConsentRecord, GroupTag, NameKind, Person, PersonName
from tests.cases.factories import (
    ChargeFactory,
    CustodyPeriodFactory,
    DetentionFactory,
    LegalCaseFactory,
    SentenceFactory,
)
from tests.events.factories import PlaceFactory
from tests.people.factories import ConsentRecordFactory, PersonFactory

pytestmark = pytest.mark.django_db

MODELS = (Person, PersonName, ConsentRecord, Detention, CustodyPeriod, LegalCase, Charge, Sentence, GroupTag)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _written():
    return AuditEntry.objects.count(), ChangeLog.objects.count()


@pytest.fixture
def pair(monitor, other_monitor):
    CustodyCredit.objects.update_or_create(sentence_kind="imprisonment", defaults={"days_per_custody_day": 1})
    AppealTerm.objects.update_or_create(case_kind="criminal", defaults={"days": 15})
    journalist = GroupTag.objects.create(code="test-journalist", name_en="Journalist")
    pensioner = GroupTag.objects.create(code="test-pensioner", name_en="Pensioner")
    keep = PersonFactory(full_name="Zhumagulov Bolat", aliases=["Жумагулов Болат"], occupation="")
    keep.groups.add(journalist)
    merge = PersonFactory(
        full_name="Jumagulov Bolat",
        aliases=["Жумагулов Болат", "Жұмағұлов Болат"],
        birth_date=dt.date(1985, 1, 1),
        occupation="Test engineer",
        home_place=PlaceFactory(),
        notes="Seen at the test assembly.",
        confidentiality=Confidentiality.RESTRICTED,
        created_by=monitor,
    )
    merge.groups.add(journalist, pensioner)
    merge.shared_with.add(other_monitor)
    detention = DetentionFactory(person=merge)
    CustodyPeriodFactory(detention=detention, started_on=dt.date(2019, 3, 1), ended_on=dt.date(2019, 3, 10))
    DetentionFactory(person=merge)
    legal_case = LegalCaseFactory(person=merge, kind="criminal")
    legal_case.detentions.add(detention)
    ChargeFactory(legal_case=legal_case)
    SentenceFactory(
        legal_case=legal_case, kind="imprisonment", term_years=2, starts_on=dt.date(2019, 6, 1)
    )  # never computed yet: the merge recomputes it
    ConsentRecordFactory(person=merge)
    DetentionFactory(person=keep)
    return keep, merge


def test_everything_moves_to_keep_and_nothing_is_lost(monitor, pair):
    keep, merge = pair
    moved_detentions = set(Detention.objects.filter(person=merge).values_list("uid", flat=True))
    moved_cases = set(LegalCase.objects.filter(person=merge).values_list("uid", flat=True))
    before = _counts()
    log_start = ChangeLog.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    result = person_merge(user=monitor, keep=keep, merge=merge)

    assert result.pk == keep.pk
    # Every row still exists (the merge's full name already existed as a name row; it moved)
    assert _counts() == before
    keep.refresh_from_db()
    merge.refresh_from_db()
    assert merge.is_deleted and merge.deleted_by == monitor
    assert f"Merged into Zhumagulov Bolat ({keep.uid})." in merge.notes
    assert not keep.is_deleted

    assert Detention.objects.filter(person=keep).count() == 3
    assert LegalCase.objects.filter(person=keep).count() == 1
    assert Charge.objects.filter(legal_case__person=keep).count() == 1
    assert Sentence.objects.filter(legal_case__person=keep).count() == 1
    assert ConsentRecord.objects.filter(person=keep).count() == 1
    assert not Detention.objects.filter(person=merge).exists()
    assert not LegalCase.objects.filter(person=merge).exists()
    assert not ConsentRecord.objects.filter(person=merge).exists()

    live = dict(keep.names.filter(is_deleted=False).values_list("text", "kind"))
    assert live == {
        "Zhumagulov Bolat": NameKind.OFFICIAL,
        "Жумагулов Болат": NameKind.ALIAS,
        "Jumagulov Bolat": NameKind.ALIAS,  # the merged person's full name: an alias now
        "Жұмағұлов Болат": NameKind.ALIAS,
    }
    # The spelling both had is not duplicated: merge's copy is soft-deleted and stays with merge
    dropped = PersonName.objects.get(person=merge)
    assert (dropped.text, dropped.is_deleted) == ("Жумагулов Болат", True)
    assert "jumagulov" in keep.search_key

    assert set(keep.groups.values_list("code", flat=True)) == {"test-journalist", "test-pensioner"}
    assert keep.confidentiality == Confidentiality.RESTRICTED
    assert set(keep.shared_with.values_list("username", flat=True)) == {"other_monitor"}
    assert keep.birth_date == dt.date(1985, 1, 1)
    assert keep.occupation == "Test engineer"
    assert keep.home_place == merge.home_place
    assert f"Merged from Jumagulov Bolat ({merge.uid}):\nSeen at the test assembly." in keep.notes

    sentence = Sentence.objects.get(legal_case__person=keep)
    assert sentence.custody_credit_days == 10
    assert sentence.ends_on == dt.date(2021, 6, 1) - dt.timedelta(days=10)

    entry = AuditEntry.objects.get(action="kuzet.person.merged")
    assert entry.actor == monitor
    assert entry.object_uid == keep.uid
    assert entry.data["keep"] == str(keep.uid)
    assert entry.data["merge"] == str(merge.uid)
    assert {
        k: entry.data[k] for k in ("detentions", "legal_cases", "consents", "names_moved", "names_dropped")
    } == {
        "detentions": 2,
        "legal_cases": 1,
        "consents": 1,
        "names_moved": 2,
        "names_dropped": 1,
    }
    assert AuditEntry.objects.filter(action="kuzet.person.deleted", object_uid=merge.uid).exists()

    logged = set(ChangeLog.objects.filter(seq__gt=log_start).values_list("type", "uid"))
    assert {("detention", uid) for uid in moved_detentions} <= logged
    assert {("legal-case", uid) for uid in moved_cases} <= logged
    assert {("person", keep.uid), ("person", merge.uid)} <= logged


def test_keep_keeps_its_own_fields_and_notes_come_after(monitor, pair):
    keep, merge = pair
    Person.objects.filter(pk=keep.pk).update(
        birth_date=dt.date(1984, 1, 1), occupation="Test teacher", notes="Known to the test team."
    )
    keep.refresh_from_db()

    person_merge(user=monitor, keep=keep, merge=merge)

    keep.refresh_from_db()
    assert keep.birth_date == dt.date(1984, 1, 1)
    assert keep.occupation == "Test teacher"
    assert keep.notes.startswith("Known to the test team.\n\nMerged from Jumagulov Bolat")


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("analyst", r"You may not change people, so you may not merge them\."),
        ("outsider", r"You may not change people, so you may not merge them\."),
        ("monitor_restricted", r"One of the two people was not found\."),
    ],
)
def test_refusals_write_nothing(request, pair, who, message, other_monitor):
    keep, merge = pair
    if who == "monitor_restricted":
        user = request.getfixturevalue("monitor")
        Person.objects.filter(pk=merge.pk).update(created_by=other_monitor)
        merge.shared_with.clear()
    else:
        user = request.getfixturevalue(who)
    before, written = _counts(), _written()

    with pytest.raises(PersonMergeError, match=message):
        person_merge(user=user, keep=keep, merge=merge)

    assert _counts() == before
    assert _written() == written
    assert Detention.objects.filter(person=merge).count() == 2


def test_merging_a_person_with_themselves_is_refused(monitor, pair):
    keep, _merge = pair
    written = _written()

    with pytest.raises(PersonMergeError, match=r"A person cannot be merged with themselves\."):
        person_merge(user=monitor, keep=keep, merge=keep)

    assert _written() == written


def test_a_deleted_person_cannot_be_merged(monitor, administrator, pair):
    keep, merge = pair
    Person.objects.filter(pk=merge.pk).update(is_deleted=True)
    written = _written()

    # A monitor does not see deleted people at all; an administrator does, and is told why.
    with pytest.raises(PersonMergeError, match=r"One of the two people was not found\."):
        person_merge(user=monitor, keep=keep, merge=merge)
    with pytest.raises(PersonMergeError, match=r"A deleted person cannot be merged; restore them first\."):
        person_merge(user=administrator, keep=keep, merge=merge)

    assert _written() == written
    assert Detention.objects.filter(person=merge).count() == 2


def test_private_fields_are_kept_too(monitor, pair):
    """Nothing is lost: the encrypted home address fills an empty one, private notes are appended."""
    keep, merge = pair
    keep.private_notes = "Test: prefers calls after 18:00."
    keep.save()
    merge.home_address = "Test street 1, flat 2"
    merge.private_notes = "Test: lawyer's number is in the file."
    merge.save()

    person_merge(user=monitor, keep=keep, merge=merge)

    keep.refresh_from_db()
    assert keep.home_address == "Test street 1, flat 2"
    assert keep.private_notes == (
        f"Test: prefers calls after 18:00.\n\nMerged from Jumagulov Bolat ({merge.uid}):\n"
        "Test: lawyer's number is in the file."
    )
