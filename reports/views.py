"""The report pages: the list, queueing a report, one report with its preview, files and review actions.

Every page needs a staff role (StaffPageMixin) and shows only the reports `reports.selectors` lets the user
see; each action is one service call, its PermissionDenied a 403 and its ReportError a message.
"""

import os
import uuid

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView

from core.models import ReadKind
from core.pages import StaffPageMixin
from core.services import read_log_record
from people.models import Person
from reports import selectors, services
from reports.compiling.figures import KEY_FIGURE_LABELS
from reports.forms import (
    InterventionResponseForm,
    ReportFilterForm,
    ReportQueueForm,
    ReportSendForm,
    ReportSubmitForm,
)
from reports.models import Intervention, ReportKind, ReportStatus
from reports.services.compile import FILE_FIELDS
from reports.services.queue import PERM_COMMUNICATION, PERM_QUEUE, RETRYABLE, may_queue
from reports.services.review import CONTENT_TYPES, PERM_APPROVE, PERM_SEND, report_email_draft

PAGE_SIZE = 50
FILE_LABELS = {"pdf": "PDF", "xlsx": "XLSX", "json": "JSON", "docx": "DOCX"}


def _error_text(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


class ReportsPageMixin(StaffPageMixin):
    """Staff who may view reports (every staff role has `reports.view_report`)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.may_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _may_queue_any(user) -> bool:
    return user.has_perm(PERM_QUEUE) or user.has_perm(PERM_COMMUNICATION)


class ReportListView(ReportsPageMixin, TemplateView):
    template_name = "reports/report_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        definitions = selectors.definition_list(user=user)
        form = ReportFilterForm(self.request.GET, definitions=definitions)
        filters = form.cleaned_data if form.is_valid() else {}
        reports = selectors.report_list(
            user=user, definition=filters.get("definition"), status=filters.get("status") or None
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=Paginator(reports, PAGE_SIZE).get_page(self.request.GET.get("page")),
            query_string=query.urlencode(),
            may_queue=_may_queue_any(user),
        )
        return context


class ReportQueueView(ReportsPageMixin, TemplateView):
    """GET: the form (`?definition=slug&person=uid` fill it in, as the person page links). POST: queue the
    report and open its page; an invalid form or a refused report shows the form again as typed."""

    template_name = "reports/report_queue.html"
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _may_queue_any(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _definitions(self):
        user = self.request.user
        definitions = selectors.definition_list(user=user)
        if not user.has_perm(PERM_QUEUE):
            definitions = definitions.filter(kind=ReportKind.INDIVIDUAL)
        return definitions

    def _initial(self) -> dict:
        today = timezone.localdate()
        initial = {"period_end": today, "period_start": today.replace(day=1)}
        for name in ("definition", "person", "period_start", "period_end", "language"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = kwargs.get("form") or ReportQueueForm(
            user=user, definitions=self._definitions(), initial=self._initial()
        )
        person_uid = form["person"].value()
        person = None
        if person_uid:
            person = (
                Person.objects.visible_to(user).filter(uid=person_uid).first()
                if _is_uuid(person_uid)
                else None
            )
        context.update(form=form, person=person)
        return context

    def post(self, request, *args, **kwargs):
        form = ReportQueueForm(request.POST, user=request.user, definitions=self._definitions())
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_queue(
                    user=request.user,
                    definition=data["definition"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    person=data["person"],
                    language=data["language"],
                )
            except services.ReportError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, gettext("The report was queued."))
                return redirect("reports:report-detail", uid=report.uid)
        return self.render_to_response(self.get_context_data(form=form))


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class ReportDetailView(ReportsPageMixin, TemplateView):
    """The report: status, key figures, the PDF preview, its files, other versions, what was sent and what
    the body answered, and the actions the user may take in its state."""

    template_name = "reports/report_detail.html"

    def get_report(self):
        return selectors.report_get(user=self.request.user, uid=self.kwargs["uid"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        report = kwargs.get("report") or self.get_report()
        files = [
            {"kind": kind, "label": FILE_LABELS[kind], "name": os.path.basename(getattr(report, field).name)}
            for kind, field in FILE_FIELDS.items()
            if getattr(report, field)
        ]
        interventions = list(selectors.report_interventions(report=report))
        may_send = user.has_perm(PERM_SEND)
        send_form = kwargs.get("send_form")
        if send_form is None and may_send and report.status == ReportStatus.APPROVED:
            subject, message = report_email_draft(report=report)
            send_form = ReportSendForm(initial={"subject": subject, "message": message})
        submit_form = kwargs.get("submit_form")
        if submit_form is None and may_send and report.status == ReportStatus.APPROVED:
            submit_form = ReportSubmitForm(initial={"sent_on": timezone.localdate()})
        context.update(
            report=report,
            files=files,
            has_pdf=bool(report.pdf_file),
            key_figures=_key_figures(report.figures),
            versions=list(selectors.report_versions(user=user, report=report)),
            interventions=[
                (
                    intervention,
                    InterventionResponseForm(
                        auto_id=f"id_{intervention.uid.hex}_%s",
                        initial={
                            "response": intervention.response,
                            "response_on": intervention.response_on,
                            "follow_up_on": intervention.follow_up_on,
                            "reference": intervention.reference,
                            "notes": intervention.notes,
                        },
                    )
                    if may_send
                    else None,
                )
                for intervention in interventions
            ],
            recipients=services.review.report_recipients(report),
            in_progress=report.status in (ReportStatus.QUEUED, ReportStatus.COMPILING),
            may_approve=user.has_perm(PERM_APPROVE) and report.status == ReportStatus.REVIEW,
            may_send=may_send and report.status == ReportStatus.APPROVED,
            send_form=send_form,
            submit_form=submit_form,
            may_retry=report.status in RETRYABLE and may_queue(user, report.definition),
            may_recompile=report.status not in (ReportStatus.QUEUED, ReportStatus.COMPILING)
            and may_queue(user, report.definition),
        )
        return context


def _key_figures(figures: dict) -> list[tuple[str, object]]:
    """The key figures of the snapshot (the compiler's `key_figures`, with its labels); the rest is in the
    files."""
    key_figures = figures.get("key_figures")
    if not isinstance(key_figures, dict):
        return []
    return [
        (str(KEY_FIGURE_LABELS.get(key, key.replace("_", " ").capitalize())), value)
        for key, value in key_figures.items()
    ]


class ReportActionView(ReportsPageMixin, View):
    """POST only: one service call on the report, then back to its page with what happened."""

    http_method_names = ["post", "options"]
    done_message = ""

    def act(self, report):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        report = selectors.report_get(user=request.user, uid=kwargs["uid"])
        try:
            result = self.act(report)
        except services.ReportError as error:
            messages.error(request, _error_text(error))
            return redirect("reports:report-detail", uid=report.uid)
        messages.success(request, self.done_message())
        return redirect("reports:report-detail", uid=result.uid)


class ReportApproveView(ReportActionView):
    def act(self, report):
        return services.report_approve(user=self.request.user, report=report)

    def done_message(self):
        return gettext("The report is approved and may be sent.")


class ReportRetryView(ReportActionView):
    def act(self, report):
        return services.report_retry(user=self.request.user, report=report)

    def done_message(self):
        return gettext("The report was queued again.")


class ReportRecompileView(ReportActionView):
    def act(self, report):
        return services.report_recompile(user=self.request.user, report=report)

    def done_message(self):
        return gettext("A new version was queued; the previous one stays as it was.")


class _ReportFormView(ReportDetailView):
    """POST a form of the report page; an invalid form or a refusal shows the page again with the form as
    typed (nothing the user wrote is lost)."""

    http_method_names = ["post", "options"]
    form_class = None
    form_context = ""

    def perform(self, report, data):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        report = self.get_report()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.perform(report, form.cleaned_data)
            except services.ReportError as error:
                form.add_error(None, _error_text(error))
            else:
                return redirect("reports:report-detail", uid=report.uid)
        return self.render_to_response(
            self.get_context_data(report=report, **{self.form_context: form}), status=400
        )


class ReportSendView(_ReportFormView):
    form_class = ReportSendForm
    form_context = "send_form"

    def perform(self, report, data):
        services.report_send(
            user=self.request.user, report=report, subject=data["subject"], message=data["message"]
        )
        messages.success(self.request, gettext("The report was sent by e-mail and recorded."))


class ReportSubmitView(_ReportFormView):
    form_class = ReportSubmitForm
    form_context = "submit_form"

    def perform(self, report, data):
        services.report_mark_submitted(
            user=self.request.user,
            report=report,
            sent_on=data["sent_on"],
            reference=data["reference"],
            message=data["message"],
        )
        messages.success(self.request, gettext("The submission through the body's portal was recorded."))


class InterventionResponseView(ReportsPageMixin, View):
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        intervention = get_object_or_404(Intervention.objects.select_related("report"), uid=kwargs["uid"])
        report = selectors.report_get(user=request.user, uid=intervention.report.uid)
        form = InterventionResponseForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("reports:report-detail", uid=report.uid)
        try:
            services.intervention_record_response(
                user=request.user, intervention=intervention, **form.cleaned_data
            )
        except services.ReportError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, gettext("The body's response was recorded."))
        return redirect("reports:report-detail", uid=report.uid)


@method_decorator(
    # The report page previews the PDF in a frame of this site: same-origin framing, here only.
    [never_cache, xframe_options_sameorigin, csp_replace({"frame-ancestors": [SELF]})],
    name="dispatch",
)
class ReportFileView(ReportsPageMixin, View):
    """One stored file of a report, streamed from the storage: the PDF inline (the page previews it in a
    frame of this site), every file as a download with `?download=1`. Never cached; each one audited."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        report = selectors.report_get(user=request.user, uid=kwargs["uid"])
        kind = kwargs["kind"]
        field = getattr(report, FILE_FIELDS[kind]) if kind in FILE_FIELDS else None
        if not field:
            raise Http404
        services.report_download_record(user=request.user, report=report, kind=kind)
        read_log_record(
            request_or_user=request,
            what=ReadKind.REPORT_FILE,
            obj=report,
            person_uid=report.person.uid if report.person_id else None,
            data={"kind": kind, "version": report.version},
        )
        inline = kind == "pdf" and not request.GET.get("download")
        response = FileResponse(
            field.open("rb"),
            as_attachment=not inline,
            filename=os.path.basename(field.name),
            content_type=CONTENT_TYPES[kind],
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
