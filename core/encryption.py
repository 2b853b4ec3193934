"""Key rotation for the fields encrypted at rest (core.fields.EncryptedTextField).

The operator puts a new key first in FIELD_ENCRYPTION_KEY and keeps the old ones after it; every value then
still reads, and new writes use the new key. `encryption_rotate` re-encrypts every stored value with the new
key, so the old key can be dropped from the setting afterwards.

It works on the raw column values, not through the models: a rotation changes ciphertext, not data, so it
must not bump `updated_at`, write change-log entries or historical rows. Each row is written back only if
its ciphertext is still the one that was read (compare-and-set), so a save racing the rotation is never
overwritten with the older value.
"""

from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.db import connection, models, transaction

from core.fields import EncryptedTextField, field_cipher, primary_key_of
from core.services import audit_record

DEFAULT_BATCH_SIZE = 500


class EncryptionError(Exception):
    """A stored value cannot be decrypted with any key of FIELD_ENCRYPTION_KEY."""


@dataclass
class FieldRotation:
    """What a rotation did (or, in a dry run, would do) to one field."""

    label: str  # app_label.Model.field
    rotated: int = 0  # values re-encrypted with the new key
    current: int = 0  # values already encrypted with the new key
    changed_meanwhile: int = 0  # rows saved by someone else during the rotation: already under the new key


@dataclass
class Rotation:
    fields: list[FieldRotation] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rotated(self) -> int:
        return sum(f.rotated for f in self.fields)

    def as_data(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "fields": {f.label: {"rotated": f.rotated, "current": f.current} for f in self.fields},
        }


def encrypted_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every (model, field) whose column holds EncryptedTextField ciphertext, in every installed app —
    historical copies of a model included when they keep the field's class. Proxy and unmanaged models
    share or lack a table, so they are left out."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, EncryptedTextField):
                found.append((model, model_field))
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1].name))


def encryption_rotate(
    *, actor=None, operator: str = "", dry_run: bool = False, batch_size: int = DEFAULT_BATCH_SIZE
) -> Rotation:
    """Re-encrypt every EncryptedTextField value with the first key of FIELD_ENCRYPTION_KEY.

    Batches of `batch_size` rows, each in its own transaction, so a long rotation holds no lock for long and
    can be interrupted and run again (values already under the new key are skipped). With `dry_run`, only
    counts. A real run ends with one `kuzet.encryption.rotated` audit entry (by `actor`, a user or None,
    and `operator`, who ran it) with the counts per field. Raises EncryptionError naming the model, field
    and row of a value no configured key decrypts; the batches before it stay rotated, which is harmless
    since the old keys still read them.
    """
    cipher, primary = field_cipher(), Fernet(primary_key_of())
    rotation = Rotation(dry_run=dry_run)
    for model, model_field in encrypted_fields():
        result = FieldRotation(label=f"{model._meta.label}.{model_field.name}")
        rotation.fields.append(result)
        after = None
        while True:
            rows = _batch(model, model_field, after=after, size=batch_size)
            if not rows:
                break
            after = rows[-1][0]
            updates = []
            for pk, token in rows:
                if _reads_with(primary, token):
                    result.current += 1
                    continue
                try:
                    updates.append((cipher.rotate(token.encode()).decode(), pk, token))
                except InvalidToken:
                    raise EncryptionError(
                        f"{result.label} of row {pk} cannot be decrypted with any key in "
                        "FIELD_ENCRYPTION_KEY: put the key it was written with after the new one."
                    ) from None
            if dry_run:
                result.rotated += len(updates)
            else:
                written = _write(model, model_field, updates)
                result.rotated += written
                result.changed_meanwhile += len(updates) - written
    if not dry_run:
        audit_record(
            actor=actor, action="kuzet.encryption.rotated", data={**rotation.as_data(), "operator": operator}
        )
    return rotation


def _reads_with(fernet: Fernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _names(model, model_field) -> tuple[str, str, str]:
    """Quoted table and column names. They come from the models' own metadata, never from input, which is
    what makes the SQL below safe to build as text (identifiers cannot be query parameters)."""
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(model._meta.pk.column), quote(model_field.column)


def _batch(model, model_field, *, after, size: int) -> list[tuple]:
    """The next `size` (pk, ciphertext) pairs after pk `after`, read raw (no decryption)."""
    table, pk, column = _names(model, model_field)
    where = f"{column} IS NOT NULL AND {column} <> ''"
    params: list = []
    if after is not None:
        where += f" AND {pk} > %s"
        params.append(after)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s",  # noqa: S608
            [*params, size],
        )
        return cursor.fetchall()


def _write(model, model_field, updates: list[tuple]) -> int:
    """Write the new ciphertexts of one batch in one transaction; returns how many rows took them."""
    if not updates:
        return 0
    table, pk, column = _names(model, model_field)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for new, row, old in updates:
            cursor.execute(
                f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",  # noqa: S608
                [new, row, old],
            )
            written += cursor.rowcount
    return written


__all__ = ["EncryptionError", "FieldRotation", "Rotation", "encrypted_fields", "encryption_rotate"]
