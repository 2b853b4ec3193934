from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from core.admin import RecordAdmin, ReferenceAdmin
from events.models import Assembly, CauseTag, Incident, Place, Source
from events.services import source_fingerprint
from events.validators import source_file_check


@admin.register(Place)
class PlaceAdmin(ReferenceAdmin):
    list_display = ("name_en", "name_ru", "name_kk", "kind", "parent", "latitude", "longitude")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(CauseTag)
class CauseTagAdmin(ReferenceAdmin):
    pass


class _StoredFile:
    """The current file as the widget shows it: its name, linked to the checked download view, since
    MEDIA_URL is not served."""

    def __init__(self, source: Source):
        self.url = reverse("events:source-file", args=[source.uid])
        self.name = source.file.name.rsplit("/", 1)[-1]

    def __str__(self):
        return self.name


class SourceFileInput(forms.ClearableFileInput):
    def format_value(self, value):
        instance = getattr(value, "instance", None)
        if value and isinstance(instance, Source) and instance.uid:
            return _StoredFile(instance)
        return super().format_value(value)


class SourceAdminForm(RecordAdmin.form):  # keeps the base checks (the edit version)
    class Meta:
        model = Source
        fields = (
            *("kind", "title", "url", "published_on", "file", "reliability", "notes"),
            *("confidentiality", "shared_with"),
        )
        widgets = {"file": SourceFileInput}

    def clean_file(self):
        """A new upload must be of an accepted type and size (events.validators): otherwise the form shows
        why, naming the file, and nothing is saved."""
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            source_file_check(upload, name=upload.name)
        return upload


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    form = SourceAdminForm
    list_display = ("title", "kind", "published_on", "reliability", "confidentiality")
    list_filter = ("kind", "reliability", "confidentiality")
    search_fields = ("title", "url", "sha256")
    date_hierarchy = "published_on"
    readonly_fields = ("sha256",)

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data or not change:
            source_fingerprint(source=obj)
        super().save_model(request, obj, form, change)


@admin.register(Assembly)
class AssemblyAdmin(RecordAdmin):
    list_display = (
        "title",
        "starts_at",
        "place",
        "kind",
        "outcome",
        "reported_detainees",
        "confidentiality",
    )
    list_filter = ("kind", "outcome", "notification", "confidentiality", "causes", "place__kind")
    search_fields = ("title", "address", "organisers", "place__name_en", "place__name_ru")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("place", "causes", "sources")
    list_select_related = ("place__parent",)
    fieldsets = (
        (None, {"fields": ("title", "kind", ("starts_at", "starts_at_precision"), "ends_at")}),
        ("Where", {"fields": ("place", "address")}),
        (
            "What",
            {
                "fields": (
                    "organisers",
                    "causes",
                    ("participants_low", "participants_high"),
                    "notification",
                    "outcome",
                    ("reported_detainees", "reported_detainees_note"),
                    "description",
                    "sources",
                )
            },
        ),
        ("Access", {"fields": ("confidentiality", "shared_with")}),
        ("Record", {"classes": ("collapse",), "fields": RecordAdmin.record_readonly}),
    )


@admin.register(Incident)
class IncidentAdmin(RecordAdmin):
    list_display = ("title", "kind", "starts_on", "ends_on", "place", "confidentiality")
    list_filter = ("kind", "confidentiality")
    search_fields = ("title", "description")
    date_hierarchy = "starts_on"
    autocomplete_fields = ("place", "assembly", "sources")
    list_select_related = ("place__parent",)
