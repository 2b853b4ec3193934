"""Erasure: the one hard delete, for a documented legal request (a data subject's erasure request under the
data-protection law, or a court order). Nothing else in the system deletes case data: the browser, the admin
and the API only hide it. It lives in cases because it spans cases and people (cases sits above people).

What goes: the person and every row that exists only because of them — their names, consents, detentions
(with custody periods), legal cases (with charges, sentences, hearings and appeals), and the sources linked
to those records and to nothing else (with their stored files: a photo of the arrest or a court document
about them is about them). Sources, assemblies and incidents shared with other records stay; only the links
go. With them go the rows that copy them: field-level history (django-simple-history, when installed), the
delta feed's past entries (the deletion itself writes new entries, which the feed serves as `delete`, so
partners drop their copies), the import log's entries and previous values, and the record of alerts mailed.
Audit entries about the erased records keep who did what and when, but lose their data (which can hold a
name).

What stays: the read log, which is append-only (a PostgreSQL trigger refuses changes) and holds uids, not
names; the erasure's own audit entry, which holds the uid, counts, the request reference and the reason,
and no personal data; compiled report files that named the person (counted, for the operator to handle);
free text elsewhere that mentions them; and backups, which expire on their own schedule.
"""

import dataclasses
import uuid

from django.apps import apps
from django.db import models, transaction
from django.db.models import Max
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from cases.models import Appeal, Charge, CustodyPeriod, Detention, Hearing, LegalCase, Sentence
from core.history import is_history_model
from core.models import AuditEntry, ChangeLog, ReadLogEntry
from core.services import audit_record
from events.models import Source
from people.models import ConsentRecord, Person, PersonName

# Columns other apps use to name a record by uid: their rows describe the erased record and go with it.
_UID_REFERENCES = ("object_uid", "record_uid")


class ErasureError(Exception):
    """The erasure cannot be done; the message says why, and nothing was deleted."""


@dataclasses.dataclass
class Erasure:
    uid: uuid.UUID
    counts: dict[str, int]
    files: list[str]


def _label(model) -> str:
    return model._meta.label_lower


def _pks(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


def _history_model(model):
    """The historical model django-simple-history keeps for `model`, or None (untracked, or no library)."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    manager = getattr(model, attribute, None) if attribute else None
    return getattr(manager, "model", None)


def _owned_rows(person: Person) -> dict[type[models.Model], set]:
    """{model: pks} of every row that exists only because of `person`, soft-deleted ones included, in the
    order they can be deleted (children before the rows they point to)."""
    legal_cases = _pks(LegalCase._base_manager.filter(person=person))
    detentions = _pks(Detention._base_manager.filter(person=person))
    rows = {
        Appeal: _pks(Appeal._base_manager.filter(legal_case__in=legal_cases)),
        Hearing: _pks(Hearing._base_manager.filter(legal_case__in=legal_cases)),
        Sentence: _pks(Sentence._base_manager.filter(legal_case__in=legal_cases)),
        Charge: _pks(Charge._base_manager.filter(legal_case__in=legal_cases)),
        LegalCase: legal_cases,
        CustodyPeriod: _pks(CustodyPeriod._base_manager.filter(detention__in=detentions)),
        Detention: detentions,
        PersonName: _pks(PersonName._base_manager.filter(person=person)),
        ConsentRecord: _pks(ConsentRecord._base_manager.filter(person=person)),
    }
    rows[Source] = _sources_only_of(rows)
    rows[Person] = {person.pk}
    return rows


def _sources_only_of(rows: dict) -> set:
    """The sources linked to the erased records and to no other record of any kind."""
    links = [rel for rel in Source._meta.related_objects if rel.many_to_many]
    candidates = set()
    for rel in links:
        if rel.related_model in rows:
            candidates |= _pks(Source._base_manager.filter(**{f"{rel.name}__in": rows[rel.related_model]}))
    shared = set()
    for rel in links:
        others = rel.related_model._base_manager.exclude(pk__in=rows.get(rel.related_model, ()))
        shared |= _pks(Source._base_manager.filter(pk__in=candidates, **{f"{rel.name}__in": others}))
    return candidates - shared


def _links_elsewhere(person: Person) -> dict[str, int]:
    """Links from rows of other apps that the deletion removes (a report naming the person, an
    intervention about them): counted, so the operator knows what else mentions them."""
    counts = {}
    for rel in Person._meta.related_objects:
        if rel.many_to_many and rel.related_model._meta.app_label not in ("people", "cases"):
            n = rel.related_model._base_manager.filter(**{rel.field.name: person}).count()
            if n:
                counts[f"links:{_label(rel.related_model)}"] = n
    return counts


def person_erase(*, person_uid, request_ref: str, reason: str, actor=None, operator: str = "") -> Erasure:
    """Hard-delete the person `person_uid` and everything that exists only because of them (module
    docstring), for the documented legal request `request_ref`, in one transaction; their stored files are
    removed once it has committed.

    Writes one `kuzet.person.erased` audit entry with the request reference, the reason, the operator
    (`actor`, a user or None, and `operator`, who ran it) and the counts per type: no name or other
    personal data. Raises ErasureError (and deletes nothing) without a request reference or a reason, for
    an unknown uid, or when a record of another kind still depends on the person (a compiled individual
    communication about them): that one must be dealt with first.
    """
    request_ref, reason = (request_ref or "").strip(), (reason or "").strip()
    if not request_ref or not reason:
        raise ErasureError(_("An erasure needs the reference of the legal request and its reason."))
    try:
        person_uid = uuid.UUID(str(person_uid))
    except ValueError:
        raise ErasureError(_("%(uid)s is not a person's uid.") % {"uid": person_uid}) from None
    with transaction.atomic():
        person = Person._base_manager.select_for_update().filter(uid=person_uid).first()
        if person is None:
            raise ErasureError(_("No person has the uid %(uid)s: nothing was erased.") % {"uid": person_uid})
        counts, files = _erase(person)
        audit_record(
            actor=actor,
            action="kuzet.person.erased",
            obj=person,
            data={"request_ref": request_ref, "reason": reason, "operator": operator, "counts": counts},
        )
        transaction.on_commit(lambda: _delete_files(files))
    return Erasure(uid=person_uid, counts=counts, files=files)


def _erase(person: Person) -> tuple[dict[str, int], list[str]]:
    rows = _owned_rows(person)
    uids = set()
    for model, pks in rows.items():
        uids |= set(model._base_manager.filter(pk__in=pks).values_list("uid", flat=True))
    files = list(Source._base_manager.filter(pk__in=rows[Source]).values_list("file", flat=True))
    counts = {_label(model): len(pks) for model, pks in rows.items()}
    counts.update(_links_elsewhere(person))
    for model, pks in rows.items():
        try:
            # One by one through the ORM, so every signal fires: the feed's deletions, history's.
            model._base_manager.filter(pk__in=pks).delete()
        except (ProtectedError, RestrictedError) as exc:
            found = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
            blocking = sorted({str(obj._meta.verbose_name_plural) for obj in found})
            raise ErasureError(
                _(
                    "Cannot erase: %(rows)s still refer to this person; deal with them first. "
                    "Nothing was erased."
                )
                % {"rows": ", ".join(blocking)}
            ) from None
    for model, pks in rows.items():
        history = _history_model(model)
        if history is not None and pks:
            versions = history._base_manager.filter(**{f"{model._meta.pk.attname}__in": list(pks)})
            # The links each version had (core.history.HistoricalLinks) point at it without a constraint.
            for relation in history._meta.related_objects:
                if is_history_model(relation.related_model):
                    relation.related_model._base_manager.filter(history__in=versions).delete()
            counts[f"history:{_label(model)}"] = versions.delete()[0]
    # The feed keeps one entry per erased record, the last the deletion wrote: served as `delete`.
    logged = ChangeLog.objects.filter(uid__in=uids)
    tombstones = list(logged.values("type", "uid").annotate(last=Max("seq")).values_list("last", flat=True))
    counts["changelog"] = logged.exclude(seq__in=tombstones).delete()[0]
    counts.update(_uid_references(uids))
    return counts, [name for name in files if name]


def _uid_references(uids: set) -> dict[str, int]:
    """Rows of other apps that describe an erased record by its uid: deleted, but for the read log (append-
    only; uids only) and the audit log (kept as who-did-what, its data cleared)."""
    counts = {}
    for model in apps.get_models():
        if model in (ReadLogEntry, ChangeLog) or model._meta.proxy:
            continue
        names = {f.name for f in model._meta.concrete_fields if isinstance(f, models.UUIDField)}
        for name in set(_UID_REFERENCES) & names:
            rows = model._base_manager.filter(**{f"{name}__in": uids})
            if model is AuditEntry:
                n = rows.exclude(data={}).update(data={})
                key = "audit_entries_cleared"
            else:
                n = rows.delete()[0]
                key = f"references:{_label(model)}"
            if n:
                counts[key] = counts.get(key, 0) + n
    return counts


def _delete_files(names: list[str]) -> None:
    storage = Source._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


__all__ = ["Erasure", "ErasureError", "person_erase"]
