from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import roles
from people.models import Person
from reports.models import Intervention, Report, ReportDefinition, ReportSection


def _about_visible_people(request) -> Q:
    """Reports have no confidentiality of their own: an individual communication is as secret as the
    person it is about, so its row shows only to a user who may see that person (as on the report pages,
    reports.selectors). Administrators also keep the reports of deleted people."""
    people = Person.objects.visible_to(request.user, include_deleted=roles.is_administrator(request.user))
    return Q(person__isnull=True) | Q(person__in=people)


class ReportSectionInline(admin.StackedInline):
    """The wording of each section, editable so a lawyer can align it with the body's current form."""

    model = ReportSection
    extra = 0
    fields = ("position", "key", "title", "text", "title_ru", "text_ru", "is_active")
    ordering = ("position", "pk")


@admin.register(ReportDefinition)
class ReportDefinitionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "recipient", "kind", "cadence", "language", "is_active")
    list_filter = ("recipient", "kind", "cadence", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ReportSectionInline]

    def has_delete_permission(self, request, obj=None):
        """A definition that is no longer wanted is deactivated; its reports keep pointing to it."""
        return False


class InterventionInline(admin.TabularInline):
    model = Intervention
    extra = 0
    fields = ("sent_on", "recipient", "channel", "reference", "response", "response_on", "follow_up_on")
    readonly_fields = ("sent_on", "recipient", "channel")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        """Interventions are recorded by sending an approved report (the report page), not here."""
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = (
        "definition",
        "person",
        "period_start",
        "period_end",
        "version",
        "status",
        "compiled_at",
        "approved_by",
    )
    list_filter = ("status", "definition")
    date_hierarchy = "period_end"
    list_select_related = ("definition", "person", "approved_by")
    raw_id_fields = ("person",)
    inlines = [InterventionInline]
    readonly_fields = (
        "uid",
        "definition",
        "person",
        "period_start",
        "period_end",
        "language",
        "version",
        "status",
        "failure_reason",
        "attempts",
        "task_id",
        "figures",
        "pdf_file",
        "annex_file",
        "json_file",
        "docx_file",
        "checksum",
        "compiled_at",
        "approved_at",
        "approved_by",
        "sent_at",
        "sent_by",
        "created_at",
        "created_by",
    )
    exclude = ("named_people",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(_about_visible_people(request))

    def has_add_permission(self, request):
        """A report is queued from the Reports page or `compile_report`, which number its version and start
        the compile; a row made here would never be compiled."""
        return False

    def has_delete_permission(self, request, obj=None):
        """A compiled report is a record of what was sent: it is never deleted."""
        return False


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ("sent_on", "recipient", "report", "channel", "reference", "response", "follow_up_on")
    list_filter = ("recipient", "channel", "response")
    date_hierarchy = "sent_on"
    search_fields = ("reference", "subject", "notes")
    list_select_related = ("report__definition",)
    raw_id_fields = ("people",)
    readonly_fields = ("uid", "report", "recipient", "channel", "sent_on", "recipients", "subject", "message")
    fieldsets = (
        (None, {"fields": ("uid", "report", "recipient", "channel", "sent_on", "recipients", "people")}),
        (_("Message"), {"fields": ("subject", "message")}),
        (_("Response"), {"fields": ("reference", "response", "response_on", "follow_up_on", "notes")}),
    )

    def get_queryset(self, request):
        reports = Report.objects.filter(_about_visible_people(request))
        return super().get_queryset(request).filter(report__in=reports)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        """What was sent to a body stays on record."""
        return False
