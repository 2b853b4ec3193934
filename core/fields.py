"""Encryption at rest for the most sensitive text (contact details, addresses, private notes).

We build on `cryptography`'s MultiFernet rather than a packaged field because the packaged ones
(django-fernet-encrypted-fields, django-cryptography) derive their key from SECRET_KEY: rotating the
session secret would make every contact detail unreadable. Here the keys come from FIELD_ENCRYPTION_KEY
alone, comma-separated; the first encrypts, every one decrypts, so a key can be rotated by prepending
a new one and re-saving the rows.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more comma-separated Fernet keys "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
        ) from exc


def field_cipher() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY)


def primary_key_of() -> str:
    """The key new values are encrypted with: the first of FIELD_ENCRYPTION_KEY."""
    field_cipher()  # a malformed setting fails here with the explanation
    return next(key.strip() for key in settings.FIELD_ENCRYPTION_KEY.split(",") if key.strip())


class EncryptedTextField(models.TextField):
    """A text column whose database value is Fernet ciphertext. It cannot be searched or ordered."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return field_cipher().encrypt(value.encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return field_cipher().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise ImproperlyConfigured(
                "A stored value cannot be decrypted with FIELD_ENCRYPTION_KEY: the key is wrong or was "
                "rotated without keeping the old key after the new one."
            ) from exc
