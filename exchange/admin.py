"""Admin for imports: the list of imports (revert from there), and the "Import detentions" page — upload, map
unknown headers, read the dry-run report, confirm. Staff who may add detentions use it; each sees their own
imports, an administrator everyone's. The uploaded file waits in its pending batch between the steps."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import roles
from core.admin import RecordOfEventsAdmin
from exchange.models import ImportBatch, ImportStatus
from exchange.planning import resolve_columns
from exchange.reading import read_sheet
from exchange.services import (
    ImportBatchError,
    MappingError,
    SpreadsheetError,
    detentions_import,
    import_batch_discard,
    import_batch_upload,
    import_revert,
)
from exchange.values import FIELDS, IGNORE

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=gettext_lazy("One row per detainee per event; English or Russian headers."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it into several imports."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt", ".tsv")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class MappingForm(forms.Form):
    """One choice per header the import does not recognise."""

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            ("", "—"),
            (IGNORE, _("ignore this column")),
            *((f, f"{f}: {d}") for f, d in FIELDS.items()),
        ]
        for index, header in enumerate(headers):
            self.fields[f"h{index}"] = forms.ChoiceField(label=header, choices=choices)
        self.headers = headers

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data[f"h{i}"] for i, header in enumerate(self.headers)}


def _may_import(user) -> bool:
    return roles.is_case_staff(user) and user.has_perm("cases.add_detention")


@admin.register(ImportBatch)
class ImportBatchAdmin(RecordOfEventsAdmin):
    list_display = ("file_name", "status", "created_by", "created_at", "imported_at", "counts_shown")
    list_filter = ("status",)
    search_fields = ("file_name", "sha256")
    readonly_fields = (
        "uid",
        "file_name",
        "sha256",
        "status",
        "counts",
        "mapping",
        "created_by",
        "created_at",
        "imported_at",
        "reverted_at",
        "reverted_by",
        "records",
    )
    exclude = ("content",)
    actions = ["revert_selected"]
    change_list_template = "admin/exchange/importbatch/change_list.html"

    @admin.display(description=gettext_lazy("counts"))
    def counts_shown(self, obj):
        counts = obj.counts or {}
        return ", ".join(f"{k}: {v}" for k, v in counts.items() if v)

    @admin.display(description=gettext_lazy("records created and updated"))
    def records(self, obj):
        # Counted, not listed: a large import holds tens of thousands of records.
        rows = obj.changes.values_list("model", "action").annotate(n=Count("id")).order_by("model", "action")
        return ", ".join(f"{model} {action}: {n}" for model, action, n in rows) or "—"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("created_by")
        if roles.is_administrator(request.user):
            return queryset
        return queryset.filter(created_by=request.user)

    def has_module_permission(self, request):
        return _may_import(request.user)

    def has_view_permission(self, request, obj=None):
        return _may_import(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("cases.delete_detention"):
            actions.pop("revert_selected", None)
        return actions

    @admin.action(description=gettext_lazy("Revert selected imports"))
    def revert_selected(self, request, queryset):
        for batch in queryset.order_by("-id"):
            try:
                import_revert(user=request.user, batch=batch)
            except ImportBatchError as exc:
                self.message_user(request, f"{batch}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(batch)s reverted.") % {"batch": batch})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.upload_view), name="exchange_importbatch_import"),
            path("import/<int:pk>/", view(self.review_view), name="exchange_importbatch_review"),
            *super().get_urls(),
        ]

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def upload_view(self, request):
        if not _may_import(request.user):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = import_batch_upload(user=request.user, data=upload.read(), file_name=upload.name)
            except SpreadsheetError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("admin:exchange_importbatch_review", pk=batch.pk)
        return TemplateResponse(
            request,
            "admin/exchange/importbatch/upload.html",
            self._context(request, form=form, title=_("Import detentions"), fields=FIELDS),
        )

    def review_view(self, request, pk):
        if not _may_import(request.user):
            raise PermissionDenied
        batch = get_object_or_404(self.get_queryset(request), pk=pk, status=ImportStatus.PENDING)
        data = bytes(batch.content)
        if request.method == "POST" and "discard" in request.POST:
            import_batch_discard(user=request.user, batch=batch)
            self.message_user(request, _("The upload was discarded; nothing was imported."))
            return redirect("admin:exchange_importbatch_import")
        try:
            sheet = read_sheet(data=data, file_name=batch.file_name)
            resolve_columns(sheet.headers, batch.mapping)
        except MappingError as exc:
            return self._mapping_step(request, batch, exc, [h for h in sheet.headers if h])
        except SpreadsheetError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:exchange_importbatch_import")
        confirm = request.method == "POST" and "confirm" in request.POST
        if confirm and request.POST.get("sha256") != batch.sha256:
            confirm = False  # the page confirmed was not this file's report
        report = detentions_import(
            user=request.user,
            data=data,
            file_name=batch.file_name,
            mapping=batch.mapping,
            dry_run=not confirm,
            batch=batch,
        )
        if confirm and report.ok:
            self.message_user(request, report.summary(), messages.SUCCESS)
            return redirect(reverse("admin:exchange_importbatch_change", args=[batch.pk]))
        return TemplateResponse(
            request,
            "admin/exchange/importbatch/review.html",
            self._context(request, batch=batch, report=report, lines=report.lines(), title=_("Dry run")),
        )

    def _mapping_step(self, request, batch, error: MappingError, headers: list[str]):
        form = MappingForm(
            request.POST if "mapping" in request.POST else None, headers=error.unknown or headers
        )
        if form.is_bound and form.is_valid():
            batch.mapping = {**batch.mapping, **{h: f for h, f in form.mapping().items() if f}}
            batch.save(update_fields=["mapping"])
            return redirect("admin:exchange_importbatch_review", pk=batch.pk)
        return TemplateResponse(
            request,
            "admin/exchange/importbatch/mapping.html",
            self._context(request, batch=batch, form=form, error=str(error), title=_("Map the columns")),
        )
