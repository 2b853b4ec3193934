"""Admin base classes every app's admin builds on.

They carry the rules that must hold on every admin page: a user sees only what `visible_to` allows (in lists,
change pages, autocompletes and the choices of every foreign key), "delete" only hides a record, only an
administrator sees deleted records and restores them, and every save leaves an audit entry.
"""

import datetime as dt
import json
import uuid
from collections import defaultdict
from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework_api_key.models import APIKey as LibraryApiKey

from core import roles
from core.fields import EncryptedTextField
from core.history_admin import RecordHistoryAdmin
from core.models import AuditEntry, ReadKind, ReadLogEntry, Reference, Stamped
from core.renderers import XlsxRenderer, csv_bytes, xlsx_bytes
from core.services import (
    audit_record,
    read_log_record,
    record_restore,
    record_soft_delete,
)
from core.versioning import EditConflict, VersionedModelForm, version_check, version_next, with_opened_field


def _is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "autocomplete")


class PreloadedAutocompleteMixin:
    """An autocomplete widget that shows its selected rows from `preloaded` when it has them all.

    Django's widget runs one query per row of an inline to label what is selected; an inline's formset
    (`SoftDeleteInlineFormSet`) loads the rows of all its forms at once, through the same visible choices.
    """

    preloaded: dict | None = None

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.preloaded is None or not set(selected) <= self.preloaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for key in dict.fromkeys(selected):
            obj = self.preloaded[key]
            label = self.choices.field.label_from_instance(obj)
            options.append(self.create_option(name, obj.pk, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedAutocompleteSelect(PreloadedAutocompleteMixin, AutocompleteSelect):
    pass


class PreloadedAutocompleteSelectMultiple(PreloadedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


def _preload_autocomplete(forms) -> None:
    """Load what every row's autocomplete fields show, one query per field instead of one per row."""
    widgets, wanted = defaultdict(list), defaultdict(set)
    for form in forms:
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside RelatedFieldWidgetWrapper
            if not isinstance(widget, PreloadedAutocompleteMixin):
                continue
            if field.to_field_name in (None, field.queryset.model._meta.pk.name):
                value = form[name].value()
                values = value if isinstance(value, (list, tuple)) else [value]
                wanted[name].update(
                    str(v) for v in values if v is not None and str(v) not in field.empty_values
                )
                widgets[name].append(widget)
    for name, keys in wanted.items():
        try:
            rows = forms[0].fields[name].queryset.filter(pk__in=keys) if keys else []
            loaded = {str(obj.pk): obj for obj in rows}
        except (ValueError, TypeError, ValidationError):  # a tampered POST: leave it to the form's errors
            continue
        for widget in widgets[name]:
            widget.preloaded = loaded


class VisibleChoicesMixin:
    """Limit every foreign-key and many-to-many choice to the records the user may see."""

    def _visible(self, request, model):
        if issubclass(model, (Stamped, Reference)):
            return model.objects.visible_to(request.user)
        return None

    def _autocomplete_widget(self, widget_class, db_field, request, kwargs) -> None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = widget_class(db_field, self.admin_site, using=kwargs.get("using"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self._visible(request, db_field.related_model)
            if queryset is not None:
                kwargs["queryset"] = queryset
        self._autocomplete_widget(PreloadedAutocompleteSelect, db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "shared_with" and "queryset" not in kwargs:
            # Only staff can be granted a restricted record; partner accounts never appear here.
            staff = db_field.related_model.objects.filter(is_active=True, is_staff=True)
            kwargs["queryset"] = staff.order_by("username")
        if "queryset" not in kwargs:
            queryset = self._visible(request, db_field.related_model)
            if queryset is not None:
                kwargs["queryset"] = queryset
        self._autocomplete_widget(PreloadedAutocompleteSelectMultiple, db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RecordStatusFilter(admin.SimpleListFilter):
    """Live records by default; administrators can list deleted ones to restore them."""

    title = _("record status")
    parameter_name = "record_status"

    def lookups(self, request, model_admin):
        if roles.is_administrator(request.user):
            return [("deleted", _("Deleted")), ("all", _("All"))]
        return []

    def queryset(self, request, queryset):
        if self.value() == "deleted":
            return queryset.filter(is_deleted=True)
        if self.value() == "all":
            return queryset
        return queryset.filter(is_deleted=False)


class SoftDeleteAdminMixin:
    """Delete = hide. The confirmation page lists what will be hidden; nothing cascades."""

    def get_queryset(self, request):
        include_deleted = roles.is_administrator(request.user) and not _is_autocomplete(request)
        return self.model.objects.visible_to(request.user, include_deleted=include_deleted)

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        perms_needed = set()
        if not self.has_delete_permission(request):
            perms_needed.add(self.opts.verbose_name)
        summary = {self.opts.verbose_name_plural: len(objs)}
        return [str(obj) for obj in objs], summary, perms_needed, []

    def delete_model(self, request, obj):
        record_soft_delete(record=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_soft_delete(record=obj, user=request.user)

    @admin.action(description=_("Restore selected deleted records"))
    def restore_selected(self, request, queryset):
        if not roles.is_administrator(request.user):
            self.message_user(request, _("Only an administrator can restore records."), messages.ERROR)
            return
        restored = 0
        for obj in queryset.filter(is_deleted=True):
            record_restore(record=obj, user=request.user)
            restored += 1
        self.message_user(
            request,
            ngettext("%(count)d record restored.", "%(count)d records restored.", restored)
            % {"count": restored},
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not roles.is_administrator(request.user):
            actions.pop("restore_selected", None)
        return actions


class ExportAdminMixin:
    """CSV, XLSX and JSON export of the list as it stands: the changelist's own queryset, so its filters, its
    search and the user's visibility (`get_queryset` is `visible_to`) apply exactly. Every column of the model
    but encrypted ones (contact details stay in the record, not in files) and the internal search key; a
    foreign key as the related record's name. Each export leaves a `kuzet.export` audit entry and a read-log
    entry."""

    change_list_template = "admin/core/record_change_list.html"
    export_formats = ("csv", "xlsx", "json")
    export_exclude = ("id", "search_key")

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        urls = [path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view), name=name)]
        return urls + super().get_urls()

    def export_fields(self):
        return [
            f
            for f in self.model._meta.concrete_fields
            if f.name not in self.export_exclude and not isinstance(f, EncryptedTextField)
        ]

    def export_view(self, request, fmt):
        if fmt not in self.export_formats:
            raise Http404
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(
                _("The list's filters are not valid; open the list and filter again.")
            )
        fields = self.export_fields()
        relations = [f.name for f in fields if f.is_relation]
        queryset = changelist.get_queryset(request).select_related(*relations)
        headers = [f.name for f in fields]
        rows = [[self._export_value(obj, f) for f in fields] for obj in queryset.iterator(chunk_size=2000)]
        name = f"{self.opts.model_name}s.{fmt}"
        if fmt == "json":
            data = [dict(zip(headers, row, strict=True)) for row in rows]
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder), "application/json"
            )
        elif fmt == "xlsx":
            response = HttpResponse(xlsx_bytes(headers, rows), content_type=XlsxRenderer.media_type)
        else:
            response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        export = {
            "via": "admin",
            "list": self.opts.label_lower,
            "format": fmt,
            "rows": len(rows),
            "query": request.GET.urlencode(),
        }
        audit_record(actor=request.user, action="kuzet.export", data=export)
        read_log_record(request_or_user=request, what=ReadKind.EXPORT, data=export)
        return response

    @staticmethod
    def _export_value(obj, field):
        if field.is_relation:
            related = getattr(obj, field.name)
            if related is None:
                return None
            return getattr(related, "get_username", lambda: str(related))()
        value = getattr(obj, field.attname)
        if field.choices and value not in (None, ""):
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, uuid.UUID | Decimal):
            return str(value)
        return value


class RecordAdmin(ExportAdminMixin, VisibleChoicesMixin, SoftDeleteAdminMixin, RecordHistoryAdmin):
    """Base admin for case records (people, assemblies, detentions, cases …); its History page lists the
    record's versions (core.history_admin)."""

    actions = ["restore_selected"]
    record_fields = ("confidentiality", "shared_with")
    record_readonly = (
        "uid",
        "created_by",
        "created_at",
        "updated_at",
        "is_deleted",
        "deleted_by",
        "deleted_at",
    )
    filter_horizontal = ("shared_with",)
    list_per_page = 50
    show_full_result_count = False
    # Carries the version the page was opened at; a save after someone else's is refused (core.versioning).
    form = VersionedModelForm

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.record_readonly)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return with_opened_field(fieldsets) if obj is not None else fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # the conflict's diff names only what this user may see
        return form

    def get_list_filter(self, request):
        return (RecordStatusFilter, *super().get_list_filter(request))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that lost the race for the row lock to another editor's (between this request reading the
        record and locking it: the form's own check, with its diff, covers everything before) is refused with
        the same message and the page reloaded, rather than an error page. The transaction rolled back."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            self.message_user(request, conflict.text, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            # The form checked the version it was opened at when it changed anything (VersionedModelForm);
            # this locks the row in any case, and the save moves it to the next version.
            version_check(record=obj)
            version_next(obj)
        super().save_model(request, obj, form, change)
        action = "updated" if change else "created"
        audit_record(
            actor=request.user,
            action=f"kuzet.{obj._meta.model_name}.{action}",
            obj=obj,
            data={"fields": form.changed_data, "via": "admin"},
        )

    def save_related(self, request, form, formsets, change):
        """Keep links the editor cannot see. A many-to-many field offers only visible records, so saving it
        would silently drop links to records restricted from this editor (another monitor's source)."""
        hidden = {}
        if change:
            for field in form.instance._meta.many_to_many:
                if field.name not in form.fields or not issubclass(field.related_model, (Stamped, Reference)):
                    continue
                visible = field.related_model.objects.visible_to(request.user).values("pk")
                linked = getattr(form.instance, field.name).all()
                hidden[field.name] = list(linked.exclude(pk__in=visible).values_list("pk", flat=True))
        super().save_related(request, form, formsets, change)
        for name, pks in hidden.items():
            if pks:
                getattr(form.instance, name).add(*pks)

    def save_formset(self, request, form, formset, change):
        """Child rows get their creator and an audit entry; deleted child rows are only hidden."""
        instances = formset.save(commit=False)
        # save(commit=False) leaves the rows ticked "delete" to the caller; hide them before saving the rest,
        # so that a row re-added under the same name does not meet the one it replaces.
        for obj in formset.deleted_objects:
            record_soft_delete(record=obj, user=request.user)
        for instance in instances:
            created = instance.pk is None
            if created and isinstance(instance, Stamped):
                instance.created_by = request.user
            elif isinstance(instance, Stamped):
                version_check(record=instance)  # the row's form checked what was typed; this locks it
                version_next(instance)
            instance.save()
            audit_record(
                actor=request.user,
                action=f"kuzet.{instance._meta.model_name}.{'created' if created else 'updated'}",
                obj=instance,
                data={"via": "admin"},
            )
        formset.save_m2m()


class SoftDeleteInlineFormSet(BaseInlineFormSet):
    request_user = None

    @cached_property
    def forms(self):
        forms = super().forms
        _preload_autocomplete(forms)
        return forms

    def delete_existing(self, obj, commit=True):
        if commit:
            record_soft_delete(record=obj, user=self.request_user)


class ChildInlineMixin(VisibleChoicesMixin):
    """Inline rows for children (names, charges, custody periods): live rows only, delete hides."""

    formset = SoftDeleteInlineFormSet
    form = VersionedModelForm  # each row carries its own version (core.versioning)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_deleted=False)

    def get_fieldsets(self, request, obj=None):
        return with_opened_field(super().get_fieldsets(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        formset.form.user = request.user
        return formset


class ChildTabularInline(ChildInlineMixin, admin.TabularInline):
    pass


class ChildStackedInline(ChildInlineMixin, admin.StackedInline):
    pass


class ReadOnlyTabularInline(admin.TabularInline):
    """A listing of related records on a parent's page, each linked to its own change page."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecordOfEventsAdmin(admin.ModelAdmin):
    """A log of what happened (audit entries, imports): read, never added, edited or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceAdmin(admin.ModelAdmin):
    """Reference data: administrators edit it, everyone else reads it."""

    list_display = ("name_en", "name_ru", "name_kk", "code")
    search_fields = ("code", "name_en", "name_ru", "name_kk")
    readonly_fields = ("uid", "updated_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordOfEventsAdmin):
    list_display = ("at", "action", "actor", "object_type", "object_uid")
    list_filter = ("action", "object_type")
    search_fields = ("action", "object_uid", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor",)


class ReadLogPersonFilter(admin.SimpleListFilter):
    """`?person=<uid>`: the reads about one person (the link on the person's admin page). It offers no
    choices of its own; it shows the uid it filters by."""

    title = _("person")
    parameter_name = "person"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, value)] if value else []

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            return queryset.filter(person_uid=uuid.UUID(value))
        except ValueError:
            raise IncorrectLookupParameters(_("Not a person UID.")) from None


class ReadLogPeriodFilter(admin.SimpleListFilter):
    """`?days=30`: the reads of the last N days ("who looked at this person in the last 30 days?")."""

    title = _("period")
    parameter_name = "days"
    PERIODS = {"1": _("Last 24 hours"), "7": _("Last 7 days"), "30": _("Last 30 days"), "365": _("Last year")}

    def lookups(self, request, model_admin):
        return list(self.PERIODS.items())

    def queryset(self, request, queryset):
        if self.value() not in self.PERIODS:
            return queryset
        return queryset.filter(at__gte=timezone.now() - dt.timedelta(days=int(self.value())))


@admin.register(ReadLogEntry)
class ReadLogEntryAdmin(RecordOfEventsAdmin):
    """The read log, for administrators only (their role alone has `core.view_readlogentry`): who opened
    which person, dossier, report file or export.
    Nothing here changes it (the model and, on PostgreSQL, a trigger refuse it anyway)."""

    list_display = ("at", "username", "what", "object_type", "object_uid", "person_uid", "api_key", "path")
    list_filter = (
        ReadLogPersonFilter,
        ReadLogPeriodFilter,
        "what",
        ("user", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("=person_uid", "=object_uid", "username")
    date_hierarchy = "at"
    list_select_related = ("api_key",)
    show_full_result_count = False


def read_log_url_for_person(person_uid, *, days: int = 30) -> str:
    """The read log filtered to one person over the last `days` days."""
    query = urlencode({"person": person_uid, "days": days})
    return f"{reverse('admin:core_readlogentry_changelist')}?{query}"


# The API key admin, and the users' admin with its "Reset two-factor authentication" action.
from core import api_key_admin, two_factor_admin  # noqa: E402, F401

# djangorestframework-api-key registers an admin for its own concrete model, which Kuzet does not use
# (core.ApiKey is the key model); an admin page for an empty, unused table would only mislead.
admin.site.unregister(LibraryApiKey)

__all__ = [
    "ChildStackedInline",
    "ChildTabularInline",
    "ReadOnlyTabularInline",
    "RecordAdmin",
    "ReferenceAdmin",
]
