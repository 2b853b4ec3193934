"""reports.services: queueing (versions, validation, permissions), compiling and storing (with a stand-in
compiler: these are the state machine's unit tests), and the review workflow up to the intervention."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage

from core.models import AuditEntry
from reports import services
from reports.models import BodyResponse, Intervention, InterventionChannel, Report, ReportStatus
from tests.people.factories import ConsentRecordFactory, PersonFactory
from tests.reports.flow import PDF, RECIPIENTS, FakeCompiler, definition

pytestmark = pytest.mark.django_db

FEB = {"period_start": dt.date(2019, 2, 1), "period_end": dt.date(2019, 2, 28)}


def _actions(report) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_uid=report.uid).order_by("id").values_list("action", flat=True)
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def compiler(monkeypatch):
    fake = FakeCompiler()
    monkeypatch.setattr("reports.compiling.compile_report", fake)
    return fake


@pytest.fixture
def in_review(analyst, compiler, media):
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    return services.report_compile(report_id=report.pk)


@pytest.fixture
def approved(in_review, analyst):
    return services.report_approve(user=analyst, report=in_review)


# --- Queueing ----------------------------------------------------------------------------------------------


def test_analyst_queues_a_report_and_its_task_starts_on_commit(analyst, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    report.refresh_from_db()
    assert (report.status, report.version, report.created_by) == (ReportStatus.QUEUED, 1, analyst)
    assert report.language == report.definition.language
    assert report.task_id
    assert len(callbacks) == 1
    assert _actions(report) == ["kuzet.report.queued"]


def test_queueing_the_same_period_again_makes_the_next_version(analyst):
    first = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    second = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), language="ru", **FEB)
    assert (first.version, second.version, second.language) == (1, 2, "ru")


@pytest.mark.parametrize("persona", ["monitor", "partner", "outsider"])
def test_who_may_not_queue_a_report_is_refused_and_nothing_is_written(persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.report_queue(user=user, definition=definition("un-sr-foaa"), **FEB)
    assert not Report.objects.exists()


def test_lawyer_queues_an_individual_communication_but_not_a_periodic_report(lawyer):
    person = PersonFactory()
    ConsentRecordFactory(person=person, scope="un")
    report = services.report_queue(user=lawyer, definition=definition("un-wgad"), person=person, **FEB)
    assert report.person == person
    with pytest.raises(PermissionDenied):
        services.report_queue(user=lawyer, definition=definition("un-sr-foaa"), **FEB)
    assert Report.objects.count() == 1


def test_a_period_that_ends_before_it_starts_is_refused(analyst):
    with pytest.raises(services.ReportError, match="The period must not end before it starts"):
        services.report_queue(
            user=analyst,
            definition=definition("un-sr-foaa"),
            period_start=dt.date(2019, 3, 1),
            period_end=dt.date(2019, 2, 1),
        )
    assert not Report.objects.exists()


def test_an_inactive_definition_is_refused(analyst):
    with pytest.raises(services.ReportError, match="is not active"):
        services.report_queue(user=analyst, definition=definition("osce-rfom", is_active=False), **FEB)
    assert not Report.objects.exists()


def test_a_periodic_report_is_not_about_one_person(analyst):
    with pytest.raises(services.ReportError, match="leave the person empty"):
        services.report_queue(
            user=analyst, definition=definition("un-sr-foaa"), person=PersonFactory(), **FEB
        )


@pytest.mark.parametrize("consent", [None, "osce", "withdrawn"])
def test_wgad_communication_without_a_un_consent_is_refused_with_the_reason(analyst, consent):
    person = PersonFactory(full_name="Testova Gulnar")
    if consent == "osce":
        ConsentRecordFactory(person=person, scope="osce")
    if consent == "withdrawn":
        ConsentRecordFactory(
            person=person, scope="un", given_on=dt.date(2019, 1, 1), withdrawn_on=dt.date(2019, 3, 1)
        )
    with pytest.raises(
        services.ReportError, match="cannot be sent without the person's or the family's consent"
    ):
        services.report_queue(user=analyst, definition=definition("un-wgad"), person=person, **FEB)
    assert not Report.objects.exists()


def test_wgad_communication_needs_its_person(analyst):
    with pytest.raises(services.ReportError, match="needs the person it is about"):
        services.report_queue(user=analyst, definition=definition("un-wgad"), **FEB)


# --- Compiling and storing ---------------------------------------------------------------------------------


def test_compiling_stores_the_files_the_checksum_and_the_figures(analyst, compiler, media):
    named = PersonFactory()
    compiler.named = [named]
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    lines = []
    services.report_compile(report_id=report.pk, progress=lines.append)
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW
    assert report.checksum == hashlib.sha256(PDF).hexdigest()
    assert report.figures == {"detentions": 7, "people_held_on_last_day": 2}
    assert report.compiled_at is not None and report.attempts == 1
    assert list(report.named_people.all()) == [named]
    assert lines == ["Counting detentions"]
    assert default_storage.open(report.pdf_file.name).read() == PDF
    assert (media / report.pdf_file.name).exists()
    assert report.annex_file and report.json_file and not report.docx_file
    assert _actions(report) == ["kuzet.report.queued", "kuzet.report.compiled"]


def test_a_second_delivery_of_a_compiled_report_does_nothing(in_review, compiler):
    assert services.report_compile(report_id=in_review.pk) is None
    assert compiler.calls == [in_review.pk]
    in_review.refresh_from_db()
    assert (in_review.status, in_review.attempts) == (ReportStatus.REVIEW, 1)


def test_a_report_left_compiling_by_a_dead_worker_is_compiled_once(analyst, compiler, media):
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.COMPILING, attempts=1)
    services.report_compile(report_id=report.pk)
    services.report_compile(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts, compiler.calls) == (ReportStatus.REVIEW, 2, [report.pk])
    assert "kuzet.report.resumed" in _actions(report)


def test_a_refusal_of_the_compiler_fails_the_report_with_its_message(analyst, compiler, media):
    compiler.refuse = "Not enough data for this body."
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    services.report_compile(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.failure_reason) == (ReportStatus.FAILED, "Not enough data for this body.")
    assert not report.pdf_file and not report.checksum
    assert _actions(report)[-1] == "kuzet.report.failed"


def test_retry_queues_a_failed_report_again_as_the_same_version(analyst, compiler, media):
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    services.report_fail(report_id=report.pk, reason="Database gone")
    old_task = Report.objects.get(pk=report.pk).task_id
    retried = services.report_retry(user=analyst, report=report)
    assert (retried.status, retried.version, retried.failure_reason) == (ReportStatus.QUEUED, 1, "")
    assert retried.task_id != old_task
    services.report_compile(report_id=report.pk)
    assert Report.objects.get().status == ReportStatus.REVIEW


def test_retry_of_a_report_in_review_is_refused(in_review, analyst):
    with pytest.raises(services.ReportError, match="Only a failed or queued report can be retried"):
        services.report_retry(user=analyst, report=in_review)


def test_monitor_may_not_retry(analyst, monitor):
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    services.report_fail(report_id=report.pk, reason="x")
    with pytest.raises(PermissionDenied):
        services.report_retry(user=monitor, report=report)
    assert Report.objects.get().status == ReportStatus.FAILED


def test_recompiling_makes_a_new_version_and_the_old_one_stays(in_review, analyst, compiler):
    before = (in_review.checksum, in_review.pdf_file.name, in_review.compiled_at)
    new = services.report_recompile(user=analyst, report=in_review)
    assert (new.version, new.status) == (2, ReportStatus.QUEUED)
    services.report_compile(report_id=new.pk)
    in_review.refresh_from_db()
    assert (in_review.checksum, in_review.pdf_file.name, in_review.compiled_at) == before
    assert in_review.status == ReportStatus.REVIEW
    assert Report.objects.get(pk=new.pk).pdf_file.name != before[1]


def test_foreground_compile_refused_writes_nothing(analyst, compiler, media):
    compiler.refuse = "Refused for the test."
    with pytest.raises(services.ReportError, match="Refused for the test"):
        services.report_compile_now(user=None, definition=definition("un-sr-foaa"), **FEB)
    assert not Report.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="kuzet.report").exists()


# --- Review: approve, send, submit, response ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["monitor", "lawyer"])
def test_monitors_and_lawyers_cannot_approve(in_review, persona, request):
    with pytest.raises(PermissionDenied):
        services.report_approve(user=request.getfixturevalue(persona), report=in_review)
    in_review.refresh_from_db()
    assert (in_review.status, in_review.approved_by) == (ReportStatus.REVIEW, None)


@pytest.mark.parametrize("persona", ["analyst", "administrator"])
def test_analysts_and_administrators_approve(in_review, persona, request):
    user = request.getfixturevalue(persona)
    services.report_approve(user=user, report=in_review)
    in_review.refresh_from_db()
    assert (in_review.status, in_review.approved_by) == (ReportStatus.APPROVED, user)
    assert in_review.approved_at is not None
    assert _actions(in_review)[-1] == "kuzet.report.approved"


def test_a_queued_report_cannot_be_approved(analyst):
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    with pytest.raises(services.ReportError, match="Only a report in review can be approved"):
        services.report_approve(user=analyst, report=report)


@pytest.mark.parametrize("persona", ["analyst", "administrator"])
def test_nobody_sends_an_unapproved_report(in_review, persona, request, mailoutbox):
    definition("un-sr-foaa", recipients=RECIPIENTS)
    user = request.getfixturevalue(persona)
    with pytest.raises(services.ReportError, match="Only an approved report can be sent"):
        services.report_send(user=user, report=in_review, subject="Report", message="Attached.")
    with pytest.raises(services.ReportError, match="Only an approved report can be sent"):
        services.report_mark_submitted(user=user, report=in_review, sent_on=dt.date.today())
    assert mailoutbox == []
    assert not Intervention.objects.exists()
    assert Report.objects.get().status == ReportStatus.REVIEW


def test_monitor_cannot_send(approved, monitor, mailoutbox):
    definition("un-sr-foaa", recipients=RECIPIENTS)
    with pytest.raises(PermissionDenied):
        services.report_send(user=monitor, report=approved, subject="Report", message="Attached.")
    assert mailoutbox == [] and not Intervention.objects.exists()


def test_sending_emails_the_files_and_records_the_intervention(analyst, compiler, media, mailoutbox):
    named = PersonFactory()
    compiler.named = [named]
    definition("un-sr-foaa", recipients=RECIPIENTS)
    report = services.report_queue(user=analyst, definition=definition("un-sr-foaa"), **FEB)
    services.report_compile(report_id=report.pk)
    services.report_approve(user=analyst, report=report)
    with time_machine.travel(dt.datetime(2019, 3, 5, 6, 0, tzinfo=dt.UTC), tick=False):
        intervention = services.report_send(
            user=analyst, report=report, subject="February report", message="Please find it attached."
        )
    [email] = mailoutbox
    assert email.to == ["un-sr-test@example.org", "second-test@example.org"]
    assert (email.subject, email.body) == ("February report", "Please find it attached.")
    assert sorted(name.rsplit(".", 1)[1] for name, _content, _type in email.attachments) == [
        "json",
        "pdf",
        "xlsx",
    ]
    assert PDF in [content for _name, content, _type in email.attachments]
    intervention.refresh_from_db()
    assert (intervention.channel, intervention.sent_on) == (InterventionChannel.EMAIL, dt.date(2019, 3, 5))
    assert (intervention.response, intervention.recipient) == (BodyResponse.AWAITING, "un_sr_assembly")
    assert intervention.recipients == RECIPIENTS and intervention.message == "Please find it attached."
    assert list(intervention.people.all()) == [named]
    report.refresh_from_db()
    assert (report.status, report.sent_by) == (ReportStatus.SENT, analyst)
    assert _actions(report)[-1] == "kuzet.report.sent"


def test_a_definition_without_recipients_cannot_send_by_email(approved, analyst, mailoutbox):
    definition("un-sr-foaa", recipients="")
    with pytest.raises(services.ReportError, match="has no recipients"):
        services.report_send(user=analyst, report=approved, subject="Report", message="Attached.")
    assert mailoutbox == [] and not Intervention.objects.exists()
    assert Report.objects.get().status == ReportStatus.APPROVED


def test_marking_as_submitted_through_the_portal_records_the_reference(approved, analyst):
    intervention = services.report_mark_submitted(
        user=analyst, report=approved, sent_on=dt.date(2019, 3, 4), reference="AL KAZ 1/2019"
    )
    assert (intervention.channel, intervention.reference) == (InterventionChannel.PORTAL, "AL KAZ 1/2019")
    assert Report.objects.get().status == ReportStatus.SENT


def test_a_submission_in_the_future_is_refused(approved, analyst):
    with pytest.raises(services.ReportError, match="cannot be in the future"):
        services.report_mark_submitted(
            user=analyst, report=approved, sent_on=dt.date.today() + dt.timedelta(days=2)
        )
    assert not Intervention.objects.exists()


def test_recording_the_response_of_the_body(approved, analyst, monitor):
    intervention = services.report_mark_submitted(user=analyst, report=approved, sent_on=dt.date(2019, 3, 4))
    with pytest.raises(PermissionDenied):
        services.intervention_record_response(user=monitor, intervention=intervention, response="pledged")
    with pytest.raises(services.ReportError, match="cannot come before the report was sent"):
        services.intervention_record_response(
            user=analyst, intervention=intervention, response="pledged", response_on=dt.date(2019, 3, 1)
        )
    services.intervention_record_response(
        user=analyst,
        intervention=intervention,
        response="more_info",
        response_on=dt.date(2019, 6, 1),
        follow_up_on=dt.date(2019, 9, 1),
        reference="UA KAZ 2/2019",
    )
    intervention.refresh_from_db()
    assert (intervention.response, intervention.response_on, intervention.follow_up_on) == (
        BodyResponse.MORE_INFO,
        dt.date(2019, 6, 1),
        dt.date(2019, 9, 1),
    )
    assert intervention.reference == "UA KAZ 2/2019"
    assert AuditEntry.objects.filter(action="kuzet.intervention.response_recorded").count() == 1


# --- The period a schedule queues ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "today", "period"),
    [
        ("monthly", dt.date(2019, 3, 1), (dt.date(2019, 2, 1), dt.date(2019, 2, 28))),
        ("monthly", dt.date(2020, 1, 15), (dt.date(2019, 12, 1), dt.date(2019, 12, 31))),
        ("quarterly", dt.date(2019, 4, 1), (dt.date(2019, 1, 1), dt.date(2019, 3, 31))),
        ("quarterly", dt.date(2020, 1, 1), (dt.date(2019, 10, 1), dt.date(2019, 12, 31))),
        ("quarterly", dt.date(2019, 8, 20), (dt.date(2019, 4, 1), dt.date(2019, 6, 30))),
    ],
)
def test_period_just_ended(cadence, today, period):
    assert services.period_just_ended(cadence=cadence, today=today) == period
