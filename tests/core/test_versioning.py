"""The concurrent-edit rule (core.versioning) through the services: a save that started from an older version
is refused with a message and a diff, and writes nothing; every other write moves the version on."""

import pytest

from cases.models import Detention
from cases.services import detention_update, legal_case_update, person_merge
from core.models import AuditEntry, Confidentiality
from core.services import audit_record, record_restore, record_soft_delete
from core.versioning import EditConflict
from events.services import assembly_update
from people.services import person_update
from tests.cases.factories import DetentionFactory, LegalCaseFactory
from tests.events.factories import AssemblyFactory, SourceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _fresh(record):
    return type(record).objects.get(pk=record.pk)


def test_a_save_moves_the_version_on_by_one(monitor):
    detention = DetentionFactory(location="Police station 1")
    assert detention.lock_version == 1

    detention_update(user=monitor, detention=detention, location="Police station 2", lock_version=1)

    assert detention.lock_version == 2
    assert _fresh(detention).lock_version == 2


def test_a_save_that_changes_nothing_keeps_the_version(monitor):
    detention = DetentionFactory(location="Police station 1")

    detention_update(user=monitor, detention=detention, location="Police station 1", lock_version=1)

    assert _fresh(detention).lock_version == 1


def test_the_second_save_from_the_same_version_is_refused_and_writes_nothing(monitor, other_monitor):
    detention = DetentionFactory(location="Police station 1", notes="")
    first, second = _fresh(detention), _fresh(detention)  # two monitors open the same detention
    detention_update(user=other_monitor, detention=first, location="Police station 2", lock_version=1)
    audits = AuditEntry.objects.count()

    with pytest.raises(EditConflict) as caught:
        detention_update(
            user=monitor,
            detention=second,
            location="Police station 3",
            notes="seen by a lawyer",
            lock_version=1,
        )

    conflict = caught.value
    assert conflict.text.startswith("Someone else (other_monitor) saved this detention at ")
    assert conflict.text.endswith("after you opened it. Your changes were not saved.")
    assert conflict.current_lock_version == 2
    assert [(row.field, row.label, row.stored, row.yours) for row in conflict.diff] == [
        ("location", "Where exactly", "Police station 2", "Police station 3"),
        ("notes", "Notes", "—", "seen by a lawyer"),
    ]
    stored = _fresh(detention)
    assert (stored.location, stored.notes, stored.lock_version) == ("Police station 2", "", 2)
    assert AuditEntry.objects.count() == audits


def test_a_stale_instance_is_refused_without_a_version_named(monitor, other_monitor):
    """A caller that loaded the record before someone else saved it is refused too (the import does this)."""
    detention = DetentionFactory(location="Police station 1")
    stale = _fresh(detention)
    detention_update(user=other_monitor, detention=_fresh(detention), location="Police station 2")

    with pytest.raises(EditConflict):
        detention_update(user=monitor, detention=stale, location="Police station 3")
    assert _fresh(detention).location == "Police station 2"


def test_the_diff_does_not_name_a_record_the_reader_may_not_see(monitor, other_monitor, administrator):
    hidden = SourceFactory(
        title="Secret witness", confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor
    )
    visible = SourceFactory(title="Press release", confidentiality=Confidentiality.PUBLIC)
    detention = DetentionFactory()
    detention_update(user=administrator, detention=_fresh(detention), sources=[hidden])

    with pytest.raises(EditConflict) as caught:
        detention_update(user=monitor, detention=detention, sources=[visible], lock_version=1)

    (row,) = caught.value.diff
    assert (row.field, row.stored, row.yours) == ("sources", "(a record you may not see)", "Press release")
    assert "Secret witness" not in str(caught.value.diff)


def test_no_user_is_named_when_the_last_save_left_no_audit_entry(monitor):
    detention = DetentionFactory(location="Police station 1")
    Detention.objects.filter(pk=detention.pk).update(lock_version=5)

    with pytest.raises(EditConflict) as caught:
        detention_update(user=monitor, detention=detention, location="Police station 3", lock_version=1)
    assert caught.value.text.startswith("Someone else saved this detention at ")


@pytest.mark.parametrize(
    ("factory", "update", "argument", "change"),
    [
        (PersonFactory, person_update, "person", {"occupation": "teacher"}),
        (AssemblyFactory, assembly_update, "assembly", {"title": "Another rally"}),
        (LegalCaseFactory, legal_case_update, "legal_case", {"number": "2-1234/2019"}),
    ],
)
def test_every_update_service_checks_and_moves_the_version(monitor, factory, update, argument, change):
    record = factory()
    update(user=monitor, **{argument: _fresh(record)}, **change, lock_version=1)
    assert _fresh(record).lock_version == 2

    with pytest.raises(EditConflict):
        update(user=monitor, **{argument: record}, **change, lock_version=1)
    assert _fresh(record).lock_version == 2


def test_soft_delete_and_restore_move_the_version_and_a_stale_editor_is_then_refused(monitor, administrator):
    detention = DetentionFactory(location="Police station 1")
    editor = _fresh(detention)

    record_soft_delete(record=_fresh(detention), user=monitor)
    assert _fresh(detention).lock_version == 2
    record_restore(record=_fresh(detention), user=administrator)
    assert _fresh(detention).lock_version == 3

    with pytest.raises(EditConflict):
        detention_update(user=monitor, detention=editor, location="Police station 2")


def test_a_merge_moves_the_version_of_every_moved_record(monitor):
    keep, merge = PersonFactory(), PersonFactory()
    detention = DetentionFactory(person=merge)
    editor = _fresh(detention)

    person_merge(user=monitor, keep=keep, merge=merge)

    assert _fresh(detention).lock_version == 2
    assert _fresh(keep).lock_version == 2
    assert _fresh(merge).lock_version == 3  # its note, then its soft delete
    # An editor who opened the detention before the merge cannot move it back to the merged person.
    with pytest.raises(EditConflict) as caught:
        detention_update(user=monitor, detention=editor, person=merge)
    assert [row.field for row in caught.value.diff] == ["person"]
    assert _fresh(detention).person == keep


def test_the_last_audited_saver_is_named(monitor, lawyer):
    detention = DetentionFactory()
    audit_record(actor=lawyer, action="kuzet.detention.updated", obj=detention)
    Detention.objects.filter(pk=detention.pk).update(lock_version=2)

    with pytest.raises(EditConflict) as caught:
        detention_update(user=monitor, detention=detention, notes="x", lock_version=1)
    assert "(lawyer)" in caught.value.text
