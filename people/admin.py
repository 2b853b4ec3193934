from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ChildTabularInline, RecordAdmin, ReferenceAdmin, read_log_url_for_person
from core.models import ReadKind
from core.services import read_log_record
from people.models import ConsentRecord, GroupTag, Person, PersonName
from people.selectors import person_filter_by_name
from people.services import person_names_sync


@admin.register(GroupTag)
class GroupTagAdmin(ReferenceAdmin):
    pass


class PersonNameInline(ChildTabularInline):
    model = PersonName
    fields = ("text", "kind", "script", "key")
    readonly_fields = ("key",)
    extra = 1


class ConsentRecordInline(ChildTabularInline):
    model = ConsentRecord
    fields = ("scope", "given_on", "how_recorded", "full_name_allowed", "withdrawn_on")
    extra = 0


PRIVATE = _("Private")


class PrivateFieldsetMixin:
    """The fieldset of the fields encrypted at rest (contact details, home address, private notes) is shown
    only to a user who may change the record: one who may only view it does not see them. These fields are
    never in a list column, a search or a filter (they cannot be: the database holds ciphertext), nor in an
    export (core.admin.ExportAdminMixin skips encrypted fields)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj) or (obj is None and self.has_add_permission(request)):
            return fieldsets
        return [(name, options) for name, options in fieldsets if name != PRIVATE]


class SkeletonSearchMixin:
    """Admin search that also matches any spelling of a name, through the people's skeleton search key."""

    skeleton_search_path = ""  # e.g. "person__" on a model that points to a person

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return results, may_have_duplicates
        people = person_filter_by_name(Person.objects.all(), search_term).values("pk")
        if self.skeleton_search_path:
            by_name = queryset.filter(**{f"{self.skeleton_search_path}in": people})
        else:
            by_name = queryset.filter(pk__in=people)
        return results | by_name, may_have_duplicates


@admin.register(Person)
class PersonAdmin(PrivateFieldsetMixin, SkeletonSearchMixin, RecordAdmin):
    list_display = (
        "full_name",
        "birth_date_display",
        "home_place",
        "occupation",
        "confidentiality",
        "updated_at",
    )
    list_filter = ("confidentiality", "gender", "groups")
    # Names are searched through the skeleton key (SkeletonSearchMixin), which holds live names only;
    # a plain `names__text` search would still find a person by a spelling that was deleted.
    search_fields = ("full_name",)
    autocomplete_fields = ("home_place", "groups")
    list_select_related = ("home_place__parent",)
    inlines = [PersonNameInline, ConsentRecordInline]
    fieldsets = (
        (None, {"fields": ("full_name", "gender", "occupation", "groups", "home_place")}),
        ("Birth", {"fields": (("birth_date", "birth_date_precision", "birth_date_certainty"),)}),
        ("Notes", {"fields": ("notes",)}),
        (
            PRIVATE,
            {
                "fields": ("contact_details", "home_address", "private_notes"),
                "description": _(
                    "Encrypted at rest. Never leaves the system: not in the API, exports, reports or the "
                    "dossier."
                ),
            },
        ),
        ("Access", {"fields": ("confidentiality", "shared_with")}),
        ("Record", {"classes": ("collapse",), "fields": RecordAdmin.record_readonly}),
    )

    @admin.display(description="birth", ordering="birth_date")
    def birth_date_display(self, obj):
        return obj.birth_date_display

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Opening a person here is a read of their record: log it (the read log), and give administrators
        (who may read the log) the link to who else read it in the last 30 days. Only a person the user may
        see gets this far."""
        if change and obj is not None:
            read_log_record(request_or_user=request, what=ReadKind.PERSON_ADMIN, obj=obj)
            if request.user.has_perm("core.view_readlogentry"):
                context["read_log_url"] = read_log_url_for_person(obj.uid)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person_names_sync(user=request.user, person=form.instance)
