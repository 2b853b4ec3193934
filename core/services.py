"""Writes every app shares: the audit entry, the read log, soft delete and restore, and issuing and revoking
API keys."""

import datetime as dt
import ipaddress
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import roles
from core.models import ApiKey, ApiKeyScope, AuditEntry, ReadKind, ReadLogEntry, Stamped
from core.versioning import version_next


def audit_record(*, actor, action: str, obj: Stamped | None = None, data: dict | None = None) -> AuditEntry:
    """Append one audit entry. `action` is a code like `kuzet.detention.created`."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_uid=getattr(obj, "uid", None),
        data=data or {},
    )


def read_log_record(
    *,
    request_or_user,
    what: str,
    obj=None,
    person_uid: uuid.UUID | None = None,
    data: dict | None = None,
) -> ReadLogEntry:
    """Append one read-log entry: who (`request.user`, and for the API the key it came with) read `what`
    (a `ReadKind`), about which record and person, from which path and address, now.

    Called by every read path after it has checked that the reader may see what it returns, so a refused
    read (404) writes nothing. `person_uid` defaults to `obj`'s uid when `obj` is a person. An export passes
    its list, filters and row count in `data`. One INSERT and nothing else (no savepoint): a page's query
    count grows by exactly one. Raises ValueError for an unknown `what`.
    """
    if what not in ReadKind.values:
        raise ValueError(f"Unknown read kind {what!r}")
    request = request_or_user if hasattr(request_or_user, "META") else None
    user = request.user if request is not None else request_or_user
    if not getattr(user, "is_authenticated", False):
        user = None
    api_key = getattr(request, "auth", None)
    if person_uid is None and obj is not None and obj._meta.label_lower == "people.person":
        person_uid = obj.uid
    return ReadLogEntry.objects.create(
        user=user,
        username=user.get_username() if user is not None else "",
        api_key=api_key if isinstance(api_key, ApiKey) else None,
        what=what,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_uid=getattr(obj, "uid", None),
        person_uid=person_uid,
        data=data or {},
        path=request.get_full_path()[:500] if request is not None else "",
        remote_addr=_remote_addr(request),
    )


def _remote_addr(request) -> str | None:
    # The server sets REMOTE_ADDR; a malformed one (a misconfigured proxy) must not lose the entry.
    value = request.META.get("REMOTE_ADDR") if request is not None else None
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def _code(obj: Stamped) -> str:
    return obj._meta.model_name


def _lock(record: Stamped) -> None:
    """Lock the row and take its stored edit version: hiding or restoring is not an edit of its fields, so
    it is never refused, but it moves the version on (an editor who opened the record before must reload)."""
    rows = type(record)._base_manager.select_for_update().filter(pk=record.pk)
    record.lock_version = rows.values_list("lock_version", flat=True).get()


@transaction.atomic
def record_soft_delete(*, record: Stamped, user) -> Stamped:
    """Hide a record. The row stays, restorable by an administrator; a deleted row is never deleted again.
    The record moves to its next edit version (core.versioning)."""
    if record.is_deleted:
        return record
    _lock(record)
    record.is_deleted = True
    record.deleted_at = timezone.now()
    record.deleted_by = user if getattr(user, "is_authenticated", False) else None
    record.save(update_fields=["is_deleted", "deleted_at", "deleted_by", "updated_at", version_next(record)])
    audit_record(actor=user, action=f"kuzet.{_code(record)}.deleted", obj=record)
    return record


@transaction.atomic
def record_restore(*, record: Stamped, user) -> Stamped:
    """Bring a soft-deleted record back exactly as it was (at its next edit version)."""
    if not record.is_deleted:
        return record
    _lock(record)
    record.is_deleted = False
    record.deleted_at = None
    record.deleted_by = None
    record.save(update_fields=["is_deleted", "deleted_at", "deleted_by", "updated_at", version_next(record)])
    audit_record(actor=user, action=f"kuzet.{_code(record)}.restored", obj=record)
    return record


class ApiKeyError(ValidationError):
    """A key that may not be issued as asked (a partner key with write access, an unusable account …)."""


def _partner_username(partner: str) -> str:
    slug = slugify(" ".join(partner.split()), allow_unicode=True)
    if not slug:
        raise ApiKeyError(_("A partner needs a name with at least one letter or digit."))
    return f"partner-{slug}"[:150]


def api_key_validate(*, partner: str | None, user, scope: str, expires_at: dt.datetime | None) -> None:
    """The rules of issuing a key, without writing anything (the admin form checks them before saving).

    Raises ApiKeyError for neither or both of partner and user, an unknown scope, a partner key with
    `write` (partners are read-only), a partner name whose account exists and is not a partner's, a user
    with no staff role or a disabled account, and an expiry in the past.
    """
    if (partner is None) == (user is None):
        raise ApiKeyError(_("A key is issued either to a partner or to a staff user."))
    if scope not in ApiKeyScope.values:
        raise ApiKeyError(_("Unknown scope %(scope)s.") % {"scope": scope})
    if expires_at is not None and expires_at <= timezone.now():
        raise ApiKeyError(_("The expiry must be in the future."))
    if partner is not None:
        if scope != ApiKeyScope.READ:
            raise ApiKeyError(_("Partner keys are read-only: a partner key cannot have the write scope."))
        username = _partner_username(partner)
        existing = get_user_model().objects.filter(username=username).first()
        if existing is not None and (
            not roles.is_partner(existing) or existing.is_staff or existing.is_superuser
        ):
            raise ApiKeyError(
                _("The account %(username)s exists and is not a partner's: choose another partner name.")
                % {"username": username}
            )
    elif not user.is_active or not roles.is_case_staff(user):
        raise ApiKeyError(
            _(
                "%(username)s is not an active staff user: a staff key acts as a monitor, lawyer, analyst or "
                "administrator."
            )
            % {"username": user.get_username()}
        )


def _partner_user(*, partner: str):
    """The Partner account a partner organisation's keys act as: found by its username, else created with
    no usable password (nobody signs in as it, only its keys are used) and no admin access."""
    username = _partner_username(partner)
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, first_name=" ".join(partner.split())[:150], is_staff=False)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        user.groups.add(Group.objects.get(name=roles.Role.PARTNER))
    return user


@transaction.atomic
def api_key_create(
    *,
    partner: str | None,
    user=None,
    scope: str = ApiKeyScope.READ,
    expires_at: dt.datetime | None,
    created_by,
    name: str | None = None,
) -> tuple[ApiKey, str]:
    """Issue an API key and return it with the key itself, which exists nowhere else afterwards (only its
    hash is stored): show it once.

    A partner key (`partner`, the organisation's name) acts as that organisation's Partner account, created
    with its first key (an organisation may hold several keys), and is read-only. A staff key (`user`) acts
    as that user, sees what they see, and may have the `write` scope. Raises ApiKeyError as
    `api_key_validate` does; nothing is written then.
    """
    api_key_validate(partner=partner, user=user, scope=scope, expires_at=expires_at)
    if partner is not None:
        user = _partner_user(partner=partner)
        name = name or " ".join(partner.split())
    name = (name or user.get_username())[:50]
    api_key, key = ApiKey.objects.create_key(name=name, user=user, scope=scope, expiry_date=expires_at)
    audit_record(
        actor=created_by,
        action="kuzet.api_key.created",
        obj=api_key,
        data={
            "prefix": api_key.prefix,
            "name": api_key.name,
            "user": user.get_username(),
            "scope": scope,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by) -> ApiKey:
    """Revoke a key for good (the library refuses to un-revoke it). Revoking a revoked key changes and
    records nothing."""
    if api_key.revoked:
        return api_key
    api_key.revoked = True
    api_key.save(update_fields=["revoked"])
    audit_record(
        actor=by,
        action="kuzet.api_key.revoked",
        obj=api_key,
        data={"prefix": api_key.prefix, "name": api_key.name, "user": api_key.user.get_username()},
    )
    return api_key


def record_links_set(*, record, field: str, values, user) -> bool:
    """Set a many-to-many field of `record` to `values` as `user` sees it: links to rows the user may not
    see (another monitor's restricted source) are kept, as the admin keeps them, because the user could
    neither see nor choose them. Returns whether the links changed."""
    manager = getattr(record, field)
    related = record._meta.get_field(field).related_model
    current = set(manager.values_list("pk", flat=True))
    hidden = set(
        manager.exclude(pk__in=related.objects.visible_to(user).values("pk")).values_list("pk", flat=True)
    )
    wanted = {value.pk for value in values} | hidden
    if wanted == current:
        return False
    manager.set(wanted)
    return True
