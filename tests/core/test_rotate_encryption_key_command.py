"""`rotate_encryption_key`: with a new key first in FIELD_ENCRYPTION_KEY, every encrypted value of every
model is re-encrypted with it, so that the old key can be removed and everything still reads."""

import sqlite3
import subprocess
import tarfile
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from core.encryption import encrypted_fields
from core.fields import _fernet
from core.models import AuditEntry
from people.models import Person
from tests.cases.factories import DetentionFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db

SECRET_ADDRESS = "Testcity, Secretstreet 12, flat 3"
SECRET_NOTE = "hides-at-cousin-marker"


@pytest.fixture
def use_keys(settings):
    """Switch FIELD_ENCRYPTION_KEY for the test (the cipher is cached per setting value)."""

    def use(*keys: str) -> None:
        settings.FIELD_ENCRYPTION_KEY = ",".join(keys)
        _fernet.cache_clear()

    yield use
    _fernet.cache_clear()


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_every_encrypted_field_is_found():
    found = {f"{model._meta.label}.{field.name}" for model, field in encrypted_fields()}
    assert {
        "people.Person.contact_details",
        "people.Person.home_address",
        "people.Person.private_notes",
        "cases.Detention.private_notes",
    } <= found


def test_the_database_holds_ciphertext_and_the_app_shows_the_text():
    person = PersonFactory(home_address=SECRET_ADDRESS, private_notes=SECRET_NOTE)
    detention = DetentionFactory(person=person, private_notes=SECRET_NOTE)
    for table, column, pk in [
        ("people_person", "home_address", person.pk),
        ("people_person", "private_notes", person.pk),
        ("cases_detention", "private_notes", detention.pk),
    ]:
        stored = _raw(table, column, pk)
        assert stored.startswith("gAAAA") and "Secretstreet" not in stored and "cousin" not in stored
    person = Person.objects.get(pk=person.pk)
    assert (person.home_address, person.private_notes) == (SECRET_ADDRESS, SECRET_NOTE)


def test_after_rotation_only_the_new_key_is_needed(settings, use_keys, administrator):
    old_key = settings.FIELD_ENCRYPTION_KEY
    person = PersonFactory(contact_details="+7 700 111 2233", home_address=SECRET_ADDRESS)
    detention = DetentionFactory(person=person, private_notes=SECRET_NOTE)
    PersonFactory(home_address="")  # empty values stay empty and are not counted
    before = _raw("people_person", "home_address", person.pk)
    updated_at = Person.objects.get(pk=person.pk).updated_at

    new_key = Fernet.generate_key().decode()
    use_keys(new_key, old_key)
    out = StringIO()
    call_command("rotate_encryption_key", "--batch-size", "1", "--user", administrator.username, stdout=out)

    assert "people.Person.home_address: 1 re-encrypted, 0 already current" in out.getvalue()
    assert "cases.Detention.private_notes: 1 re-encrypted" in out.getvalue()
    after = _raw("people_person", "home_address", person.pk)
    assert after != before and after.startswith("gAAAA") and "Secretstreet" not in after
    use_keys(new_key)  # the old key is gone
    person = Person.objects.get(pk=person.pk)
    assert (person.contact_details, person.home_address) == ("+7 700 111 2233", SECRET_ADDRESS)
    assert person.updated_at == updated_at  # ciphertext changed, the record did not
    detention.refresh_from_db()
    assert detention.private_notes == SECRET_NOTE
    entry = AuditEntry.objects.get(action="kuzet.encryption.rotated")
    assert entry.actor == administrator
    assert entry.data["fields"]["people.Person.home_address"] == {"rotated": 1, "current": 0}

    again = StringIO()
    call_command("rotate_encryption_key", stdout=again)  # idempotent
    assert "people.Person.home_address: 0 re-encrypted, 1 already current" in again.getvalue()


def test_dry_run_counts_and_changes_nothing(settings, use_keys):
    old_key = settings.FIELD_ENCRYPTION_KEY
    person = PersonFactory(home_address=SECRET_ADDRESS, private_notes=SECRET_NOTE)
    before = _raw("people_person", "home_address", person.pk)
    use_keys(Fernet.generate_key().decode(), old_key)
    out = StringIO()
    call_command("rotate_encryption_key", "--dry-run", stdout=out)
    assert "people.Person.home_address: 1 re-encrypted" in out.getvalue()
    assert "would be re-encrypted (dry run)" in out.getvalue()
    assert _raw("people_person", "home_address", person.pk) == before
    assert not AuditEntry.objects.filter(action="kuzet.encryption.rotated").exists()


def test_a_wrong_key_is_a_clear_error(use_keys):
    person = PersonFactory(home_address=SECRET_ADDRESS)
    before = _raw("people_person", "home_address", person.pk)
    use_keys(Fernet.generate_key().decode())  # the key it was written with is missing
    with pytest.raises(
        CommandError, match=r"people\.(Historical)?Person\.home_address of row \d+ cannot be decrypted"
    ):
        call_command("rotate_encryption_key", stdout=StringIO())
    assert _raw("people_person", "home_address", person.pk) == before
    with pytest.raises(Exception, match="cannot be decrypted with FIELD_ENCRYPTION_KEY"):
        Person.objects.get(pk=person.pk)


def test_a_malformed_key_is_a_clear_error(use_keys):
    use_keys("not-a-fernet-key")
    with pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEY must be one or more comma-separated"):
        call_command("rotate_encryption_key", stdout=StringIO())


@pytest.mark.django_db(transaction=True)  # pg_dump reads committed rows from its own connection
def test_the_backup_holds_no_plaintext(tmp_path, settings):
    """What a stolen backup shows: the database in it (pg_dump's data as SQL, or the SQLite copy) holds
    only ciphertext of the encrypted fields."""
    settings.MEDIA_ROOT = tmp_path / "media"
    person = PersonFactory(home_address=SECRET_ADDRESS, private_notes=SECRET_NOTE)
    DetentionFactory(person=person, private_notes=SECRET_NOTE)
    call_command("backup", "--output", str(tmp_path), stdout=StringIO())
    (archive_path,) = tmp_path.glob("kuzet-backup-*.tar.gz")
    with tarfile.open(archive_path) as archive:
        (member,) = [m for m in archive.getmembers() if m.name.startswith("database.")]
        database = tmp_path / member.name
        database.write_bytes(archive.extractfile(member).read())
    if member.name == "database.pgdump":
        dump = subprocess.run(  # noqa: S603
            ["pg_restore", "--data-only", "--file=-", str(database)],  # noqa: S607
            check=True,
            capture_output=True,
        ).stdout.decode()
    else:
        with sqlite3.connect(database) as copy:
            rows = copy.execute("SELECT home_address, private_notes FROM people_person").fetchall()
            rows += copy.execute("SELECT private_notes FROM cases_detention").fetchall()
        dump = repr(rows)
    assert "gAAAA" in dump
    assert "Secretstreet" not in dump and "cousin-marker" not in dump
