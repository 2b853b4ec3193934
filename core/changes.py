"""Capture for the delta feed (`/api/v1/changes/`). Every change to a record the API serves appends a
`ChangeLog` entry "record `type`/`uid` may have changed". The feed serves each entry with the record's
current state for the asking key, or as a deletion, so entries carry no data and may repeat harmlessly.

Each app declares in its `AppConfig.ready()` which API record each change affects (core imports no app):

- `track(Model, "detention")`: a top-level record. Its saves and deletes log it, and so do changes of its
  many-to-many fields (treatment, sources, shared_with …). Its representation also changes with the rows it
  points to, so these log it too:
  - a record it is hidden with (`visibility_parents`: a detention's person) changing visibility;
  - a linked record (an assembly, a source) changing visibility, since a representation lists only the
    links the user may see;
  - a reference row (a place, a tag) changing, since the representation shows its name or code.
- `track_child(Model, "person", "person")`: a row that is part of its parent's representation (a name, a
  consent, a charge). Its saves and deletes log the parent, and the old parent as well if the row moved.
  Changes to the reference rows it points to (a charge's article) log the parent too.
- `track_dependents(Model, Dependent, "lookup", "type")`: any other row a representation shows.

Paths that bypass signals (`bulk_create`, `QuerySet.update`, raw SQL, data migrations) call
`changes_record_bulk` (or, in a migration, `changes_backfill`) themselves.

Entries are written in the transaction of the change, not in `on_commit`. A rolled-back save then leaves no
entry, and a committed one always has its entry; `on_commit` would lose the entry if the process died in
between. The cost is that a seq is drawn before its transaction commits. On PostgreSQL a transaction that
drew seq 10 could commit after one that drew 11, and a partner that had read 11 would never see 10. So
writers take one transaction-scoped advisory lock before they draw a seq. Seq order is then commit order:
every uncommitted seq is above every committed one, and a cursor never skips an entry. Writing transactions
are serialised from their first logged change to their commit; this write volume allows it. SQLite allows
only one writer at a time anyway.

A save outside any transaction (a bare `obj.save()` in autocommit mode) commits before post_save runs, so
its entry is written in a second transaction right after. The admin, the services and the API all write
inside `atomic`.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete

from core.models import ChangeLog, Record, Reference

# The pg_advisory_xact_lock key of the change log ("kuzetcl"); any constant no other code locks on.
_LOCK_KEY = 0x6B757A6574636C
# What decides whether a record is visible (core.models.RecordQuerySet.visible_to).
_VISIBILITY = frozenset({"confidentiality", "is_deleted", "shared_with"})

Model = type[models.Model]
Entry = tuple[str, object]  # (type, uid)
_UNSET = object()


@dataclass(frozen=True)
class _Up:
    """A row is part of the representation of the parent its `attname` points at."""

    attname: str
    parent: Model
    type_name: str


@dataclass(frozen=True)
class _Down:
    """`model` rows that reach the changed row through `lookup` change with it. This applies on a save that
    changes one of `when` (any save if None) and always on a hard delete."""

    model: Model
    lookup: str
    type_name: str
    when: frozenset[str] | None
    hides: bool = False  # the dependents' visibility follows the row's (their `visibility_parents`)


_types: dict[Model, str] = {}
_up: dict[Model, list[_Up]] = {}
_down: dict[Model, list[_Down]] = {}
_m2m: dict[Model, list[str]] = {}  # through model → the types its owner is logged as
_m2m_fields: dict[Model, models.ManyToManyField] = {}  # through model → its field
_watched: dict[Model, set[str]] = {}  # attnames whose loaded value is kept to tell what a save changed


def tracked_types() -> frozenset[str]:
    """Every type name some registration logs: the feed's `type` values."""
    names = set(_types.values())
    for registry in (_up, _down):
        names.update(rule.type_name for rules in registry.values() for rule in rules)
    names.update(name for types in _m2m.values() for name in types)
    return frozenset(names)


def track(model: Model, type_name: str) -> None:
    """Log `model`'s rows as `type_name` records (see the module docstring for what logs them)."""
    _types[model] = type_name
    _connect(model)
    for field in model._meta.many_to_many:
        track_m2m(model, field.name, type_name)
    parents = getattr(model, "visibility_parents", ())
    for field in _relations(model):
        if issubclass(field.related_model, Record):
            hides = field.name in parents
            track_dependents(field.related_model, model, field.name, type_name, when=_VISIBILITY, hides=hides)
        elif issubclass(field.related_model, Reference):
            track_dependents(field.related_model, model, field.name, type_name)


def track_child(model: Model, parent_field: str, parent_type: str) -> None:
    """Log the parent (`parent_field`, a foreign key) as `parent_type` whenever a row of `model` changes."""
    parent = model._meta.get_field(parent_field)
    _add(_up, model, _Up(parent.attname, parent.related_model, parent_type))
    _watch(model, [parent.attname])
    _connect(model)
    for field in _relations(model):
        if issubclass(field.related_model, Reference):
            lookup = f"{parent.related_query_name()}__{field.name}"
            track_dependents(field.related_model, parent.related_model, lookup, parent_type)


def track_dependents(
    model: Model,
    dependent: Model,
    lookup: str,
    type_name: str,
    *,
    when: Iterable[str] | None = None,
    hides: bool = False,
) -> None:
    """Log as `type_name` the `dependent` rows that reach a changed `model` row through `lookup` (`"person"`,
    `"treatment"`, `"person__consents"`). This happens on a save that changes a field or many-to-many field
    named in `when` (any save if None; never if empty). It also happens before a hard delete, which would
    unlink them silently. With `hides`, the dependents' visibility follows the row's, and what depends on
    their visibility is logged in turn."""
    when = None if when is None else frozenset(when)
    _add(_down, model, _Down(dependent, lookup, type_name, when, hides))
    if when:
        _watch(model, [f.attname for f in model._meta.concrete_fields if f.name in when])
        for field in model._meta.many_to_many:
            if field.name in when:
                _connect_m2m(field)
    _connect(model)


def track_m2m(model: Model, field_name: str, type_name: str) -> None:
    """Log `model` as `type_name` when a link of its many-to-many `field_name` is added or removed, from
    either end, or the other end is hard-deleted (which unlinks it silently)."""
    field = model._meta.get_field(field_name)
    _add(_m2m, field.remote_field.through, type_name)
    _connect_m2m(field)
    track_dependents(field.related_model, model, field_name, type_name, when=())


def changes_record_bulk(type_name: str, uids: Iterable, *, using: str = "default") -> int:
    """Append one entry per uid, for writes that send no signals (`bulk_create`, `QuerySet.update`).

    Call it inside the transaction of the write. Returns the number of entries written. Raises ValueError for
    a type that no registration logs; a typo would otherwise feed partners a type that no endpoint serves.
    """
    if type_name not in tracked_types():
        raise ValueError(f"{type_name!r} is not a tracked change type")
    return _write([(type_name, uid) for uid in uids], using=using)


def _write(entries: Iterable[Entry], *, using: str) -> int:
    entries = list(dict.fromkeys(entries))
    if not entries:
        return 0
    with transaction.atomic(using=using, savepoint=False):
        connection = connections[using]
        if connection.vendor == "postgresql":  # seq order = commit order (module docstring)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        ChangeLog.objects.using(using).bulk_create(
            [ChangeLog(type=type_name, uid=uid) for type_name, uid in entries], batch_size=2000
        )
    return len(entries)


def _add(registry: dict, key, rule) -> None:
    rules = registry.setdefault(key, [])
    if rule not in rules:  # ready() may run more than once: registering twice changes nothing
        rules.append(rule)


def _relations(model: Model) -> list[models.Field]:
    """The foreign keys and many-to-many fields `model` declares, but those to users (who made, deleted or
    may see a row: not part of what the API shows)."""
    user_model = get_user_model()
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [f for f in fields if f.is_relation and f.related_model is not user_model]


def _watch(model: Model, attnames: Iterable[str]) -> None:
    _watched.setdefault(model, set()).update(attnames)
    post_init.connect(_remember, sender=model, dispatch_uid=f"kuzet.changes.init.{model._meta.label}")


def _connect(model: Model) -> None:
    label = model._meta.label
    post_save.connect(_saved, sender=model, dispatch_uid=f"kuzet.changes.save.{label}")
    pre_delete.connect(_deleting, sender=model, dispatch_uid=f"kuzet.changes.deleting.{label}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"kuzet.changes.delete.{label}")


def _connect_m2m(field: models.ManyToManyField) -> None:
    through = field.remote_field.through
    _m2m_fields[through] = field
    m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"kuzet.changes.m2m.{through._meta.label}")


def _remember(sender, instance, **kwargs):
    """post_init: keep the loaded values of the watched fields. Read from `__dict__` so that a deferred
    field is not loaded just for this; it then counts as changed."""
    loaded = instance.__dict__
    instance._changes_initial = {name: loaded[name] for name in _watched[sender] if name in loaded}


def _uids(model: Model, pks, *, using: str) -> list:
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return []
    return list(model._base_manager.using(using).filter(pk__in=pks).values_list("uid", flat=True))


def _parents(instance, rule: _Up, *, using: str, moved: bool) -> list[Entry]:
    pks = {getattr(instance, rule.attname)}
    if moved:  # a row moved to another parent changes the old one too
        pks.add(getattr(instance, "_changes_initial", {}).get(rule.attname))
    pks.discard(None)
    field = instance._meta.get_field(rule.attname.removesuffix("_id"))
    cached = field.get_cached_value(instance, None)
    if cached is not None and pks == {cached.pk}:
        return [(rule.type_name, cached.uid)]
    return [(rule.type_name, uid) for uid in _uids(rule.parent, pks, using=using)]


def _dependents(model: Model, pks, changed: frozenset[str] | None, *, using: str) -> list[Entry]:
    """The records that change with rows `pks` of `model`; `changed` names what changed (None: deleted).
    A dependent hidden with the row changes visibility with it, and its own dependents are followed."""
    entries = []
    for rule in _down.get(model, ()):
        if changed is not None and rule.when is not None and not changed & rule.when:
            continue
        rows = rule.model._base_manager.using(using).filter(**{f"{rule.lookup}__in": list(pks)}).distinct()
        found = list(rows.values_list("pk", "uid"))
        entries.extend((rule.type_name, uid) for _pk, uid in found)
        if rule.hides and found:
            entries.extend(_dependents(rule.model, [pk for pk, _uid in found], _VISIBILITY, using=using))
    return entries


def _saved(sender, instance, created, update_fields, using, **kwargs):
    """post_save of a tracked or watched model, whatever the path: admin, services, API, fixtures, shell."""
    entries = [(_types[sender], instance.uid)] if sender in _types else []
    for rule in _up.get(sender, ()):
        entries.extend(_parents(instance, rule, using=using, moved=not created))
    if sender in _down:
        changed = _changed_fields(sender, instance)
        if update_fields is not None:
            changed &= set(update_fields)
        entries.extend(_dependents(sender, [instance.pk], frozenset(changed), using=using))
    _write(entries, using=using)
    if sender in _watched:
        _remember(sender, instance)


def _changed_fields(sender: Model, instance) -> set[str]:
    """The watched fields this save changed. A field that was not loaded was not saved either; one loaded
    before `_remember` ran (an instance built without post_init) counts as changed."""
    initial, loaded = getattr(instance, "_changes_initial", {}), instance.__dict__
    watched = [f for f in sender._meta.concrete_fields if f.attname in _watched.get(sender, ())]
    return {
        f.name for f in watched if f.attname in loaded and initial.get(f.attname, _UNSET) != loaded[f.attname]
    }


def _deleting(sender, instance, using, **kwargs):
    """pre_delete of a hard delete (the browser and the API only hide rows). The rows that change with this
    one are read while its links still exist, in the delete's own transaction."""
    _write(_dependents(sender, [instance.pk], None, using=using), using=using)


def _deleted(sender, instance, using, **kwargs):
    entries = [(_types[sender], instance.uid)] if sender in _types else []
    for rule in _up.get(sender, ()):
        entries.extend(_parents(instance, rule, using=using, moved=False))
    _write(entries, using=using)


def _m2m_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    """m2m_changed of a tracked many-to-many field, from either end (`detention.treatment.add(t)` or
    `treatment.detentions.add(d)`). `clear` names no pks, so they are read before it, in `pre_clear`."""
    field = _m2m_fields[sender]
    if action == "pre_clear":
        own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
        if reverse:
            own, other = other, own
        links = sender._base_manager.using(using).filter(**{f"{own}_id": instance.pk})
        cleared = instance.__dict__.setdefault("_changes_cleared", {})
        cleared[sender] = set(links.values_list(f"{other}_id", flat=True))
        return
    if action == "post_clear":
        pk_set = instance.__dict__.get("_changes_cleared", {}).pop(sender, set())
    elif action not in ("post_add", "post_remove"):
        return
    if not pk_set:
        return
    # `instance` is one end and `pk_set` holds rows of the other; a call from the target end is `reverse`.
    owners, types = (pk_set if reverse else {instance.pk}), _m2m.get(sender, ())
    uids = (_uids(field.model, owners, using=using) if reverse else [instance.uid]) if types else []
    entries = [(type_name, uid) for type_name in types for uid in uids]
    entries.extend(_dependents(field.model, owners, frozenset({field.name}), using=using))
    _write(entries, using=using)


def changes_backfill(apps, schema_editor, spec: dict[str, str]) -> None:
    """For data migrations: one entry per existing row of each `"app.Model": "type"` in `spec` that has none
    yet. This covers the rows written before the change log existed, or by a data migration (historical
    models send no signals this module hears). A partner reading the feed from the start then gets them.
    Idempotent."""
    using = schema_editor.connection.alias
    log = apps.get_model("core", "ChangeLog")
    for label, type_name in spec.items():
        logged = log.objects.using(using).filter(type=type_name).values("uid")
        rows = apps.get_model(label).objects.using(using).exclude(uid__in=logged).order_by("pk")
        uids = list(rows.values_list("uid", flat=True))
        log.objects.using(using).bulk_create([log(type=type_name, uid=uid) for uid in uids], batch_size=2000)
