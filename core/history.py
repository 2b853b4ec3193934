"""Field-level history of case data: every create, update, soft delete, restore and merge leaves a copy of
the row (django-simple-history), with who, when and from where.

Why django-simple-history: it records from Django's model signals, so it works the same on PostgreSQL and on
SQLite (both run in CI), where django-pghistory's triggers exist on PostgreSQL alone; and, unlike
django-auditlog, its admin shows a record's versions and brings one back. Signals do not fire for
`bulk_create` or `QuerySet.update`: the few bulk paths of case data call `history_bulk_record` (or the
library's `bulk_*_with_history`) themselves.

"From where" is an `Origin` held in a context variable: the request middleware sets it for a page, the admin
or the API (the API key once DRF has authenticated it, in core.authentication), the import service and the
management commands set theirs, and a Celery task gets one from the task signals. Each history row copies it
(`via`, `request_path`, `api_key`) and its user.

A historical row is built by copying the model's fields, class included, so an EncryptedTextField stays one:
the history table holds ciphertext exactly as the record's own table does.
"""

import contextlib
import contextvars
import functools
import sys
from contextlib import contextmanager
from dataclasses import dataclass, replace

from celery import signals as celery_signals
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.dispatch import Signal, receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import DeletedObject, HistoricalRecords, ModelChange
from simple_history.signals import pre_create_historical_record

from core import roles


class Via(models.TextChoices):
    ADMIN = "admin", gettext_lazy("Admin")
    PAGE = "page", gettext_lazy("Page")
    API = "api", gettext_lazy("API")
    IMPORT = "import", gettext_lazy("Import")
    COMMAND = "command", gettext_lazy("Management command")
    TASK = "task", gettext_lazy("Background task")
    SHELL = "shell", gettext_lazy("Shell or script")


@dataclass(frozen=True)
class Origin:
    """Where the writes of the current request, command or task come from. `path` is the request path, the
    command's or the task's name; `user` is who acts (a request's user may be a lazy object)."""

    via: str = ""
    path: str = ""
    user: object = None
    api_key: object = None


_EMPTY = Origin()
_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar(
    "kuzet_history_origin",
    default=_EMPTY,  # frozen: never changed, only replaced
)


def _fallback() -> Origin:
    # Nothing set the origin: a management command that does not name itself, or a Python shell/script.
    argv = sys.argv
    if len(argv) > 1 and argv[0].endswith("manage.py") and argv[1] != "shell":
        return Origin(via=Via.COMMAND, path=argv[1])
    return Origin(via=Via.SHELL, path=" ".join(argv[:2])[:500])


def current_origin() -> Origin:
    origin = _origin.get()
    if origin.via and origin.path:
        return origin
    fallback = _fallback()
    return replace(origin, via=origin.via or fallback.via, path=origin.path or fallback.path)


@contextmanager
def history_origin(**changes):
    """Set parts of the origin (via, path, user, api_key) for the writes inside the block; the others are
    kept from the enclosing origin (an import inside an admin request keeps the admin's path)."""
    token = _origin.set(replace(_origin.get(), **changes))
    try:
        yield current_origin()
    finally:
        _origin.reset(token)


def history_via(via: str):
    """Decorate a service whose writes are all `via` (an import): inside it the origin says so, and its
    `user` argument, when given, is who acts. The enclosing path (the admin page, the command) is kept."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            user = kwargs.get("user")
            with history_origin(via=via, **({"user": user} if user is not None else {})):
                return func(*args, **kwargs)

        return wrapper

    return decorate


def history_origin_update(**changes) -> None:
    """Change the origin for the rest of the enclosing `history_origin` block (the API key, known only once
    DRF authenticates, inside the request's block)."""
    _origin.set(replace(_origin.get(), **changes))


def _actor(origin: Origin):
    user = origin.user
    return user if getattr(user, "is_authenticated", False) else None


class HistoricalOrigin(models.Model):
    """The fields every historical model adds to the library's (who: `history_user`; when: `history_date`)."""

    via = models.CharField(gettext_lazy("via"), max_length=8, choices=Via.choices, blank=True)
    request_path = models.CharField(
        pgettext_lazy("where a change came from", "from"),
        max_length=500,
        blank=True,
        help_text=gettext_lazy("The request path, or the command or task that wrote it."),
    )
    api_key = models.ForeignKey(
        "core.ApiKey",
        verbose_name=gettext_lazy("API key"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class HistoricalLinks(models.Model):
    """The base of the tables that keep, for each version, the many-to-many links the record had then
    (who it was shared with, its sources, treatment and group tags)."""

    class Meta:
        abstract = True


def is_history_model(model) -> bool:
    """Whether `model` is one of the historical models (a table of versions, or of their links)."""
    return issubclass(model, HistoricalOrigin | HistoricalLinks)


class CaseHistoricalRecords(HistoricalRecords):
    """The library's, with the version's record as `record_instance`: its `instance` property would hide a
    field of that name (an appeal's court instance), which then went missing from the history table."""

    def get_m2m_fields_from_model(self, model):
        """Every many-to-many field: a grant of a restricted record to another user, or a source or a
        treatment tag added or removed, is a change like any other. Each link change leaves a version."""
        return list(model._meta.many_to_many)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        """The library's handles a change made from the owner's side only (`detention.treatment.add(t)`);
        made from the other side (`t.detentions.add(detention)`) the changed records are `pk_set`, or, for a
        clear, whichever were linked just before it."""
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return None
        owners = kwargs["model"]
        if action == "pre_clear":
            linked = getattr(instance, self._reverse_accessor(owners, attr)).values_list("pk", flat=True)
            instance._history_cleared = {attr: set(linked)}
        elif action in ("post_add", "post_remove", "post_clear"):
            pks = pk_set
            if action == "post_clear":
                pks = instance.__dict__.pop("_history_cleared", {}).get(attr)
            for owner in owners._base_manager.filter(pk__in=pks or ()):
                self.create_historical_record(owner, "~")
        return None

    @staticmethod
    def _reverse_accessor(owners, attr) -> str:
        return owners._meta.get_field(attr).remote_field.get_accessor_name()

    def create_historical_record_m2ms(self, history_instance, instance):
        """The library's, with the record passed in rather than read from `history_instance.instance`
        (see the class docstring). Copies the links the record has now into the version."""
        for field in history_instance._history_m2m_fields:
            links_model = self.m2m_models[field]
            through = field.remote_field.through
            names = [f.attname for f in through._meta.fields]  # ids: no query per linked row
            rows = through.objects.filter(**{field.m2m_field_name(): instance})
            links_model.objects.bulk_create(
                [links_model(history=history_instance, **{n: getattr(row, n) for n in names}) for row in rows]
            )

    def get_extra_fields(self, model, fields):
        attrs = super().get_extra_fields(model, fields)
        attrs["record_instance"] = attrs["instance"]
        if "instance" in fields:
            del attrs["instance"]
        return attrs


def case_history(**kwargs) -> HistoricalRecords:
    """The `history = …` of a case-data model."""
    return CaseHistoricalRecords(bases=[HistoricalOrigin], m2m_bases=[HistoricalLinks], **kwargs)


def _origin_attrs(origin: Origin) -> dict:
    api_key = origin.api_key
    return {
        "via": origin.via,
        "request_path": (origin.path or "")[:500],
        "api_key_id": getattr(api_key, "pk", None),
    }


@receiver(pre_create_historical_record)
def _fill_origin(sender, history_instance, **kwargs):
    """Fires for every historical row saved one by one (post_save, post_delete): copy the origin into it."""
    if not isinstance(history_instance, HistoricalOrigin):
        return
    origin = current_origin()
    for name, value in _origin_attrs(origin).items():
        setattr(history_instance, name, value)
    if history_instance.history_user_id is None:
        history_instance.history_user = _actor(origin)


def history_bulk_record(objs, model, *, update: bool = False) -> None:
    """History rows for `objs` just written by `bulk_create` / `bulk_update` (which send no signals), with the
    current origin. `objs` must have their primary keys and the values that were written."""
    if not hasattr(model._meta, "simple_history_manager_attribute"):
        return
    objs = list(objs)
    if not objs:
        return
    origin = current_origin()
    manager = getattr(model, model._meta.simple_history_manager_attribute)
    manager.bulk_history_create(
        objs,
        batch_size=1000,
        update=update,
        default_user=_actor(origin),
        custom_historical_attrs=_origin_attrs(origin),
    )


# Celery: a task's writes are `via=task`, named by the task. Eager tasks run inside a request: the request's
# origin comes back when the task ends.
_task_tokens: dict[str, contextvars.Token] = {}


@celery_signals.task_prerun.connect
def _task_origin_start(task_id=None, task=None, **kwargs):
    _task_tokens[task_id] = _origin.set(Origin(via=Via.TASK, path=getattr(task, "name", "")))


@celery_signals.task_postrun.connect
def _task_origin_end(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        # ValueError: set in another context (a worker's thread pool), where there is nothing to restore.
        with contextlib.suppress(ValueError):
            _origin.reset(token)


class HistoryMiddleware:
    """Sets the origin of a request's writes: the admin, the API or a page, its path and its user. Must come
    after AuthenticationMiddleware. An API key's user replaces it in core.authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith("/admin/"):
            via = Via.ADMIN
        elif path.startswith("/api/"):
            via = Via.API
        else:
            via = Via.PAGE
        with history_origin(via=via, path=path, user=getattr(request, "user", None), api_key=None):
            return self.get_response(request)


# Fields a version restore leaves alone: identity, creation, deletion state (restored by record_restore),
# and the edit version, which moves on.
_NOT_RESTORED = {
    "id",
    "uid",
    "created_at",
    "created_by",
    "updated_at",
    "is_deleted",
    "deleted_at",
    "deleted_by",
    "lock_version",
}


# Not shown as changes: they change with every save.
_NOT_DIFFED = {"updated_at", "lock_version"}


def version_changes(newer, older, *, foreign_keys_are_objs: bool = False) -> list[ModelChange]:
    """The field changes from version `older` to `newer`, by field name: every recorded field, the deletion
    fields included (the library's `diff_against` reads values with `model_to_dict`, which skips fields that
    are not editable). With `foreign_keys_are_objs`, a foreign key is its related row (select it with the
    versions to spare a query each)."""
    changes = []
    for field in newer.tracked_fields:
        if field.name in _NOT_DIFFED:
            continue
        old, new = getattr(older, field.attname), getattr(newer, field.attname)
        if old == new:
            continue
        if foreign_keys_are_objs and field.is_relation:
            old, new = _related(older, field, old), _related(newer, field, new)
        changes.append(ModelChange(field.name, old, new))
    for field in newer._history_m2m_fields:
        old, new = _links(older, field), _links(newer, field)
        if old != new:
            changes.append(ModelChange(field.name, _links_display(field, old), _links_display(field, new)))
    return sorted(changes, key=lambda change: change.field)


def links_accessors(history_model) -> list[str]:
    """The names to `prefetch_related` on versions of `history_model` so `version_changes` reads each
    version's many-to-many links without a query per version."""
    return [_links_accessor(history_model, field) for field in history_model._history_m2m_fields]


def _links_accessor(history_model, field) -> str:
    links_model = getattr(history_model, field.name).model
    return links_model._meta.get_field("history").remote_field.get_accessor_name()


def _links(version, field) -> frozenset:
    """The ids of what the record was linked to by `field` in this version."""
    target = field.m2m_reverse_field_name()
    rows = getattr(version, _links_accessor(type(version), field)).all()
    return frozenset(getattr(row, f"{target}_id") for row in rows)


def _links_display(field, ids) -> str:
    """By id, as foreign keys are shown: the history page must not name a record its reader may not see."""
    name = field.related_model._meta.verbose_name
    return ", ".join(f"{name} #{pk}" for pk in sorted(ids))


def _related(version, field, key):
    if key is None:
        return None
    try:
        return getattr(version, field.name)
    except ObjectDoesNotExist:
        return DeletedObject(field.related_model, key)


# Sent after a restored version is saved (sender: the model; `record`, `version`, `user`). Apps above core
# recompute what they derive from the restored fields: people refreshes the search key from the names.
version_restored = Signal()


class VersionRestoreError(Exception):
    """A version that cannot be brought back (it is not this record's, or the record's rules refuse it)."""


def may_view_history(user, record) -> bool:
    """Who sees a record's versions: whoever may change it (its older values are what they could edit)."""
    opts = record._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def may_restore_version(user, record) -> bool:
    """Only an administrator brings an earlier version back (like restoring a deleted record)."""
    return roles.is_administrator(user) and may_view_history(user, record)


@transaction.atomic
def record_restore_version(*, record, version, user):
    """Give `record` the field values of `version` (one of its historical rows) and save it as a new version.

    Raises PermissionDenied unless `user` is an administrator who may see and change the record, and
    VersionRestoreError for a version of another record or values the record's validation refuses (nothing
    is written then). Many-to-many links, identity, creation and deletion state stay as they are; the edit
    version (`lock_version`) moves on, so an edit form opened before the restore is refused. Records
    `kuzet.<model>.version_restored`; the save itself leaves a history row ("restored version N").
    """
    # Imported here: both import core.models, which the models that import this module load first.
    from core.services import audit_record
    from core.versioning import version_next

    model = type(record)
    visible = model.objects.visible_to(user, include_deleted=True).filter(pk=record.pk)
    if not visible.exists():
        raise PermissionDenied
    if not may_restore_version(user, record):
        raise PermissionDenied
    if version.id != record.pk or version.instance_type is not model:
        raise VersionRestoreError(_("This version belongs to another record."))
    current = model.objects.select_for_update().get(pk=record.pk)
    old = version.record_instance
    changed = []
    for field in model._meta.concrete_fields:
        if field.name in _NOT_RESTORED or field.name in version._history_excluded_fields:
            continue
        value = getattr(old, field.attname)
        if getattr(current, field.attname) != value:
            setattr(current, field.attname, value)
            changed.append(field.name)
    try:
        current.full_clean()
    except ValidationError as exc:
        raise VersionRestoreError(
            _("Version %(version)s cannot be restored: %(error)s")
            % {"version": version.pk, "error": " ".join(exc.messages)}
        ) from exc
    version_next(current)  # locked above (select_for_update)
    current._change_reason = f"restored version {version.pk}"
    current.save()
    version_restored.send(sender=model, record=current, version=version, user=user)
    audit_record(
        actor=user,
        action=f"kuzet.{model._meta.model_name}.version_restored",
        obj=current,
        data={"version": version.pk, "version_date": version.history_date.isoformat(), "fields": changed},
    )
    return current
