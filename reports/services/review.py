"""The review workflow after compiling: approve, send by e-mail or mark as submitted through the body's
portal (each records an Intervention), record the body's response, and audit every download.

Nothing leaves unapproved: `report_send` and `report_mark_submitted` refuse anything but an approved report.
"""

import datetime as dt
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.services import audit_record
from reports.models import BodyResponse, Intervention, InterventionChannel, Report, ReportStatus
from reports.services.compile import FILE_FIELDS
from reports.services.errors import ReportError

PERM_APPROVE = "reports.approve_report"
PERM_SEND = "reports.send_report"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("definition", "person")
        .get(pk=report.pk)
    )


def _require(user, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(message)


@transaction.atomic
def report_approve(*, user, report: Report) -> Report:
    """Approve a report in review for sending. Raises PermissionDenied without `reports.approve_report`
    (monitors and lawyers) and ReportError when the report is not in review."""
    _require(user, PERM_APPROVE, _("You may not approve reports."))
    report = _locked(report)
    if report.status != ReportStatus.REVIEW:
        raise ReportError(_("Only a report in review can be approved."))
    report.status = ReportStatus.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = user
    report.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit_record(actor=user, action="kuzet.report.approved", obj=report, data={"version": report.version})
    return report


def report_recipients(report: Report) -> list[str]:
    return [line.strip() for line in report.definition.recipients.splitlines() if line.strip()]


def report_email_draft(*, report: Report) -> tuple[str, str]:
    """The subject and message proposed for sending `report`, in the report's language."""
    context = {"report": report, "definition": report.definition}
    with translation.override(report.language):
        subject = render_to_string("reports/emails/report-subject.txt", context)
        body = render_to_string("reports/emails/report-body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def _attachments(report: Report) -> list[tuple[str, bytes, str]]:
    attachments = []
    for kind, field_name in FILE_FIELDS.items():
        field = getattr(report, field_name)
        if field:
            with field.open("rb") as stored:
                attachments.append((os.path.basename(field.name), stored.read(), CONTENT_TYPES[kind]))
    return attachments


def _intervention(*, user, report: Report, channel: str, sent_on: dt.date, **fields) -> Intervention:
    intervention = Intervention(
        report=report,
        recipient=report.definition.recipient,
        channel=channel,
        sent_on=sent_on,
        created_by=user,
        **fields,
    )
    intervention.full_clean()
    intervention.save()
    people = list(report.named_people.all())
    if report.person is not None:
        people.append(report.person)
    intervention.people.set(people)
    report.status = ReportStatus.SENT
    report.sent_at = timezone.now()
    report.sent_by = user
    report.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
    audit_record(
        actor=user,
        action="kuzet.report.sent",
        obj=report,
        data={"channel": channel, "intervention": str(intervention.uid)},
    )
    return intervention


def _require_approved(user, report: Report) -> Report:
    _require(user, PERM_SEND, _("You may not send reports."))
    report = _locked(report)
    if report.status != ReportStatus.APPROVED:
        raise ReportError(_("Only an approved report can be sent: approve it first."))
    return report


@transaction.atomic
def report_send(*, user, report: Report, subject: str, message: str) -> Intervention:
    """E-mail an approved report, every stored file attached, to its definition's recipients, and record
    it as an Intervention (channel e-mail, the people the report names or is about). Raises
    PermissionDenied without `reports.send_report`, ReportError when the report is not approved, the
    definition has no valid recipients or the subject is empty; nothing is sent or written then. A mail
    server that refuses the message rolls everything back (the report stays approved)."""
    report = _require_approved(user, report)
    recipients = report_recipients(report)
    if not recipients:
        raise ReportError(
            _(
                "The definition %(name)s has no recipients: add their e-mail addresses in the admin, or mark "
                "the report as submitted through the body's portal."
            )
            % {"name": report.definition.name}
        )
    for address in recipients:
        try:
            validate_email(address)
        except Exception as error:
            raise ReportError(
                _("The recipient %(address)s is not a valid e-mail address.") % {"address": address}
            ) from error
    subject = " ".join(subject.split())
    if not subject:
        raise ReportError(_("The e-mail needs a subject."))
    intervention = _intervention(
        user=user,
        report=report,
        channel=InterventionChannel.EMAIL,
        sent_on=timezone.localdate(),
        recipients="\n".join(recipients),
        subject=subject,
        message=message,
    )
    email = EmailMessage(
        subject=subject,
        body=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        attachments=_attachments(report),
    )
    email.send(fail_silently=False)  # last: a refusal rolls the intervention back
    return intervention


@transaction.atomic
def report_mark_submitted(
    *, user, report: Report, sent_on: dt.date, reference: str = "", message: str = ""
) -> Intervention:
    """Record that an approved report was submitted through the body's own portal (or by post), with the
    reference number the body gave. Raises PermissionDenied, or ReportError when the report is not approved
    or `sent_on` is in the future; nothing is written then."""
    report = _require_approved(user, report)
    if sent_on > timezone.localdate():
        raise ReportError(_("The submission date cannot be in the future."))
    return _intervention(
        user=user,
        report=report,
        channel=InterventionChannel.PORTAL,
        sent_on=sent_on,
        reference=reference.strip(),
        message=message,
    )


@transaction.atomic
def intervention_record_response(
    *,
    user,
    intervention: Intervention,
    response: str,
    response_on: dt.date | None = None,
    follow_up_on: dt.date | None = None,
    reference: str | None = None,
    notes: str | None = None,
) -> Intervention:
    """Record what the body answered (HURIDOCS MT 27), when, the next follow-up date and its reference
    number. Raises PermissionDenied without `reports.send_report`, ReportError for an unknown response, a
    response date before the sending or in the future; nothing is written then."""
    _require(user, PERM_SEND, _("You may not record the responses of bodies."))
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if response not in BodyResponse.values:
        raise ReportError(_("Unknown response %(response)s.") % {"response": response})
    if response != BodyResponse.AWAITING and response_on is None:
        response_on = timezone.localdate()
    if response_on is not None:
        if response_on < intervention.sent_on:
            raise ReportError(_("The response cannot come before the report was sent."))
        if response_on > timezone.localdate():
            raise ReportError(_("The response date cannot be in the future."))
    intervention.response = response
    intervention.response_on = response_on
    intervention.follow_up_on = follow_up_on
    if reference is not None:
        intervention.reference = reference.strip()
    if notes is not None:
        intervention.notes = notes
    intervention.full_clean()
    intervention.save(
        update_fields=["response", "response_on", "follow_up_on", "reference", "notes", "updated_at"]
    )
    audit_record(
        actor=user,
        action="kuzet.intervention.response_recorded",
        obj=intervention,
        data={"response": response, "follow_up_on": follow_up_on.isoformat() if follow_up_on else None},
    )
    return intervention


def report_download_record(*, user, report: Report, kind: str) -> None:
    """Audit that `user` downloaded (or previewed) file `kind` of `report`."""
    audit_record(
        actor=user,
        action="kuzet.report.downloaded",
        obj=report,
        data={"kind": kind, "version": report.version, "checksum": report.checksum},
    )
