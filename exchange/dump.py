"""The full dump: every record of people, events, cases and reports, the import records and the audit log
as JSON, one file per record type, with uids and relations by uid, and a manifest; and loading such a dump
into an empty instance with nothing lost.

Why not `dumpdata`: it names relations by internal id, and these models have no natural keys to give it. Here
every row is named by its `uid` (reference rows without one by their unique code: `sentence_kind`,
`case_kind`), a foreign key by the related row's uid, a user by username, a many-to-many field by the list of
uids. Values are the JSON forms of the field values (dates and times ISO 8601, decimals as strings, binary
content base64). Contact details are written decrypted, since the dump must load into another instance with
another key: the dump is as sensitive as the database itself. Files of sources and of compiled reports are
copied under `files/` and come back through the storage of their field.

Reference data (places, articles, tags …, and the report definitions and their sections seeded by
reports 0004) exists in every instance from migrations; loading updates the row of the same code (a
definition: its slug; a section: its definition and key) to the dump's values (uid included), so per-uid
content is equal after a round trip.

History has no uid and is written in the order it happened: audit entries (actor by username, time and data
as recorded) are appended to the instance's own log as they are, and an import's changed records
(`ImportChange`) name their record by `object_uid` (the internal `object_id` is left out and found again on
loading) and the foreign keys of their previous values by uid.

API keys are secrets and are never part of the dump (a partner gets new keys from the new instance); nor are
the delta feed (rebuilt on loading) and the record of alerts already mailed.
"""

import datetime as dt
import json
import shutil
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.changes import changes_record_bulk, tracked_types
from core.history import Via, history_bulk_record, history_via, is_history_model
from core.models import ReadKind, Reference, Stamped
from core.services import audit_record, read_log_record
from events.models import Source
from events.validators import source_file_check

FORMAT = "kuzet-dump"
VERSION = 1
APPS = ("people", "events", "cases", "reports")
# Models of other apps, loaded after every model of APPS in this order (an ImportChange finds its record by
# uid, so that record must be loaded first). `exchange` may not import `reports` (import-linter layers), so
# every model is reached through the app registry.
EXTRA_MODELS = ("exchange.importbatch", "exchange.importchange", "core.auditentry")
# History without a uid or any unique field: written and loaded in the order of its primary key.
HISTORY = frozenset({"exchange.importchange", "core.auditentry"})
# Appended to the instance's own (an empty instance may have audited its set-up): not a sign of records.
APPEND_ONLY = frozenset({"core.auditentry"})
# Reference rows with a uid that are not `Reference`s: matched by these fields (a foreign key by its row).
REFERENCE_KEYS = {
    "reports.reportdefinition": ("slug",),
    "reports.reportsection": ("definition", "key"),
}
# Records that are not `Stamped` (no created_at/updated_at of the Record bases) but are records all the same.
UNSTAMPED_RECORDS = frozenset({"exchange.importbatch"})
# The delta feed's type of each top-level record (core.changes registrations in each app's ready()).
FEED_TYPES = {
    "people.person": "person",
    "events.place": "place",
    "events.assembly": "assembly",
    "events.incident": "incident",
    "events.source": "source",
    "cases.detention": "detention",
    "cases.legalcase": "legal-case",
    "cases.legalarticle": "legal-article",
}


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds): nothing lost."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class DumpError(ValueError):
    """A dump that cannot be written or loaded as asked; nothing is written then."""


def _identity(model) -> str | None:
    if model._meta.label_lower in HISTORY:
        return None
    names = {f.name for f in model._meta.concrete_fields}
    if "uid" in names:
        return "uid"
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            return field.name
    raise DumpError(f"{model._meta.label} has neither a uid nor a unique field to name its rows by.")


def dump_models() -> list[type[models.Model]]:
    """The models of the dump, each after every model it points to (self-references aside), then
    EXTRA_MODELS."""
    # Field-level history (core.history) stays with its instance: a loaded record's versions start with
    # its load. Backups (core.backup) keep it.
    candidates = [
        m for label in APPS for m in apps.get_app_config(label).get_models() if not is_history_model(m)
    ]
    included = set(candidates)
    ordered, placed = [], set()
    while len(ordered) < len(candidates):
        progress = False
        for model in candidates:
            if model in placed:
                continue
            needs = {
                f.related_model
                for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
                if f.is_relation and f.related_model in included and f.related_model is not model
            }
            if needs <= placed:
                ordered.append(model)
                placed.add(model)
                progress = True
        if not progress:
            raise DumpError("The models reference each other in a cycle; the dump cannot order them.")
    return ordered + [apps.get_model(label) for label in EXTRA_MODELS]


def _user_model():
    return get_user_model()


def _fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _related_key(field, value_id, keys):
    if value_id is None:
        return None
    return keys[field.related_model].get(value_id)


def dump_write(*, directory: Path, user=None) -> dict:
    """Write the dump into `directory` (created; it must be empty). Returns the manifest."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise DumpError(_("%(dir)s is not empty: choose a new directory for the dump.") % {"dir": directory})
    directory.mkdir(parents=True, exist_ok=True)
    user_model = _user_model()
    usernames = dict(user_model.objects.values_list("pk", user_model.USERNAME_FIELD))
    keys: dict = {user_model: usernames}
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "models": [],
        "files": [],
    }
    for model in dump_models():
        identity = _identity(model)
        if identity is not None:
            keys[model] = dict(model._default_manager.values_list("pk", identity))
    for model in dump_models():
        label = model._meta.label_lower
        rows = []
        m2m = {f.name: f for f in model._meta.many_to_many}
        through_links = {}
        for name, field in m2m.items():
            through = field.remote_field.through
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            links = defaultdict(list)
            target_keys = keys[field.related_model]
            for owner, other in through.objects.values_list(f"{source}_id", f"{target}_id").order_by("pk"):
                links[owner].append(target_keys[other])
            through_links[name] = links
        for obj in model._default_manager.order_by("pk").iterator(chunk_size=2000):
            row = {}
            for field in _fields(model):
                if field.is_relation:
                    row[field.name] = _related_key(field, getattr(obj, field.attname), keys)
                elif isinstance(field, models.FileField):
                    row[field.name] = getattr(obj, field.attname).name or ""
                    if row[field.name]:
                        manifest["files"].append(_copy_file(field.storage, row[field.name], directory))
                elif isinstance(field, models.BinaryField):
                    row[field.name] = field.value_to_string(obj)  # base64
                else:
                    row[field.name] = field.value_from_object(obj)
            for name, links in through_links.items():
                row[name] = sorted(str(v) for v in links.get(obj.pk, []))
            if label == "exchange.importchange":
                del row["object_id"]  # an internal id: the record is named by object_uid
                row["previous"] = _previous_keys(row["model"], row["previous"], keys, dump=True)
            rows.append(row)
        file_name = f"{label}.json"
        (directory / file_name).write_text(
            json.dumps(rows, cls=_Encoder, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        manifest["models"].append(
            {"model": label, "file": file_name, "count": len(rows), "identity": _identity(model)}
        )
    manifest["files"] = [f for f in manifest["files"] if f]
    (directory / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    export = {
        "via": "export_all",
        "directory": str(directory),
        "counts": {m["model"]: m["count"] for m in manifest["models"]},
    }
    audit_record(actor=user, action="kuzet.export", data=export)
    read_log_record(request_or_user=user, what=ReadKind.EXPORT, data=export)
    return manifest


def _copy_file(storage, name: str, directory: Path) -> str:
    if not storage.exists(name):
        return ""
    target = directory / "files" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with storage.open(name, "rb") as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out)
    return name


def _previous_keys(label: str, previous: dict, keys: dict, *, dump: bool, users: dict | None = None) -> dict:
    """An ImportChange's previous values hold foreign keys as primary keys: the dump names them by uid (a user
    by username) and loading turns them back into this instance's primary keys."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return previous
    relations = {f.attname: f for f in model._meta.concrete_fields if f.is_relation}
    translated = dict(previous)
    for attname, value in previous.items():
        field = relations.get(attname)
        if field is None or value is None:
            continue
        if not dump and field.related_model is _user_model():
            translated[attname] = _user_pk(value, users)
        elif dump:
            translated[attname] = keys.get(field.related_model, {}).get(value, value)
        else:
            translated[attname] = keys.get(field.related_model, {}).get(str(value), value)
    return translated


def _is_reference(model) -> bool:
    return _reference_key(model) is not None


def instance_is_empty() -> list[str]:
    """The record types that hold rows already (an empty instance has reference data, such as the seeded
    report definitions, and perhaps audit entries of its set-up only)."""
    return [
        m._meta.label_lower
        for m in dump_models()
        if not _is_reference(m) and m._meta.label_lower not in APPEND_ONLY and m._default_manager.exists()
    ]


@contextmanager
def _keep_timestamps(model):
    """Loading keeps `created_at` and `updated_at` as dumped: auto_now would stamp the time of the load."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@transaction.atomic
@history_via(Via.IMPORT)
def dump_load(*, directory: Path, user=None) -> dict[str, int]:
    """Load a dump written by `dump_write` into this instance, which must hold no records yet (reference data
    is updated by code, report definitions by slug; the dump's audit entries are appended to this instance's
    log as recorded, with one entry for the load itself). All or nothing. Users named in the dump who do not
    exist here are created inactive, with no role and no usable password, so `created_by` is kept. Returns
    the count loaded per model.
    Raises DumpError for a non-empty instance, a missing or foreign manifest, or a relation to a row that
    is in neither the dump nor this instance."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DumpError(
            _("%(dir)s has no readable manifest.json: %(error)s") % {"dir": directory, "error": exc}
        ) from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise DumpError(_("manifest.json is not a Kuzet dump of version %(v)s.") % {"v": VERSION})
    busy = instance_is_empty()
    if busy:
        raise DumpError(
            _("This instance already holds records (%(models)s): a dump loads into an empty instance only.")
            % {"models": ", ".join(busy)}
        )
    user_model = _user_model()
    users = dict(user_model.objects.values_list(user_model.USERNAME_FIELD, "pk"))
    keys: dict = {}
    counts = {}
    by_label = {m._meta.label_lower: m for m in dump_models()}
    entries = {entry["model"]: entry for entry in manifest["models"]}
    for label in entries:
        if label not in by_label:
            raise DumpError(
                _("The dump holds %(model)s, which this version does not know.") % {"model": label}
            )
    # In this version's order, whatever the manifest's: a model is loaded after every model it points to.
    # A type the manifest does not list (a dump of an earlier version) has no rows.
    for label, model in by_label.items():
        if label not in entries:
            continue
        try:
            rows = json.loads((directory / entries[label]["file"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DumpError(
                _("%(file)s cannot be read: %(error)s") % {"file": entries[label]["file"], "error": exc}
            ) from exc
        counts[label] = _load_model(model, rows, keys, users, directory)
    for label, type_name in FEED_TYPES.items():
        if label in counts and type_name in tracked_types():
            model = by_label[label]
            changes_record_bulk(
                type_name, model._default_manager.order_by("pk").values_list("uid", flat=True)
            )
    audit_record(
        actor=user, action="kuzet.import.dump_loaded", data={"directory": str(directory), "counts": counts}
    )
    return counts


def _user_pk(username, users):
    if username is None:
        return None
    if username not in users:
        user_model = _user_model()
        created = user_model(**{user_model.USERNAME_FIELD: username}, is_active=False, is_staff=False)
        created.set_unusable_password()
        created.save()
        users[username] = created.pk
    return users[username]


def _load_model(model, rows: list[dict], keys: dict, users: dict, directory: Path) -> int:
    label = model._meta.label_lower
    identity = _identity(model)
    reference_key = _reference_key(model)
    user_model = _user_model()
    keys.setdefault(model, {})
    existing = {}
    if reference_key is not None:
        attnames = [model._meta.get_field(name).attname for name in reference_key]
        existing = {
            tuple(str(v) for v in found[:-1]): found[-1]
            for found in model._default_manager.values_list(*attnames, "pk")
        }
    m2m = {f.name: f for f in model._meta.many_to_many}
    self_links = []
    objects, updates = [], []
    for row in rows:
        values = {}
        for field in _fields(model):
            if field.name not in row:
                continue
            raw = row[field.name]
            if field.is_relation:
                if field.related_model is user_model:
                    values[field.attname] = _user_pk(raw, users)
                elif field.related_model is model:
                    self_links.append((row[identity], field.attname, raw))
                elif raw is None:
                    values[field.attname] = None
                else:
                    target = keys.get(field.related_model, {}).get(str(raw))
                    if target is None:
                        raise DumpError(
                            _("%(model)s %(id)s points to %(target)s %(key)s, which is not in the dump.")
                            % {
                                "model": label,
                                "id": row[identity] if identity else "",
                                "target": field.related_model._meta.label_lower,
                                "key": raw,
                            }
                        )
                    values[field.attname] = target
            elif isinstance(field, models.FileField):
                if model is Source:
                    _check_source_file(raw, directory)
                values[field.attname] = _restore_file(field.storage, raw, directory)
            else:
                values[field.attname] = field.to_python(raw) if raw is not None else None
        if label == "exchange.importchange":
            _import_change_keys(row, values, keys, users)
        match = None
        if reference_key is not None:
            match = existing.get(
                tuple(str(values.get(model._meta.get_field(name).attname)) for name in reference_key)
            )
        if match is not None:
            updates.append((match, values))
        else:
            objects.append(model(**values))
    with _keep_timestamps(model):
        for pk, values in updates:
            model._default_manager.filter(pk=pk).update(**values)
        # In the dump's order, so history (audit entries, import changes) keeps its order in primary keys.
        created = model._default_manager.bulk_create(objects, batch_size=1000)
    if created and created[0].pk is None:  # backends that do not return ids (none Kuzet uses, but be safe)
        raise DumpError(f"{model._meta.label} rows were inserted without ids.")
    if identity is None:
        return len(rows)
    keys[model] = {str(k): pk for k, pk in model._default_manager.values_list(identity, "pk")}
    for own, attname, other in self_links:
        if other is not None:
            model._default_manager.filter(pk=keys[model][str(own)]).update(
                **{attname: keys[model][str(other)]}
            )
    # bulk_create sends no signals: the loaded records' first history rows are written here, after the
    # links to their own model are set.
    created_pks = [obj.pk for obj in created]
    for start in range(0, len(created_pks), 900):
        history_bulk_record(
            model._default_manager.filter(pk__in=created_pks[start : start + 900]).order_by("pk"), model
        )
    for name, field in m2m.items():
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = []
        for row in rows:
            owner = keys[model][str(row[identity])]
            if field.related_model is user_model:
                targets = [_user_pk(u, users) for u in row.get(name, [])]
            else:
                targets = [keys[field.related_model][str(k)] for k in row.get(name, [])]
            links += [through(**{f"{source}_id": owner, f"{target}_id": t}) for t in targets]
        # A reference row that existed here gets exactly the dump's links.
        through.objects.filter(**{f"{source}_id__in": [pk for pk, _values in updates]}).delete()
        through.objects.bulk_create(links, batch_size=2000)
    return len(rows)


def _import_change_keys(row: dict, values: dict, keys: dict, users: dict) -> None:
    """An ImportChange's record by its uid, and the foreign keys of its previous values, in this instance's
    primary keys. A record that is not in the dump (deleted for good in the old instance) gets object_id 0,
    which names no row here either."""
    try:
        changed_model = apps.get_model(row.get("model", ""))
    except (LookupError, ValueError):
        changed_model = None
    found = keys.get(changed_model, {}).get(str(row.get("object_uid"))) if changed_model else None
    values["object_id"] = found if found is not None else row.get("object_id", 0)
    values["previous"] = _previous_keys(
        row.get("model", ""), values.get("previous") or {}, keys, dump=False, users=users
    )


def _reference_key(model) -> tuple[str, ...] | None:
    """The fields that find a reference row of the dump in this instance; None for records and history,
    which are always inserted."""
    label = model._meta.label_lower
    if label in REFERENCE_KEYS:
        return REFERENCE_KEYS[label]
    if issubclass(model, Reference):
        return ("code",)
    if issubclass(model, Stamped) or label in UNSTAMPED_RECORDS or label in HISTORY:
        return None
    return (_identity(model),)


def _check_source_file(name: str, directory: Path) -> None:
    """A source's file comes in only if an upload of it would (events.validators: type by content, size)."""
    files = (directory / "files").resolve()
    path = (files / name).resolve()
    if not name or not path.is_relative_to(files) or not path.is_file():
        return  # nothing to check, or a name _restore_file refuses
    with path.open("rb") as file:
        try:
            source_file_check(file, name=name)
        except ValidationError as exc:
            raise DumpError(" ".join(exc.messages)) from None


def _restore_file(storage, name: str, directory: Path) -> str:
    if not name:
        return ""
    files = (directory / "files").resolve()
    source = (files / name).resolve()
    if not source.is_relative_to(files):
        raise DumpError(_("The dump names a file outside its files/ folder: %(name)s") % {"name": name})
    if source.is_file() and not storage.exists(name):
        return storage.save(name, ContentFile(source.read_bytes()))
    return name


__all__ = ["DumpError", "dump_load", "dump_models", "dump_write", "instance_is_empty"]
