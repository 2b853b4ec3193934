"""Optimistic locking of records: the rule that stops a save from silently overwriting another one.

Every Stamped row carries `lock_version`. An editor (an admin form, an API client) starts from the version it
read; its save first locks the row (`version_check`: SELECT … FOR UPDATE, inside the save's transaction) and
is refused with EditConflict when the stored version moved on since. A save that goes through moves the row
to the next version (`version_next`). Both are called by the services, the admin and the API, never by
`Model.save()` (no side effects there): a write that bypasses them is a bug to fix where it is written.
On SQLite, where FOR UPDATE does nothing, every transaction begins IMMEDIATE (config.settings), which takes
the database's write lock first: the check and the save cannot interleave with another save there either.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry, Reference, Stamped

LOCK_VERSION = "lock_version"


@dataclass(frozen=True)
class DiffRow:
    """One field that differs: its name, its label, what is stored now, and what the editor sent."""

    field: str
    label: str
    stored: str
    yours: str

    def as_dict(self) -> dict:
        return {"field": self.field, "label": self.label, "stored": self.stored, "yours": self.yours}


class EditConflict(ValidationError):
    """The record changed after the editor opened it; nothing was saved.

    `stored` is the row as it is now, `current_lock_version` its version, `saved_by` who saved it last (a
    username, or "" when unknown), `diff` the DiffRows of the fields where the editor's values differ from
    the stored ones."""

    def __init__(self, *, stored: Stamped, diff: list[DiffRow], saved_by: str):
        self.stored = stored
        self.current_lock_version = stored.lock_version
        self.diff = diff
        self.saved_by = saved_by
        when = formats.date_format(timezone.localtime(stored.updated_at), "DATETIME_FORMAT")
        params = {"model": stored._meta.verbose_name, "time": when, "user": saved_by}
        if saved_by:
            text = gettext(
                "Someone else (%(user)s) saved this %(model)s at %(time)s after you opened it. "
                "Your changes were not saved."
            )
        else:
            text = gettext(
                "Someone else saved this %(model)s at %(time)s after you opened it. "
                "Your changes were not saved."
            )
        super().__init__(text % params, code="edit_conflict")

    @property
    def text(self) -> str:
        return self.messages[0]


def _last_saved_by(record: Stamped) -> str:
    entry = (
        AuditEntry.objects.filter(object_uid=record.uid, actor__isnull=False)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    return entry.actor.get_username() if entry is not None else ""


def _visible_ids(model, user, pks) -> set:
    """Which of the related rows `user` may see: a diff must not name a record hidden from its reader."""
    if not pks:
        return set()
    if user is not None and issubclass(model, Stamped | Reference):
        return set(model.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))
    return set(pks)


def _related_text(objs: list, model, user) -> str:
    visible = _visible_ids(model, user, [obj.pk for obj in objs])
    names = sorted(str(obj) if obj.pk in visible else gettext("(a record you may not see)") for obj in objs)
    return ", ".join(names) or "—"


def _comparable(field, value):
    if value is None:
        return None
    if field.many_to_many:
        return frozenset(obj.pk for obj in value)
    if field.is_relation:
        return getattr(value, "pk", value)
    return value


def _text(field, value, user) -> str:
    """A value as the editor reads it: choice labels, names of related records, local date-times."""
    if field.many_to_many:
        return _related_text(list(value or ()), field.related_model, user)
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return _related_text([value], field.related_model, user)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(field, models.DateTimeField):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def version_diff(*, stored: Stamped, values: dict, user=None) -> list[DiffRow]:
    """The fields among `values` (the editor's values, by field name; a many-to-many as an iterable of rows)
    whose stored value differs. Names that are not fields of the model (aliases, child rows) are left out."""
    rows = []
    opts = stored._meta
    for name, value in values.items():
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:  # aliases, child rows: not a column of this record
            continue
        if field.auto_created and not field.concrete:
            continue
        now = getattr(stored, name).all() if field.many_to_many else getattr(stored, name)
        if field.many_to_many:
            now, value = list(now), list(value or ())
        if _comparable(field, now) == _comparable(field, value):
            continue
        rows.append(
            DiffRow(
                field=name,
                label=str(field.verbose_name).capitalize(),
                stored=_text(field, now, user),
                yours=_text(field, value, user),
            )
        )
    return rows


def version_check(*, record: Stamped, expected: int | None = None, values: dict | None = None, user=None):
    """Lock `record`'s row until the end of the current transaction and make sure nobody saved it since the
    editor read it: at version `expected` (what the editor opened), else at `record.lock_version` (what the
    caller loaded). Call it inside the save's transaction, before writing anything.

    Raises EditConflict, with the diff of `values` against the stored row, when the stored version differs
    from `expected` or from the version `record` was loaded at. Returns the stored row."""
    if record.pk is None:
        return record
    stored = type(record)._base_manager.select_for_update().get(pk=record.pk)
    expected = record.lock_version if expected is None else expected
    if stored.lock_version != expected or stored.lock_version != record.lock_version:
        raise EditConflict(
            stored=stored,
            diff=version_diff(stored=stored, values=values or {}, user=user),
            saved_by=_last_saved_by(stored),
        )
    return stored


def version_next(record: Stamped) -> str:
    """Move `record` to its next version for the save about to happen; returns the field's name for
    `update_fields`. Call it only on a row this transaction has locked (`version_check`, or a queryset read
    with `select_for_update`), so that the +1 cannot race another save."""
    record.lock_version += 1
    return LOCK_VERSION


# --- Forms ----------------------------------------------------------------------------------------------

OPENED_FIELD = "opened_lock_version"


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version its record was opened at (a hidden field) and, when the form is
    validated inside the save's transaction (the admin's change view is atomic) and differs from the
    stored record, refuses the save when the record was saved by someone else since: a form error with the
    message and a table of what is stored now beside what was typed. Everything typed stays in the
    re-rendered form, and the hidden field then holds the current version: saving the same form again, after
    reading the table, replaces the stored values on purpose. A POST without the field (an old page, a
    script) is checked against the version loaded now."""

    opened_lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    user = None  # set by the admin (`version_user`), so the diff names only records the user may see

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and hasattr(self.instance, LOCK_VERSION):
            self.fields[OPENED_FIELD].initial = self.instance.lock_version

    def has_changed(self):
        # The version alone is no change: an untouched inline row must not be saved.
        return bool([name for name in self.changed_data if name != OPENED_FIELD])

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in self.changed_data if name != OPENED_FIELD]
        # An untouched form overwrites nothing (its values are the ones stored now, read in this request):
        # the save that follows only locks the row (RecordAdmin.save_model), and an untouched inline row is
        # not saved at all.
        if self.instance.pk is None or not hasattr(self.instance, LOCK_VERSION) or self.errors or not changed:
            return cleaned
        values = {name: cleaned[name] for name in changed if name in cleaned}
        try:
            version_check(
                record=self.instance, expected=cleaned.get(OPENED_FIELD), values=values, user=self.user
            )
        except EditConflict as conflict:
            self.version_conflict = conflict
            self.add_error(None, conflict.text)
            self.add_error(None, diff_table(conflict.diff))
            # Saving again after reading the table is a knowing choice: the form now starts from the
            # version stored.
            data = self.data.copy()
            data[self.add_prefix(OPENED_FIELD)] = str(conflict.current_lock_version)
            self.data = data
        return cleaned


def with_opened_field(fieldsets):
    """`fieldsets` with the hidden version field added to the first one (an admin renders only the fields
    its fieldsets name)."""
    fieldsets = list(fieldsets)
    names = {n for _title, options in fieldsets for f in options.get("fields", ()) for n in _names(f)}
    if not fieldsets or OPENED_FIELD in names:
        return fieldsets
    title, options = fieldsets[0]
    fieldsets[0] = (title, {**options, "fields": (*options.get("fields", ()), OPENED_FIELD)})
    return fieldsets


def _names(entry) -> tuple:
    return tuple(entry) if isinstance(entry, list | tuple) else (entry,)


def diff_table(diff: list[DiffRow]):
    """The diff as a small HTML table (values escaped), shown with the form's errors."""
    head = format_html(
        "<tr><th>{}</th><th>{}</th><th>{}</th></tr>", _("Field"), _("Stored now"), _("Your value")
    )
    body = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", ((row.label, row.stored, row.yours) for row in diff)
    )
    if not diff:
        body = format_html('<tr><td colspan="3">{}</td></tr>', _("Your values are the ones stored now."))
    return format_html(
        '<table class="version-conflict"><caption>{}</caption>{}{}</table>',
        _("Save again to replace what is stored now with your values, or reload the page to start from it."),
        head,
        body,
    )
