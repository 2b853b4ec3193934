"""The admin's view of a record's versions (core.history): the list of versions with who, when, from where and
each field's change, and the restore of an earlier version.

Who may see what: a user who may not see the record is answered as for a missing one (the admin's
redirect with "doesn't exist", as on its change page; a version id of another record: 404), one who may
see it but not change it 403 (its older values are what its editors could edit); only an administrator
restores a version, through `core.history.record_restore_version`.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import re_path, reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper

from core.history import (
    VersionRestoreError,
    links_accessors,
    may_restore_version,
    record_restore_version,
    version_changes,
)


class _ContextHelper(HistoricalRecordContextHelper):
    """core.history.version_changes already gives links as text (by id, like foreign keys), where the
    library expects rows to name the linked records by."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, str):
            return value
        return super().prepare_delta_change_value(change, value)


class RecordHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with the record's visibility, Kuzet's permissions, an origin column and a restore
    that goes through the service (the library's own revert saves the admin form instead)."""

    history_list_display = ["origin"]
    history_list_per_page = 50
    object_history_template = "admin/core/object_history.html"
    object_history_list_template = "admin/core/history_list.html"
    object_history_restore_template = "admin/core/history_restore.html"

    def get_urls(self):
        urls = super().get_urls()
        info = self.opts.app_label, self.opts.model_name
        # The library's name, so its list links here; our view replaces its form view.
        restore = re_path(
            r"^([^/]+)/history/([0-9]+)/$",
            self.admin_site.admin_view(self.history_form_view),
            name="{}_{}_simple_history".format(*info),
        )
        return [restore, *[u for u in urls if getattr(u, "name", None) != restore.name]]

    def _history_record(self, request, object_id):
        """The record as this user may see it (administrators: deleted ones too), or None: then the page
        answers as the change page does for a missing record. PermissionDenied (403) when they may see it but
        not change it."""
        record = self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        if record is not None and not self.has_change_permission(request, record):
            raise PermissionDenied
        return record

    def has_view_history_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
        return obj is not None and may_restore_version(request.user, obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return _ContextHelper(self.model, historical_record)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        return (
            super()
            .get_history_queryset(request, history_manager, pk_name, object_id)
            .select_related("api_key")
            .prefetch_related(*links_accessors(history_manager.model))
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each version's changes from the one before it, deletion fields included (core.history)."""
        previous = None
        for current in historical_records:
            if previous is not None:
                changes = version_changes(previous, current, foreign_keys_are_objs=foreign_keys_are_objs)
                delta = ModelDelta(changes, [c.field for c in changes], current, previous)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def origin(self, record) -> str:
        parts = [record.get_via_display(), record.request_path]
        if record.api_key is not None:
            key = record.api_key
            parts.append(_("API key %(name)s (%(prefix)s)") % {"name": key.name, "prefix": key.prefix})
        return " · ".join(p for p in parts if p)

    def history_view(self, request, object_id, extra_context=None):
        record = self._history_record(request, unquote(object_id))
        if record is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        extra_context = {"row_histories": self._row_histories(record), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def _row_histories(self, record) -> list[dict]:
        """The versions of the rows edited on the record's page (its names, charges, custody periods …),
        newest first, each with its changes from the row's version before: one query per kind of row (the
        latest 200 versions of each)."""
        sections = []
        for inline in self.inlines:
            model, parent = inline.model, getattr(inline.model, "parent_field", "")
            if not parent or not hasattr(model._meta, "simple_history_manager_attribute"):
                continue
            latest = (
                model.history.filter(**{f"{parent}_id": record.pk})
                .select_related("history_user", "api_key")
                .prefetch_related(*links_accessors(model.history.model))
                .order_by("-history_date", "-history_id")[: self.history_list_per_page * 4]
            )
            versions = reversed(list(latest))
            previous, rows = {}, []
            for version in versions:
                before = previous.get(version.id)
                previous[version.id] = version
                changes = version_changes(version, before) if before is not None else []
                rows.append(
                    {
                        "version": version,
                        "origin": self.origin(version),
                        "changes": [
                            (model._meta.get_field(c.field).verbose_name, c.old, c.new) for c in changes
                        ],
                    }
                )
            if rows:
                rows.reverse()
                sections.append({"title": model._meta.verbose_name_plural, "rows": rows})
        return sections

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One version beside the record as it is now; POST (administrators) restores it."""
        record = self._history_record(request, unquote(object_id))
        if record is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        version = history.filter(id=record.pk, history_id=version_id).select_related("history_user").first()
        if version is None:
            raise Http404
        may_restore = self.has_change_history_permission(request, record)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            try:
                record_restore_version(record=record, version=version, user=request.user)
            except VersionRestoreError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Version of %(date)s restored.")
                    % {"date": version.history_date.strftime("%Y-%m-%d %H:%M")},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[record.pk])
                )
        old = version.record_instance
        rows = []
        for field in self.model._meta.concrete_fields:
            if field.name in version._history_excluded_fields:
                continue
            then, now = self._display(old, field), self._display(record, field)
            rows.append({"label": field.verbose_name, "then": then, "now": now, "changed": then != now})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Version of %(date)s: %(record)s")
            % {"date": version.history_date.strftime("%Y-%m-%d %H:%M"), "record": record},
            "opts": self.opts,
            "original": record,
            "version": version,
            "origin": self.origin(version),
            "rows": rows,
            "may_restore": may_restore,
            "history_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[record.pk]
            ),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return render(request, self.object_history_restore_template, context)

    @staticmethod
    def _display(obj, field) -> str:
        value = getattr(obj, field.attname)
        if value in (None, ""):
            return ""
        if field.is_relation:
            return f"{field.related_model._meta.verbose_name} #{value}"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)
