from django.contrib import admin

from reports.models import Report, ReportDefinition


@admin.register(ReportDefinition)
class ReportDefinitionAdmin(admin.ModelAdmin):
    list_display = ("name", "recipient", "kind", "cadence", "language", "is_active")
    list_filter = ("recipient", "kind", "cadence", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def has_delete_permission(self, request, obj=None):
        """A definition that is no longer wanted is deactivated; its reports keep pointing to it."""
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = (
        "definition",
        "period_start",
        "period_end",
        "version",
        "status",
        "compiled_at",
        "approved_by",
    )
    list_filter = ("status", "definition")
    date_hierarchy = "period_end"
    list_select_related = ("definition", "approved_by")
    readonly_fields = (
        "uid",
        "figures",
        "checksum",
        "compiled_at",
        "approved_at",
        "approved_by",
        "sent_at",
        "sent_by",
        "created_at",
        "created_by",
    )

    def has_delete_permission(self, request, obj=None):
        """A compiled report is a record of what was sent: it is never deleted."""
        return False
