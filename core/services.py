"""Writes every app shares: the audit entry, soft delete and restore."""

from django.db import transaction
from django.utils import timezone

from core.models import AuditEntry, Stamped


def audit_record(*, actor, action: str, obj: Stamped | None = None, data: dict | None = None) -> AuditEntry:
    """Append one audit entry. `action` is a code like `kuzet.detention.created`."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_uid=getattr(obj, "uid", None),
        data=data or {},
    )


def _code(obj: Stamped) -> str:
    return obj._meta.model_name


@transaction.atomic
def record_soft_delete(*, record: Stamped, user) -> Stamped:
    """Hide a record. The row stays, restorable by an administrator; a deleted row is never deleted again."""
    if record.is_deleted:
        return record
    record.is_deleted = True
    record.deleted_at = timezone.now()
    record.deleted_by = user if getattr(user, "is_authenticated", False) else None
    record.save(update_fields=["is_deleted", "deleted_at", "deleted_by", "updated_at"])
    audit_record(actor=user, action=f"kuzet.{_code(record)}.deleted", obj=record)
    return record


@transaction.atomic
def record_restore(*, record: Stamped, user) -> Stamped:
    """Bring a soft-deleted record back exactly as it was."""
    if not record.is_deleted:
        return record
    record.is_deleted = False
    record.deleted_at = None
    record.deleted_by = None
    record.save(update_fields=["is_deleted", "deleted_at", "deleted_by", "updated_at"])
    audit_record(actor=user, action=f"kuzet.{_code(record)}.restored", obj=record)
    return record
