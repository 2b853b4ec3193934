"""`backup` and `restore`: a backup restored into a fresh database has the same rows in every table and the
same uploaded files; encrypted backups need the right key; a changed archive and a database holding data are
refused. On PostgreSQL and on SQLite (whichever DATABASE_URL names).

The tests are transactional: pg_dump reads the database from its own connection, so the test's rows must be
committed. Restoring "into a fresh database" swaps the `default` connection for one to a new, empty
database (PostgreSQL: `kuzet_restore_<uuid>`, dropped after; SQLite: a new file), exactly what the command
does with the configured database.
"""

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from core import backup_crypto
from core.backup import table_counts
from core.models import AuditEntry
from people.models import Person
from tests.cases.factories import DetentionFactory
from tests.events.factories import SourceFactory
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def data(media, monitor):
    """Records of several kinds, an audit entry and two uploaded files (one with a non-ASCII name)."""
    for _ in range(3):
        DetentionFactory(created_by=monitor)
    first = SourceFactory(created_by=monitor)
    first.file.save("protocol.pdf", ContentFile(b"%PDF-1.4 test protocol\n" * 50))
    second = SourceFactory(created_by=monitor)
    second.file.save("қаулы.txt", ContentFile("Сот қаулысы\n".encode()))
    AuditEntry.objects.create(action="kuzet.test.seeded", data={"note": "before the backup"})
    return [first.file.name, second.file.name]


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return table_counts(cursor, connection.vendor)


def _backup(out: Path, *args) -> Path:
    stdout = io.StringIO()
    call_command("backup", "--output", str(out), *args, stdout=stdout)
    (path,) = out.glob("kuzet-backup-*")
    assert str(path) in stdout.getvalue()
    return path


def _restore(path: Path, *args) -> str:
    stdout = io.StringIO()
    call_command("restore", str(path), *args, stdout=stdout)
    return stdout.getvalue()


@contextmanager
def _fresh_database(tmp_path):
    """The `default` connection pointed at a new, empty database for the duration."""
    original = connections["default"]
    params = original.settings_dict
    name = f"kuzet_restore_{uuid.uuid4().hex}"
    if original.vendor == "postgresql":
        admin = psycopg2.connect(
            dbname="postgres",
            user=params["USER"],
            password=params["PASSWORD"],
            host=params["HOST"],
            port=params["PORT"],
        )
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / f"{name}.sqlite3")
    fresh = original.__class__({**params, "NAME": name}, alias="default")
    connections["default"] = fresh
    try:
        yield fresh
    finally:
        fresh.close()
        connections["default"] = original
        if original.vendor == "postgresql":
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def test_restore_into_a_fresh_database_gives_equal_rows_and_files(data, tmp_path, settings):
    before = _counts()
    path = _backup(tmp_path)
    assert AuditEntry.objects.filter(action="kuzet.backup.created", data__file=path.name).exists()
    manifest = _manifest(path)
    assert manifest["tables"] == before
    assert manifest["vendor"] == connection.vendor
    assert "core" in manifest["migrations"]
    originals = {name: (settings.MEDIA_ROOT / name).read_bytes() for name in data}
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with _fresh_database(tmp_path):
        assert _counts() == {}
        out = _restore(path)
        after = _counts()
        restored = AuditEntry.objects.order_by("-id").first()
        people = Person.objects.count()

    assert "all equal to the manifest" in out
    # Every table has the rows it had, plus the restore's own audit entry, written after the restore.
    assert after == {**before, "core_auditentry": before["core_auditentry"] + 1}
    assert restored.action == "kuzet.backup.restored"
    assert restored.data["file"] == path.name
    assert people == 3
    for name, content in originals.items():
        assert (settings.MEDIA_ROOT / name).read_bytes() == content


def test_encrypted_round_trip(data, tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    before = _counts()
    path = _backup(tmp_path, "--encrypt")
    assert path.name.endswith(".tar.gz.enc")
    raw = path.read_bytes()
    assert not raw.startswith(b"\x1f\x8b")  # not a readable gzip
    assert b"protocol.pdf" not in raw and b"test protocol" not in raw
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    # A rotated key: the new key comes first, the one that made the backup still decrypts it.
    settings.BACKUP_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{settings.BACKUP_ENCRYPTION_KEY}"

    with _fresh_database(tmp_path):
        _restore(path)
        after = _counts()

    assert after == {**before, "core_auditentry": before["core_auditentry"] + 1}
    assert (settings.MEDIA_ROOT / data[0]).read_bytes() == b"%PDF-1.4 test protocol\n" * 50


def test_encrypt_without_a_key_is_refused(data, tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(CommandError, match=r"BACKUP_ENCRYPTION_KEY .* is not set"):
        call_command("backup", "--output", str(tmp_path), "--encrypt", stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == [tmp_path / "media"]
    assert not AuditEntry.objects.filter(action="kuzet.backup.created").exists()


def test_wrong_key_is_refused_and_nothing_changes(data, tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    path = _backup(tmp_path, "--encrypt")
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with _fresh_database(tmp_path):
        with pytest.raises(CommandError, match="cannot be decrypted with BACKUP_ENCRYPTION_KEY: wrong key"):
            _restore(path)
        assert _counts() == {}
    assert not settings.MEDIA_ROOT.exists()
    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(CommandError, match="is not set"):
        _restore(path)


def test_changed_byte_of_an_encrypted_backup_is_refused(data, tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    path = _backup(tmp_path, "--encrypt")
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    with _fresh_database(tmp_path), pytest.raises(CommandError, match="the file is damaged"):
        _restore(path)


def _manifest(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def test_tampered_archive_is_refused_by_its_checksum(data, tmp_path, settings):
    path = _backup(tmp_path)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(path, "r:gz") as source, tarfile.open(tampered, "w:gz") as target:
        for member in source:
            content = source.extractfile(member).read()
            if member.name == f"media/{data[0]}":
                content = content.replace(b"protocol", b"PROTOCOL")
            target.addfile(member, io.BytesIO(content))
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with _fresh_database(tmp_path):
        with pytest.raises(CommandError, match=re.escape(f"Checksum mismatch for media/{data[0]}")):
            _restore(tampered)
        assert _counts() == {}
    assert not settings.MEDIA_ROOT.exists()


def test_non_empty_database_is_refused_without_yes_and_replaced_with_it(data, tmp_path):
    before = _counts()
    path = _backup(tmp_path)
    added = PersonFactory()

    with pytest.raises(CommandError, match=r"is not empty \(.*people_person: 4.*--yes"):
        _restore(path)
    assert Person.objects.filter(pk=added.pk).exists()

    out = _restore(path, "--yes")

    assert "Replacing the database" in out and "people_person: 4" in out
    assert not Person.objects.filter(pk=added.pk).exists()
    assert Person.objects.count() == 3
    assert _counts() == {**before, "core_auditentry": before["core_auditentry"] + 1}


def test_backup_of_another_vendor_is_refused(data, tmp_path):
    path = _backup(tmp_path)
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(path, "r:gz") as source, tarfile.open(forged, "w:gz") as target:
        for member in source:
            content = source.extractfile(member).read()
            if member.name == "manifest.json":
                content = json.dumps({**json.loads(content), "vendor": other}).encode()
                member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    with _fresh_database(tmp_path), pytest.raises(CommandError, match=f"backup is of a {other} database"):
        _restore(forged)


def _setting(env: dict[str, str]) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("BACKUP_ENCRYPTION_KEY")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(repr(settings.BACKUP_ENCRYPTION_KEY))",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env={**keep, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_backup_key_is_optional_and_may_be_given_as_a_file(tmp_path):
    key = Fernet.generate_key().decode()
    (tmp_path / "backup-key").write_text(key + "\n")
    unset = _setting({})
    from_file = _setting({"BACKUP_ENCRYPTION_KEY_FILE": str(tmp_path / "backup-key")})
    assert unset.returncode == 0, unset.stderr
    assert unset.stdout.strip() == "''"
    assert from_file.stdout.strip() == repr(key), from_file.stderr


def test_an_encrypted_stream_cut_after_a_whole_frame_is_refused_as_truncated():
    key = backup_crypto.parse_keys(Fernet.generate_key().decode())[0]
    sealed = io.BytesIO()
    writer = backup_crypto.EncryptingWriter(sealed, key)
    writer.write(os.urandom(backup_crypto.CHUNK + 10))  # two frames: a full one and the last
    writer.finish()
    whole = sealed.getvalue()
    first_frame_end = backup_crypto.HEADER_SIZE + 5 + backup_crypto.CHUNK + 16

    assert len(backup_crypto.DecryptingReader(io.BytesIO(whole), [key]).read()) == backup_crypto.CHUNK + 10
    with pytest.raises(backup_crypto.CryptoError, match="truncated"):
        backup_crypto.DecryptingReader(io.BytesIO(whole[:first_frame_end]), [key]).read()
