"""`export_all` → empty database → `import_all`: equal row counts and equal content per uid, relations, files,
users, timestamps and encrypted contact details included, compiled reports with their files, interventions,
imports and the audit log too; a non-empty instance is refused."""

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Detention, LegalCase, Sentence
from core.models import ApiKey, AuditEntry, ChangeLog, Confidentiality, Reference
from core.services import audit_record, record_soft_delete
from events.models import Place, Source
from exchange.dump import dump_models, instance_is_empty
from exchange.models import ImportBatch, ImportChange
from people.models import Person
from tests.cases.factories import SentenceFactory
from tests.people.factories import ConsentRecordFactory
from tests.reports.factories import ReportDefinitionFactory, ReportSectionFactory

# Reference data an instance has from its migrations (reports 0004 seeds the report definitions).
REFERENCE = {"reports.reportdefinition", "reports.reportsection", "cases.custodycredit", "cases.appealterm"}
SEEDED = {"un-sr-foaa", "un-wgad", "osce-odihr", "osce-rfom", "eu-briefing"}
REPORT_FILES = {
    "pdf_file": b"%PDF-1.7 the report\x00\xff",
    "annex_file": b"PK\x03\x04 annex bytes",
    "json_file": b'{"figures": {"detained": 3}}',
    "docx_file": b"PK\x03\x04 docx bytes \xe2\x80\x94",
}

pytestmark = pytest.mark.django_db


def _by_uid(directory) -> dict[str, dict]:
    """Rows per uid; history without a uid (audit entries, import changes) per position, in its order."""
    manifest = json.loads((directory / "manifest.json").read_text())
    content = {}
    for entry in manifest["models"]:
        rows = json.loads((directory / entry["file"]).read_text())
        assert len(rows) == entry["count"]
        if entry["identity"] is None:
            content[entry["model"]] = dict(enumerate(rows))
        else:
            content[entry["model"]] = {str(row[entry["identity"]]): row for row in rows}
    return content


def _empty_the_records():
    """What a new instance holds: reference data from migrations (the seeded report definitions with their
    wording as shipped), no records, no history."""
    Definition = apps.get_model("reports", "ReportDefinition")
    for model in reversed(dump_models()):
        if model._meta.label_lower not in REFERENCE and not issubclass(model, Reference):
            model.objects.all().delete()
    Definition.objects.exclude(slug__in=SEEDED).delete()
    ApiKey.objects.all().delete()
    Definition.objects.filter(slug="un-wgad").update(recipients="")
    apps.get_model("reports", "ReportSection").objects.filter(definition__slug="un-wgad").update(
        text="The new instance's wording."
    )


@pytest.fixture
def records(monitor, other_monitor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("generate_synthetic", people=40, seed=3, stdout=io.StringIO())
    person = Person.objects.order_by("id").first()
    person.contact_details = "+7 700 000 00 00"
    person.confidentiality = Confidentiality.RESTRICTED
    person.created_by = other_monitor
    person.save()
    person.shared_with.add(monitor)
    # Microseconds survive (a JSON encoder that keeps milliseconds only would change this one).
    Person.objects.filter(pk=person.pk).update(
        created_at=dt.datetime(2020, 1, 1, 12, 0, 0, 500, tzinfo=dt.UTC)
    )
    ConsentRecordFactory(person=person, given_on=dt.date(2020, 5, 1))
    record_soft_delete(record=Person.objects.order_by("-id").first(), user=monitor)
    source = Source(kind="court_document", title="Decision", confidentiality="internal")
    source.file.save("decision.txt", ContentFile(b"the court decided"), save=True)
    detention = Detention.objects.order_by("id").first()
    detention.sources.add(source)
    case = LegalCase.objects.create(person=detention.person, kind="administrative")
    case.detentions.add(detention)
    SentenceFactory(legal_case=case, kind="fine", amount="50.00", currency="MCI")
    _reports(monitor, other_monitor)
    _history(monitor, detention)
    ApiKey.objects.create_key(name="partner", user=monitor)
    return person


def _reports(monitor, other_monitor):
    Report = apps.get_model("reports", "Report")
    Intervention = apps.get_model("reports", "Intervention")
    Definition = apps.get_model("reports", "ReportDefinition")
    custom = ReportDefinitionFactory(
        slug="custom-digest", name="Custom digest", filters={"cities": ["almaty"]}
    )
    ReportSectionFactory(definition=custom, key="intro", title="Introduction", text="Our own wording.")
    people = list(Person.objects.order_by("id")[:2])
    report = Report(
        definition=Definition.objects.get(slug="un-sr-foaa"),
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 1, 31),
        status="sent",
        figures={"detained": 3, "by_city": {"almaty": 2, "astana": 1}},
        checksum="a" * 64,
        compiled_at=dt.datetime(2024, 2, 1, 9, 30, 0, 123456, tzinfo=dt.UTC),
        approved_at=dt.datetime(2024, 2, 2, 10, 0, tzinfo=dt.UTC),
        approved_by=other_monitor,
        sent_at=dt.datetime(2024, 2, 3, 11, 0, tzinfo=dt.UTC),
        sent_by=monitor,
        created_by=monitor,
    )
    for name, content in REPORT_FILES.items():
        getattr(report, name).save(f"report.{name[:-5]}", ContentFile(content), save=False)
    report.save()
    report.named_people.set(people)
    intervention = Intervention.objects.create(
        report=report,
        recipient="un_sr_assembly",
        channel="email",
        sent_on=dt.date(2024, 2, 3),
        subject="Assemblies in January",
        reference="AL KAZ 1/2024",
        created_by=monitor,
    )
    intervention.people.set(people)
    seeded = Definition.objects.get(slug="un-wgad")
    seeded.recipients = "wgad@ohchr.org"  # edited in the admin: the dump's wording wins on loading
    seeded.save()
    seeded.sections.filter(key=seeded.sections.first().key).update(text="Our wording of this section.")


def _history(monitor, detention):
    entry = audit_record(
        actor=monitor, action="kuzet.test.noted", obj=detention, data={"why": "a note", "n": 2}
    )
    AuditEntry.objects.filter(pk=entry.pk).update(at=dt.datetime(2021, 3, 4, 5, 6, 7, 89, tzinfo=dt.UTC))
    imported = ImportBatch.objects.create(
        file_name="detentions.xlsx",
        sha256="b" * 64,
        mapping={"A": "full_name"},
        status="imported",
        counts={"created": 0, "updated": 1},
        created_by=monitor,
        imported_at=dt.datetime(2021, 3, 4, 6, 0, tzinfo=dt.UTC),
    )
    previous_place = Place.objects.exclude(pk=detention.place_id).order_by("code").first()
    ImportChange.objects.create(
        batch=imported,
        row=2,
        row_key="k1",
        model="cases.detention",
        object_id=detention.pk,
        object_uid=detention.uid,
        action="updated",
        previous={"place_id": previous_place.pk, "location": "old location"},
    )
    ImportBatch.objects.create(
        file_name="pending.xlsx", sha256="c" * 64, content=b"PK\x03\x04\x00\xffpending", created_by=monitor
    )


def test_round_trip_into_an_empty_database(records, tmp_path, settings):
    first, second = tmp_path / "first", tmp_path / "second"
    out = io.StringIO()
    call_command("export_all", str(first), stdout=out)
    assert "record types written" in out.getvalue()
    dumped = _by_uid(first)
    assert len(dumped["people.person"]) == Person.objects.count() == 40
    copied = first / "files" / Source.objects.get(title="Decision").file.name
    assert copied.read_bytes() == b"the court decided"
    report = apps.get_model("reports", "Report").objects.get()
    for name, content in REPORT_FILES.items():
        assert (first / "files" / getattr(report, name).name).read_bytes() == content
    # The export audited itself after writing: the dump holds the log as it was before.
    assert len(dumped["core.auditentry"]) == AuditEntry.objects.count() - 1
    assert "core.apikey" not in dumped
    assert not any(ApiKey.objects.get().prefix in p.read_text() for p in first.glob("*.json"))
    counts = {m._meta.label_lower: m.objects.count() for m in dump_models()}
    assert counts["reports.report"] == counts["reports.intervention"] == 1
    assert counts["exchange.importbatch"] == 2 and counts["exchange.importchange"] == 1

    _empty_the_records()
    Place.objects.filter(code="almaty").update(name_ru="изменено после выгрузки")
    (tmp_path / "media").rename(tmp_path / "media-lost")  # the files come back from the dump
    ChangeLog.objects.all().delete()
    assert not Person.objects.exists() and not Detention.objects.exists() and not AuditEntry.objects.exists()
    assert apps.get_model("reports", "ReportDefinition").objects.get(slug="un-wgad").recipients == ""

    Definition = apps.get_model("reports", "ReportDefinition")
    seeded = dict(Definition.objects.values_list("slug", "pk"))
    call_command("import_all", str(first), stdout=io.StringIO())
    # The seeded definitions are matched by slug, not made again.
    assert {slug: pk for slug, pk in Definition.objects.values_list("slug", "pk") if slug in SEEDED} == seeded
    # Every table as before; the audit log has the dump's entries and the one of the load (as the source
    # had the one of the export).
    assert {m._meta.label_lower: m.objects.count() for m in dump_models()} == counts
    call_command("export_all", str(second), stdout=io.StringIO())
    reloaded = _by_uid(second)
    audit_before, audit_after = dumped.pop("core.auditentry"), reloaded.pop("core.auditentry")
    assert reloaded == dumped
    assert list(audit_after.values())[:-1] == list(audit_before.values())
    assert list(audit_after.values())[-1]["action"] == "kuzet.import.dump_loaded"

    person = Person.objects.get(uid=records.uid)
    assert person.contact_details == "+7 700 000 00 00"
    assert person.created_at == dt.datetime(2020, 1, 1, 12, 0, 0, 500, tzinfo=dt.UTC)
    assert person.created_by.username == "other_monitor"
    assert [u.username for u in person.shared_with.all()] == ["monitor"]
    assert Person.objects.filter(is_deleted=True).count() == 1
    assert Place.objects.get(code="almaty").name_ru == "Алматы"
    assert Source.objects.get(title="Decision").file.read() == b"the court decided"
    assert Sentence.objects.get(currency="MCI").amount == 50
    # The delta feed serves the loaded records from the start.
    assert ChangeLog.objects.filter(type="person").count() == Person.objects.count()

    report = apps.get_model("reports", "Report").objects.get()
    for name, content in REPORT_FILES.items():
        assert getattr(report, name).read() == content
    assert report.status == "sent" and report.sent_by.username == "monitor"
    assert report.compiled_at == dt.datetime(2024, 2, 1, 9, 30, 0, 123456, tzinfo=dt.UTC)
    named = sorted(str(p.uid) for p in Person.objects.order_by("id")[:2])
    assert sorted(str(p.uid) for p in report.named_people.all()) == named
    assert sorted(str(p.uid) for p in report.interventions.get().people.all()) == named
    assert apps.get_model("reports", "ReportDefinition").objects.get(slug="un-wgad").recipients == (
        "wgad@ohchr.org"
    )
    assert apps.get_model("reports", "ReportSection").objects.get(definition__slug="custom-digest").text == (
        "Our own wording."
    )
    sections = apps.get_model("reports", "ReportSection").objects.filter(definition__slug="un-wgad")
    assert "The new instance's wording." not in {s.text for s in sections}
    assert "Our wording of this section." in {s.text for s in sections}
    entry = AuditEntry.objects.get(action="kuzet.test.noted")
    assert entry.at == dt.datetime(2021, 3, 4, 5, 6, 7, 89, tzinfo=dt.UTC)
    assert entry.actor.username == "monitor" and entry.data == {"why": "a note", "n": 2}
    change = ImportChange.objects.get()
    detention = Detention.objects.get(pk=change.object_id)
    assert detention.uid == change.object_uid
    assert (
        Place.objects.get(pk=change.previous["place_id"]).code
        == Place.objects.order_by("code").exclude(pk=detention.place_id).first().code
    )
    assert bytes(ImportBatch.objects.get(status="pending").content) == b"PK\x03\x04\x00\xffpending"
    assert ImportBatch.objects.get(status="imported").created_by.username == "monitor"
    assert not ApiKey.objects.exists()


def test_import_all_refuses_a_non_empty_instance(records, tmp_path):
    call_command("export_all", str(tmp_path / "dump"), stdout=io.StringIO())
    before = Person.objects.count()
    with pytest.raises(CommandError, match="already holds records"):
        call_command("import_all", str(tmp_path / "dump"), stdout=io.StringIO())
    assert Person.objects.count() == before


def test_export_all_refuses_a_non_empty_directory(tmp_path, db):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_all", str(tmp_path), stdout=io.StringIO())


def test_a_report_or_an_import_is_a_record(tmp_path, db, monitor):
    """Seeded report definitions are reference data; a report or an import makes an instance non-empty."""
    assert instance_is_empty() == []
    call_command("export_all", str(tmp_path / "dump"), stdout=io.StringIO())
    apps.get_model("reports", "Report").objects.create(
        definition=apps.get_model("reports", "ReportDefinition").objects.get(slug="eu-briefing"),
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 1, 31),
    )
    ImportBatch.objects.create(file_name="a.xlsx", sha256="d" * 64, created_by=monitor)
    with pytest.raises(CommandError, match=r"reports\.report.*exchange\.importbatch"):
        call_command("import_all", str(tmp_path / "dump"), stdout=io.StringIO())
