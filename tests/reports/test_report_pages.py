"""The report pages (reports.views): list, queue, one report with its preview and files, and the review
actions. Who may see, who may act, what each action writes, and query counts that do not grow."""

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, Confidentiality
from reports import selectors
from reports.models import BodyResponse, Intervention, Report, ReportStatus
from tests.people.factories import ConsentRecordFactory, PersonFactory
from tests.reports.flow import PDF, RECIPIENTS, definition

pytestmark = pytest.mark.django_db

LIST = reverse("reports:report-list")
QUEUE = reverse("reports:report-queue")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_report(slug="un-sr-foaa", *, status=ReportStatus.REVIEW, version=1, person=None, **fields) -> Report:
    """A report as the workflow leaves it in `status` (files stored when it was compiled)."""
    report = Report.objects.create(
        definition=definition(slug),
        person=person,
        period_start=dt.date(2019, 2, 1),
        period_end=dt.date(2019, 2, 28),
        version=version,
        status=status,
        **fields,
    )
    if status not in (ReportStatus.QUEUED, ReportStatus.COMPILING, ReportStatus.FAILED):
        report.pdf_file.save("report.pdf", ContentFile(PDF), save=False)
        report.annex_file.save("annex.xlsx", ContentFile(b"PK annex"), save=False)
        report.json_file.save("figures.json", ContentFile(b'{"detentions": 7}'), save=False)
        report.figures = {"key_figures": {"assemblies": 2, "detentions": 7}, "detentions": {"total": 7}}
        report.checksum = hashlib.sha256(PDF).hexdigest()
        report.compiled_at = timezone.now()
        report.save()
    return report


def detail(report) -> str:
    return reverse("reports:report-detail", args=[report.uid])


def action(name, report) -> str:
    return reverse(f"reports:report-{name}", args=[report.uid])


# --- Who may open the pages -------------------------------------------------------------------------------


def test_anonymous_users_go_to_the_login_page(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["partner", "outsider", "staff_outsider"])
def test_users_without_a_staff_role_get_403(client, persona, request, media):
    report = make_report()
    client.force_login(request.getfixturevalue(persona))
    for url in (LIST, detail(report), reverse("reports:report-file", args=[report.uid, "pdf"]), QUEUE):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["monitor", "lawyer", "analyst", "administrator"])
def test_staff_see_the_list_with_status_period_and_version(client, persona, request, media):
    make_report(version=1, status=ReportStatus.SENT)
    make_report(version=2, status=ReportStatus.FAILED, failure_reason="Test: the database was gone")
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST)
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [(r.version, r.status) for r in rows] == [(2, "failed"), (1, "sent")]
    html = response.content.decode()
    assert "2019-02-01 – 2019-02-28" in html and "Test: the database was gone" in html
    assert ">Failed<" in html and ">Sent<" in html


def test_the_list_filters_by_definition_and_status(client, analyst, media):
    make_report("un-sr-foaa", status=ReportStatus.REVIEW)
    make_report("osce-odihr", status=ReportStatus.REVIEW)
    make_report("osce-odihr", status=ReportStatus.SENT, version=2)
    client.force_login(analyst)
    response = client.get(LIST, {"definition": "osce-odihr", "status": "review"})
    assert [(r.definition.slug, r.status) for r in response.context["page"].object_list] == [
        ("osce-odihr", "review")
    ]


def test_the_list_takes_a_constant_number_of_queries(client, analyst, media, django_assert_num_queries):
    for version in range(1, 4):
        make_report(version=version)
    make_report("un-wgad", person=PersonFactory())
    client.force_login(analyst)
    # session, user, the user's groups (roles), permissions (2), definitions for the filter, count, page
    with django_assert_num_queries(8):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 4


def test_a_communication_about_a_person_the_user_may_not_see_is_hidden(client, monitor, other_monitor, media):
    hidden = PersonFactory(confidentiality=Confidentiality.RESTRICTED, created_by=other_monitor)
    report = make_report("un-wgad", person=hidden)
    client.force_login(monitor)
    assert list(client.get(LIST).context["page"].object_list) == []
    assert client.get(detail(report)).status_code == 404
    assert client.get(reverse("reports:report-file", args=[report.uid, "pdf"])).status_code == 404
    assert client.post(action("approve", report)).status_code == 404


# --- One report ---------------------------------------------------------------------------------------------


def test_the_report_page_previews_the_pdf_and_lists_the_files(
    client, analyst, media, django_assert_num_queries
):
    report = make_report()
    client.force_login(analyst)
    # session, user, groups, permissions (2), the report, its interventions, its versions
    with django_assert_num_queries(8):
        response = client.get(detail(report))
    html = response.content.decode()
    pdf_url = reverse("reports:report-file", args=[report.uid, "pdf"])
    assert f'src="{pdf_url}"' in html
    for kind in ("pdf", "xlsx", "json"):
        assert f"{reverse('reports:report-file', args=[report.uid, kind])}?download=1" in html
    assert reverse("reports:report-file", args=[report.uid, "docx"]) not in html
    assert report.checksum in html
    assert 'id="approve"' in html
    assert [(label, value) for label, value in response.context["key_figures"]] == [
        ("Assemblies", 2),
        ("Detentions", 7),
    ]


def test_monitors_see_no_approve_button_and_cannot_approve(client, monitor, media):
    report = make_report()
    client.force_login(monitor)
    assert 'id="approve"' not in client.get(detail(report)).content.decode()
    assert client.post(action("approve", report)).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW


def test_analyst_approves(client, analyst, media):
    report = make_report()
    client.force_login(analyst)
    response = client.post(action("approve", report))
    assert response.status_code == 302 and response["Location"] == detail(report)
    report.refresh_from_db()
    assert (report.status, report.approved_by) == (ReportStatus.APPROVED, analyst)


def test_actions_refuse_get(client, analyst, media):
    report = make_report()
    client.force_login(analyst)
    for name in ("approve", "send", "submit", "retry", "recompile"):
        assert client.get(action(name, report)).status_code == 405


def test_a_report_in_review_cannot_be_sent(client, analyst, media, mailoutbox):
    definition("un-sr-foaa", recipients=RECIPIENTS)
    report = make_report()
    client.force_login(analyst)
    response = client.post(action("send", report), {"subject": "Report", "message": "Attached."})
    assert response.status_code == 400
    assert "Only an approved report can be sent" in response.content.decode()
    assert mailoutbox == [] and not Intervention.objects.exists()


def test_analyst_sends_an_approved_report_by_email(client, analyst, media, mailoutbox):
    definition("un-sr-foaa", recipients=RECIPIENTS)
    named = PersonFactory()
    report = make_report(status=ReportStatus.APPROVED, approved_by=analyst, approved_at=timezone.now())
    report.named_people.set([named])
    client.force_login(analyst)
    page = client.get(detail(report)).content.decode()
    assert "un-sr-test@example.org, second-test@example.org" in page and 'id="send-email"' in page
    response = client.post(action("send", report), {"subject": "February report", "message": "Attached."})
    assert response.status_code == 302
    [email] = mailoutbox
    assert email.subject == "February report" and len(email.attachments) == 3
    intervention = Intervention.objects.get()
    assert (intervention.channel, list(intervention.people.all())) == ("email", [named])
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT


def test_a_send_the_mail_server_refuses_keeps_what_was_typed(client, analyst, media, settings, mailoutbox):
    definition("un-sr-foaa", recipients="not an address")
    report = make_report(status=ReportStatus.APPROVED)
    client.force_login(analyst)
    response = client.post(action("send", report), {"subject": "Typed subject", "message": "Typed message"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a valid e-mail address" in html and "Typed message" in html and "Typed subject" in html
    assert not Intervention.objects.exists()


def test_marking_as_submitted_through_the_portal(client, analyst, media):
    report = make_report(status=ReportStatus.APPROVED)
    client.force_login(analyst)
    response = client.post(
        action("submit", report), {"sent_on": "2019-03-04", "reference": "AL KAZ 1/2019", "message": ""}
    )
    assert response.status_code == 302
    intervention = Intervention.objects.get()
    assert (intervention.channel, intervention.reference, intervention.sent_on) == (
        "portal",
        "AL KAZ 1/2019",
        dt.date(2019, 3, 4),
    )


def test_recording_the_body_response(client, analyst, monitor, media):
    report = make_report(status=ReportStatus.SENT)
    intervention = Intervention.objects.create(
        report=report, recipient=report.definition.recipient, channel="portal", sent_on=dt.date(2019, 3, 4)
    )
    url = reverse("reports:intervention-response", args=[intervention.uid])
    data = {"response": "pledged", "response_on": "2019-05-02", "follow_up_on": "2019-08-01", "reference": ""}
    client.force_login(monitor)
    assert client.post(url, data).status_code == 403
    client.force_login(analyst)
    assert client.post(url, data).status_code == 302
    intervention.refresh_from_db()
    assert (intervention.response, intervention.follow_up_on) == (BodyResponse.PLEDGED, dt.date(2019, 8, 1))


def test_a_failed_report_shows_its_reason_and_a_retry_button(
    client, analyst, django_capture_on_commit_callbacks
):
    report = make_report(status=ReportStatus.FAILED, failure_reason="Test: Redis was gone")
    client.force_login(analyst)
    html = client.get(detail(report)).content.decode()
    assert "Test: Redis was gone" in html and 'id="retry"' in html
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post(action("retry", report)).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.failure_reason, len(callbacks)) == (ReportStatus.QUEUED, "", 1)


def test_recompile_makes_a_new_version(client, analyst, media):
    report = make_report(status=ReportStatus.SENT)
    client.force_login(analyst)
    response = client.post(action("recompile", report))
    new = Report.objects.get(version=2)
    assert response["Location"] == detail(new)
    assert new.status == ReportStatus.QUEUED
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT


# --- Files -------------------------------------------------------------------------------------------------


def test_the_pdf_streams_inline_for_the_preview_never_cached_and_audited(client, monitor, media):
    report = make_report()
    client.force_login(monitor)
    response = client.get(reverse("reports:report-file", args=[report.uid, "pdf"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The report page frames it; every other response keeps frame-ancestors 'none'.
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    entry = AuditEntry.objects.get(action="kuzet.report.downloaded")
    assert (entry.actor, entry.object_uid, entry.data["kind"]) == (monitor, report.uid, "pdf")


def test_downloads_are_attachments(client, analyst, media):
    report = make_report()
    client.force_login(analyst)
    response = client.get(reverse("reports:report-file", args=[report.uid, "xlsx"]), {"download": "1"})
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "no-store" in response["Cache-Control"]


def test_a_file_the_report_does_not_have_is_404(client, analyst, media):
    report = make_report()
    client.force_login(analyst)
    assert client.get(reverse("reports:report-file", args=[report.uid, "docx"])).status_code == 404
    assert client.get(reverse("reports:report-file", args=[report.uid, "exe"])).status_code == 404
    assert not AuditEntry.objects.filter(action="kuzet.report.downloaded").exists()


# --- Queueing from the browser ------------------------------------------------------------------------------


def test_analyst_queues_a_report(client, analyst, django_capture_on_commit_callbacks):
    definition("osce-odihr")
    client.force_login(analyst)
    assert client.get(QUEUE).status_code == 200
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            QUEUE, {"definition": "osce-odihr", "period_start": "2019-01-01", "period_end": "2019-03-31"}
        )
    report = Report.objects.get()
    assert response["Location"] == detail(report)
    assert (report.period_end, report.status, len(callbacks)) == (dt.date(2019, 3, 31), "queued", 1)


def test_monitors_may_not_queue(client, monitor):
    client.force_login(monitor)
    assert client.get(QUEUE).status_code == 403
    assert client.post(QUEUE, {"definition": "osce-odihr"}).status_code == 403
    assert 'id="queue-report"' not in client.get(LIST).content.decode()


def test_a_refused_wgad_communication_shows_the_message_and_keeps_the_form(client, lawyer):
    definition("un-wgad")
    person = PersonFactory(full_name="Testova Without Consent")
    client.force_login(lawyer)
    data = {
        "definition": "un-wgad",
        "period_start": "2019-02-01",
        "period_end": "2019-02-28",
        "person": person.uid,
    }
    response = client.post(QUEUE, data)
    html = response.content.decode()
    assert "cannot be sent without the person&#x27;s or the family&#x27;s consent" in html
    assert f'value="{person.uid}"' in html
    assert not Report.objects.exists()


def test_lawyer_queues_a_wgad_communication_but_not_a_periodic_report(client, lawyer):
    definition("un-wgad")
    definition("un-sr-foaa")
    person = PersonFactory()
    ConsentRecordFactory(person=person, scope="un")
    client.force_login(lawyer)
    form = client.get(QUEUE, {"person": person.uid}).context["form"]
    assert [d.slug for d in form.fields["definition"].queryset] == ["un-wgad"]
    response = client.post(
        QUEUE, {"definition": "un-sr-foaa", "period_start": "2019-02-01", "period_end": "2019-02-28"}
    )
    assert response.status_code == 200 and not Report.objects.exists()
    client.post(
        QUEUE,
        {
            "definition": "un-wgad",
            "period_start": "2019-02-01",
            "period_end": "2019-02-28",
            "person": person.uid,
        },
    )
    assert Report.objects.get().person == person


# --- Interventions for the person page and the dashboard ---------------------------------------------------


def test_interventions_for_a_person_and_awaiting_reply(analyst, media, django_assert_num_queries):
    person = PersonFactory()
    report = make_report(status=ReportStatus.SENT)
    due = Intervention.objects.create(
        report=report,
        recipient=report.definition.recipient,
        channel="portal",
        sent_on=dt.date(2019, 3, 4),
        follow_up_on=dt.date(2019, 6, 1),
        reference="AL KAZ 1/2019",
    )
    due.people.set([person])
    answered = Intervention.objects.create(
        report=report, recipient=report.definition.recipient, channel="email", sent_on=dt.date(2019, 3, 5)
    )
    answered.people.set([person])
    Intervention.objects.filter(pk=answered.pk).update(response=BodyResponse.PLEDGED)
    assert selectors.may_view_reports(analyst)  # roles and permissions read once per user, as on a page
    with django_assert_num_queries(1):
        for_person = list(selectors.interventions_for_person(user=analyst, person=person))
    assert [i.pk for i in for_person] == [answered.pk, due.pk]
    html = render_to_string("reports/_person_interventions.html", {"interventions": for_person})
    assert "AL KAZ 1/2019" in html and "Pledged action" in html

    with django_assert_num_queries(2):
        awaiting = list(selectors.interventions_awaiting_reply(user=analyst, today=dt.date(2019, 6, 2)))
        html = render_to_string("reports/_dashboard_interventions.html", {"interventions": awaiting})
    assert [i.pk for i in awaiting] == [due.pk] and awaiting[0].is_due
    assert "follow-up due 2019-06-01" in html and person.full_name in html


def test_interventions_are_hidden_from_users_without_a_role(outsider, media):
    person = PersonFactory()
    report = make_report(status=ReportStatus.SENT)
    intervention = Intervention.objects.create(
        report=report, recipient=report.definition.recipient, channel="portal", sent_on=dt.date(2019, 3, 4)
    )
    intervention.people.set([person])
    assert list(selectors.interventions_for_person(user=outsider, person=person)) == []
    assert list(selectors.interventions_awaiting_reply(user=outsider, today=dt.date(2019, 6, 2))) == []
