"""Writes to events."""

import hashlib
from collections.abc import Iterable

from django.db import transaction

from core.services import audit_record, record_links_set
from core.versioning import version_check, version_next
from events.models import Assembly, Source


def source_fingerprint(*, source: Source) -> Source:
    """Store the SHA-256 of an attached file, so a later copy can be proven identical to what was filed."""
    if not source.file:
        source.sha256 = ""
        return source
    digest = hashlib.sha256()
    source.file.open("rb")
    for chunk in source.file.chunks():
        digest.update(chunk)
    source.file.seek(0)
    source.sha256 = digest.hexdigest()
    return source


def _creator(user):
    return user if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def assembly_create(*, user, causes: Iterable = (), sources: Iterable = (), **fields) -> Assembly:
    """Record an assembly with its causes and sources. Applies the model's validation (`full_clean`: an
    end before the start, a high estimate under the low one), exactly as the admin does.
    Raises ValidationError and writes nothing when a field is invalid."""
    assembly = Assembly(created_by=_creator(user), **fields)
    assembly.full_clean()
    assembly.save()
    assembly.causes.set(causes)
    assembly.sources.set(sources)
    audit_record(actor=user, action="kuzet.assembly.created", obj=assembly)
    return assembly


@transaction.atomic
def assembly_update(
    *,
    user,
    assembly: Assembly,
    causes: Iterable | None = None,
    sources: Iterable | None = None,
    lock_version: int | None = None,
    **fields,
) -> Assembly:
    """Change the given fields of an assembly; `causes` and `sources`, when given, replace the links (links
    to sources the user may not see are kept). Same validation as `assembly_create`; nothing is written on
    a ValidationError. `updated_at` and the edit version move whenever anything changed, links included;
    `lock_version` is the version the editor started from (default: the one `assembly` was loaded at).
    Raises EditConflict (core.versioning), writing nothing, when the assembly was saved since."""
    links = {"causes": causes, "sources": sources}
    values = {**fields, **{name: rows for name, rows in links.items() if rows is not None}}
    version_check(record=assembly, expected=lock_version, values=values, user=user)
    changed = sorted(name for name, value in fields.items() if getattr(assembly, name) != value)
    for name in changed:
        setattr(assembly, name, fields[name])
    assembly.full_clean()
    links = []
    if causes is not None and set(causes) != set(assembly.causes.all()):
        assembly.causes.set(causes)
        links.append("causes")
    if sources is not None and record_links_set(record=assembly, field="sources", values=sources, user=user):
        links.append("sources")
    if changed or links:
        assembly.save(update_fields=[*changed, "updated_at", version_next(assembly)])
        audit_record(
            actor=user, action="kuzet.assembly.updated", obj=assembly, data={"fields": changed + links}
        )
    return assembly
