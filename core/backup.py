"""Backups: one file holding a consistent copy of the database, every uploaded file and a manifest, and
bringing such a file back (README "Backups").

The file is a gzip-compressed tar, `kuzet-backup-<UTC time>.tar.gz` (`.tar.gz.enc` when encrypted, see
core/backup_crypto.py), with these members:

    database.pgdump | database.sqlite3   `pg_dump --format=custom`, or a copy by SQLite's online-backup API
    media/<path>                         every file under MEDIA_ROOT
    manifest.json                        last, because it holds the SHA-256 and size of every other member,
                                         the database vendor, the migrations applied per app and the row
                                         count of every table, all taken from the same snapshot as the dump

A restore checks all of that before it changes anything: a file that fails any check restores nothing.
"""

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from core import backup_crypto
from core.models import AuditEntry, ChildRecord, Record
from core.services import audit_record

FORMAT = "kuzet-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
MEDIA = "media/"
_READ = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup that cannot be made or a file that cannot be restored; nothing was changed."""


@dataclass
class BackupResult:
    path: Path
    sha256: str
    manifest: dict


@dataclass
class RestoreResult:
    manifest: dict
    replaced: dict[str, int]
    counts: dict[str, int]
    # table -> (rows in the manifest, rows now), for the tables that differ
    differences: dict[str, tuple[int, int]] = field(default_factory=dict)
    pending_migrations: list[str] = field(default_factory=list)


def _quiet(_line: str) -> None:
    pass


# --- what the database holds ---


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_counts(cursor, vendor: str) -> dict[str, int]:
    """Rows per table, for a Django cursor or a plain sqlite3 one (the backup's own copy)."""
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
        )
    counts = {}
    for table in sorted(row[0] for row in cursor.fetchall()):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (names from the catalog)
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _data_tables() -> set[str]:
    """Tables whose rows mean someone used this database (`migrate` alone writes none): accounts, case
    records and the audit log. Reference data and report definitions come from migrations, so they do not."""
    models = [get_user_model(), AuditEntry]
    models += [m for m in apps.get_models() if issubclass(m, Record | ChildRecord)]
    return {m._meta.db_table for m in models}


def existing_data() -> dict[str, int]:
    """Rows of the data tables the configured database holds, by table (empty for a fresh database)."""
    wanted = _data_tables()
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor)) & wanted
        counts = {}
        for table in sorted(present):
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
            if rows := cursor.fetchone()[0]:
                counts[table] = rows
    return counts


# --- the database dump ---


def _pg_tool(name: str) -> str:
    """The newest installed pg_dump/pg_restore: it reads dumps of every older server, never the reverse."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    tool = str(found[-1]) if found else shutil.which(name)
    if not tool:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return tool


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection arguments of the database Django is connected to (in tests, the test database), with the
    password in the environment (never on the command line, where `ps` shows it)."""
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    args = ["--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    args.append(f"--dbname={settings_dict['NAME']}")
    return args, {**os.environ, **(env or {})}


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _dump_postgresql(path: Path) -> tuple[dict, dict]:
    """pg_dump from a snapshot exported by a REPEATABLE READ transaction that also counts the rows: the
    manifest's counts are those of the dump, however busy the database is meanwhile."""
    if connection.in_atomic_block:
        raise BackupError("A backup must not run inside a transaction.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts, migrations = table_counts(cursor, "postgresql"), _migrations(cursor)
        args, env = _pg_args(connection.settings_dict)
        _run([_pg_tool("pg_dump"), "--format=custom", f"--file={path}", f"--snapshot={snapshot}", *args], env)
    return counts, migrations


def _dump_sqlite(path: Path) -> tuple[dict, dict]:
    """SQLite's online-backup API copies a consistent database while the app keeps running; the counts are
    then taken from the copy itself."""
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        return table_counts(cursor, "sqlite"), _migrations(cursor)
    finally:
        copy.close()


# --- writing the archive ---


class _HashingWriter:
    """Passes writes through to `out`, hashing them: the audit entry names the file's own SHA-256, so an
    off-site copy can be checked against it."""

    def __init__(self, out):
        self._out, self.hash = out, hashlib.sha256()

    def write(self, data) -> int:
        self.hash.update(data)
        return self._out.write(data)


def _media_files() -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT, with its member name (symbolic links are not followed)."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found.append((MEDIA + path.relative_to(root).as_posix(), path))
    return sorted(found)


class _HashingReader:
    def __init__(self, file):
        self._file, self.hash = file, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.hash.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    """Add one file, hashing the very bytes written (a file read twice could change in between)."""
    info = tarfile.TarInfo(name)
    stat = path.stat()
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
    with open(path, "rb") as file:
        reader = _HashingReader(file)
        tar.addfile(info, reader)
    return {"sha256": reader.hash.hexdigest(), "size": info.size}


def _keys(*, required: bool) -> list[bytes]:
    value = settings.BACKUP_ENCRYPTION_KEY
    if not value:
        if required:
            raise BackupError(
                "BACKUP_ENCRYPTION_KEY (or BACKUP_ENCRYPTION_KEY_FILE) is not set: it is needed to encrypt "
                "and to restore encrypted backups."
            )
        return []
    try:
        keys = backup_crypto.parse_keys(value)
    except ValueError as exc:
        raise BackupError(f"BACKUP_ENCRYPTION_KEY: {exc}.") from None
    if required and not keys:
        raise BackupError("BACKUP_ENCRYPTION_KEY holds no key.")
    return keys


def backup_create(
    *, output_dir: Path, encrypt: bool = False, actor=None, progress: Progress = _quiet
) -> BackupResult:
    """Write one backup file into `output_dir` (readable by its owner only) and audit it.

    The file appears under its final name only once complete. Raises BackupError (nothing written) when
    the key is missing for `encrypt`, the output folder does not exist, or pg_dump fails.
    """
    keys = _keys(required=True) if encrypt else []
    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        raise BackupError(f"{output_dir} is not a folder.")
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    created = timezone.now()
    name = f"kuzet-backup-{created:%Y%m%dT%H%M%S}Z.tar.gz" + (".enc" if encrypt else "")
    final = output_dir / name
    if final.exists():
        raise BackupError(f"{final} exists already.")
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".kuzet-backup-") as work:
        dump = Path(work, DATABASE_MEMBERS[vendor])
        counts, migrations = (_dump_postgresql if vendor == "postgresql" else _dump_sqlite)(dump)
        progress(f"Database: {vendor}, {len(counts)} tables, {sum(counts.values())} rows.")
        members = [(dump.name, dump), *_media_files()]
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": created.isoformat(),
            "vendor": vendor,
            "database": dump.name,
            "migrations": migrations,
            "tables": counts,
            "members": {},
        }
        partial = Path(work, name)
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            hashing = _HashingWriter(raw)
            sink = backup_crypto.EncryptingWriter(hashing, keys[0]) if encrypt else hashing
            with tarfile.open(fileobj=sink, mode="w|gz", format=tarfile.PAX_FORMAT) as tar:
                for member, path in members:
                    manifest["members"][member] = _add(tar, member, path)
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(created.timestamp()), 0o600
                tar.addfile(info, _BytesReader(data))
            if encrypt:
                sink.finish()
        media = [size["size"] for member, size in manifest["members"].items() if member.startswith(MEDIA)]
        progress(f"Media: {len(media)} files, {sum(media)} bytes.")
        os.replace(partial, final)
    sha = hashing.hash.hexdigest()
    progress(
        f"Wrote {final} ({final.stat().st_size} bytes{', encrypted' if encrypt else ''}, SHA-256 {sha})."
    )
    audit_record(
        actor=actor,
        action="kuzet.backup.created",
        data={
            "file": name,
            "sha256": sha,
            "encrypted": encrypt,
            "tables": len(counts),
            "media_files": len(media),
        },
    )
    return BackupResult(path=final, sha256=sha, manifest=manifest)


class _BytesReader:
    def __init__(self, data: bytes):
        self._data, self._at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk, self._at = self._data[self._at : end], min(end, len(self._data))
        return chunk


# --- reading and checking an archive ---


def _safe_member(member: tarfile.TarInfo) -> str:
    """Only the names this module writes, as regular files: a crafted archive cannot write outside the work
    folder (no absolute paths, no `..`, no links)."""
    name = member.name
    parts = PurePosixPath(name).parts
    allowed = name == MANIFEST or name in DATABASE_MEMBERS.values() or name.startswith(MEDIA)
    if not member.isfile() or not allowed or name.startswith("/") or ".." in parts or "\\" in name:
        raise BackupError(f"The archive holds an unexpected member {name!r}: not a Kuzet backup.")
    return name


def _extract(path: Path, work: Path) -> dict[str, str]:
    """Unpack the archive into `work`, hashing each member as it is written."""
    keys = _keys(required=True) if backup_crypto.is_encrypted(path) else None
    hashes = {}
    try:
        with open(path, "rb") as raw:
            source = backup_crypto.DecryptingReader(raw, keys) if keys is not None else raw
            with tarfile.open(fileobj=source, mode="r|gz") as tar:
                for member in tar:
                    name = _safe_member(member)
                    target = work / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    digest = hashlib.sha256()
                    with tar.extractfile(member) as data, open(target, "wb") as out:
                        while chunk := data.read(_READ):
                            digest.update(chunk)
                            out.write(chunk)
                    hashes[name] = digest.hexdigest()
    except backup_crypto.CryptoError as exc:
        raise BackupError(f"{path.name} cannot be decrypted with BACKUP_ENCRYPTION_KEY: {exc}.") from None
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"{path.name} is damaged or not a backup: {exc}.") from None
    return hashes


def _verified_manifest(work: Path, hashes: dict[str, str]) -> dict:
    """The manifest, once every member matches its checksum and none is missing or extra."""
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError("The archive has no readable manifest: not a Kuzet backup.") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r} {manifest.get('version')!r}.")
    listed = manifest.get("members", {})
    found = {name for name in hashes if name != MANIFEST}
    if set(listed) != found:
        raise BackupError(f"Members missing or added: {sorted(set(listed) ^ found)}.")
    for name, expected in listed.items():
        if hashes[name] != expected.get("sha256"):
            raise BackupError(f"Checksum mismatch for {name}: the backup was changed or damaged.")
    return manifest


def _pending(manifest: dict) -> list[str]:
    """Migrations of this code the backup lacks; raises BackupError when the backup has migrations this
    code does not know (made by a newer Kuzet: restoring it here would break the app)."""
    disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(f"{a}.{n}" for a, n in applied - disk if a in installed)
    if unknown:
        raise BackupError(
            f"The backup was made by a newer Kuzet (unknown migrations {unknown}): upgrade first."
        )
    return sorted(f"{a}.{n}" for a, n in disk - applied)


# --- restoring ---


def _restore_postgresql(dump: Path) -> None:
    """pg_restore in one transaction: a failure leaves the database as it was."""
    args, env = _pg_args(connection.settings_dict)
    connection.close()
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
    )


def _restore_sqlite(copy: Path) -> None:
    """SQLite's backup API, run the other way round, replaces the database's pages under SQLite's own
    locks: unlike copying the file over, no half-written file is ever seen and a -wal journal cannot be
    replayed onto the wrong database."""
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_media(work: Path, manifest: dict) -> int:
    """Write each file of the backup under MEDIA_ROOT (files of the same name are replaced; other files are
    left where they are). Each file is written beside its target and moved into place."""
    root = Path(settings.MEDIA_ROOT).resolve()
    names = [name for name in manifest["members"] if name.startswith(MEDIA)]
    for name in names:
        target = (root / name[len(MEDIA) :]).resolve()
        if root not in target.parents:
            raise BackupError(f"{name} would be written outside MEDIA_ROOT.")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(work / name, partial)
        os.replace(partial, target)
    return len(names)


def backup_restore(
    *, path: Path, replace: bool = False, actor=None, progress: Progress = _quiet
) -> RestoreResult:
    """Bring back a backup into the configured database and MEDIA_ROOT, then compare the row counts.

    Everything is checked first: decryption, every member's checksum, the vendor, the migrations, and that
    the database holds no data unless `replace`. Raises BackupError, with nothing changed, when a check
    fails. The audit entry is written after the restore, into the restored database.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    with tempfile.TemporaryDirectory(prefix="kuzet-restore-") as folder:
        work = Path(folder)
        manifest = _verified_manifest(work, _extract(path, work))
        progress(f"Checked {path.name}: {len(manifest['members'])} members match their SHA-256.")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"The backup is of a {manifest['vendor']} database; this instance uses {connection.vendor}."
            )
        pending = _pending(manifest)
        replaced = existing_data()
        if replaced:
            held = ", ".join(f"{table}: {rows}" for table, rows in replaced.items())
            if not replace:
                raise BackupError(
                    f"The database {connection.settings_dict['NAME']} is not empty ({held}). "
                    "Run again with --yes to replace it by the backup."
                )
            progress(f"Replacing the database {connection.settings_dict['NAME']} ({held}).")
        dump = work / manifest["database"]
        (_restore_postgresql if manifest["vendor"] == "postgresql" else _restore_sqlite)(dump)
        progress(f"Database restored from {manifest['database']} of {manifest['created_at']}.")
        progress(f"Media: {_restore_media(work, manifest)} files written under {settings.MEDIA_ROOT}.")
    with connection.cursor() as cursor:
        now = table_counts(cursor, connection.vendor)
    expected = manifest["tables"]
    result = RestoreResult(manifest=manifest, replaced=replaced, counts=now, pending_migrations=pending)
    for table in sorted(set(expected) | set(now)):
        if expected.get(table, 0) != now.get(table, 0):
            result.differences[table] = (expected.get(table, 0), now.get(table, 0))
    audit_record(
        actor=actor,
        action="kuzet.backup.restored",
        data={
            "file": path.name,
            "created_at": manifest["created_at"],
            "replaced": replaced,
            "differences": {table: list(pair) for table, pair in result.differences.items()},
        },
    )
    return result
