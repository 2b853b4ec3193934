"""events.services.assembly_create / assembly_update: the admin's validation, audit, nothing written on
failure."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry, Confidentiality
from events.models import Assembly, CauseTag, Place
from events.services import assembly_create, assembly_update
from tests.events.factories import SourceFactory

pytestmark = pytest.mark.django_db

STARTS = dt.datetime(2019, 2, 27, 5, 0, tzinfo=dt.UTC)


def _create(user, **extra):
    return assembly_create(
        user=user, title="Test rally", starts_at=STARTS, place=Place.objects.get(code="almaty"), **extra
    )


def test_create_writes_the_assembly_links_and_audit(monitor):
    source = SourceFactory()
    assembly = _create(monitor, causes=[CauseTag.objects.get(code="labour")], sources=[source])
    assert assembly.created_by == monitor
    assert list(assembly.causes.values_list("code", flat=True)) == ["labour"]
    assert list(assembly.sources.all()) == [source]
    assert (
        AuditEntry.objects.filter(
            action="kuzet.assembly.created", object_uid=assembly.uid, actor=monitor
        ).count()
        == 1
    )


def test_create_refuses_an_end_before_the_start(monitor):
    with pytest.raises(ValidationError, match="assembly_ends_after_start"):
        _create(monitor, ends_at=STARTS - dt.timedelta(hours=1))
    assert not Assembly.objects.exists()
    assert not AuditEntry.objects.exists()


def test_update_changes_given_fields_and_audits_them(monitor, lawyer):
    assembly = _create(monitor, organisers="Group A")
    before = assembly.updated_at
    assembly_update(user=lawyer, assembly=assembly, title="Renamed", outcome="dispersed")
    assembly.refresh_from_db()
    assert (assembly.title, assembly.outcome, assembly.organisers) == ("Renamed", "dispersed", "Group A")
    assert assembly.updated_at > before
    entry = AuditEntry.objects.get(action="kuzet.assembly.updated")
    assert entry.data == {"fields": ["outcome", "title"]}


def test_update_of_links_only_moves_updated_at(monitor):
    assembly = _create(monitor)
    before = assembly.updated_at
    assembly_update(user=monitor, assembly=assembly, causes=[CauseTag.objects.get(code="social")])
    assembly.refresh_from_db()
    assert assembly.updated_at > before
    assert AuditEntry.objects.get(action="kuzet.assembly.updated").data == {"fields": ["causes"]}


def test_update_keeps_sources_the_user_may_not_see(monitor, other_monitor):
    assembly = _create(monitor)
    hidden = SourceFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    old, new = SourceFactory(), SourceFactory()
    assembly.sources.add(hidden, old)
    assembly_update(user=monitor, assembly=assembly, sources=[new])
    assert set(assembly.sources.all()) == {hidden, new}


def test_invalid_update_writes_nothing(monitor):
    assembly = _create(monitor)
    with pytest.raises(ValidationError):
        assembly_update(
            user=monitor,
            assembly=assembly,
            title="Renamed",
            participants_low=10,
            participants_high=5,
            causes=[CauseTag.objects.get(code="social")],
        )
    assembly.refresh_from_db()
    assert assembly.title == "Test rally"
    assert not assembly.causes.exists()
    assert not AuditEntry.objects.filter(action="kuzet.assembly.updated").exists()
