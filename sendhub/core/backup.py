"""Backups: the database and the uploaded files in one archive, and restoring it into an empty database.

`sendhub backup` and `sendhub restore` (docs/backup.md) call `create_backup` and `restore_backup`.

An archive is one uncompressed tar file, `sendhub-backup-YYYYMMDDTHHMMSSZ.tar`, holding

- `database.sqlite3` (SQLite's online backup API: a consistent copy while sendhub runs) or
  `database.pgdump` (`pg_dump -Fc`, already compressed);
- `media/…`: every uploaded file under MEDIA_ROOT;
- `manifest.json`: the SHA-256 and size of the dump and of every file, the rows in every table, the
  latest migration of each app, the sendhub version and the database server's version.

The row counts come from the same snapshot as the dump (SQLite: counted in the copy; PostgreSQL:
`pg_dump --snapshot` of a REPEATABLE READ transaction that exports its snapshot and counts in it).
The database is dumped before the files are copied: uploads are never changed once written, so every
file a row refers to is already on disk when the files are read.

Restoring checks the whole archive first (member names, checksums, sizes), then that the target
database has no tables at all and that no uploaded file would be overwritten; only then does it
write, and finally it counts the rows again against the manifest. Nothing is written before every
check has passed, so a damaged archive or a wrong target loses nothing.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something a person must act on; the message says what and how."""


@dataclass
class RestoreReport:
    archive: Path
    tables: int
    rows: int
    files: int
    behind: dict[str, tuple[str, str]] = field(default_factory=dict)  # app: (in backup, in this code)


# database access ---------------------------------------------------------------------------------

def _vendor(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"sendhub backs up SQLite and PostgreSQL databases, not {engine}")


def _new_connection(settings_dict: dict):
    """A Django connection of its own to the database `settings_dict` describes (not the shared one),
    already connected; BackupError if the database cannot be reached."""
    from django.db import DatabaseError
    from django.db.utils import load_backend

    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), "sendhub_backup")
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(f"Cannot connect to the database {settings_dict.get('NAME')!r} ({error}). "
                          "Check DATABASE_URL; to restore, create the empty database first.") from error
    return connection


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = ANY (current_schemas(false)) "
                       "ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _row_counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _latest_migrations(cursor) -> dict[str, str]:
    """The last migration applied in each app, in the order they were applied."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
    return {app: name for app, name in cursor.fetchall()}


def _postgres_env(settings_dict: dict) -> dict[str, str]:
    """Connection details for pg_dump and pg_restore as PG* environment variables: the password never
    appears on a command line (where other users of the server could read it)."""
    from django.db.backends.postgresql.client import DatabaseClient

    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _postgres_tool(name: str, server_version: int) -> tuple[str, str]:
    """The path and version of pg_dump or pg_restore, refusing a client older than the server."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install Debian's postgresql-client-{server_version // 10000} "
                          "(the same major version as the database server)")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    match = re.search(r"(\d+)(?:\.(\d+))?", version)
    if match is None or int(match.group(1)) < server_version // 10000:
        raise BackupError(f"{version} is older than the database server ({server_version // 10000}): install "
                          f"postgresql-client-{server_version // 10000}")
    return path, version


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.stdout.strip()}")


# files ---------------------------------------------------------------------------------------------

class _HashingReader:
    """Reads a file once, for the archive, while computing its SHA-256 (so the checksum is of exactly
    the bytes archived)."""

    def __init__(self, stream):
        self.stream, self.sha256, self.size = stream, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file() and not path.is_symlink())


def safe_member_name(name: str) -> PurePosixPath:
    """An archive member's name as a relative path that stays inside the folder it is unpacked into,
    or BackupError: no absolute paths, no `..`, no backslashes or control characters."""
    path = PurePosixPath(name)
    if (not name or name.startswith("/") or "\\" in name or any(ord(c) < 32 for c in name)
            or any(part in {"", ".", ".."} for part in name.split("/"))):
        raise BackupError(f"The archive holds a file with an unsafe name, {name!r}: it is not a sendhub backup "
                          "or has been tampered with; nothing was restored")
    return path


# backup --------------------------------------------------------------------------------------------

def _dump_sqlite(connection, dump: Path) -> tuple[dict[str, int], dict[str, str], str]:
    """Copy the live database with SQLite's online backup API and count the rows in the copy."""
    if connection.in_atomic_block:
        raise BackupError("Back up outside a transaction: the copy would not include uncommitted changes")
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the live mode
        cursor = target.cursor()
        return _row_counts(cursor, "sqlite"), _latest_migrations(cursor), f"SQLite {sqlite3.sqlite_version}"
    finally:
        target.close()


def _dump_postgres(settings_dict: dict, dump: Path) -> tuple[dict[str, int], dict[str, str], str]:
    """pg_dump -Fc of a snapshot exported by our own REPEATABLE READ transaction, counted in the same."""
    connection = _new_connection(settings_dict)
    try:
        pg_dump, client = _postgres_tool("pg_dump", connection.pg_version)
        connection.set_autocommit(False)
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                 _postgres_env(settings_dict), "pg_dump")
            counts, migrations = _row_counts(cursor, "postgresql"), _latest_migrations(cursor)
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        connection.rollback()
        return counts, migrations, f"PostgreSQL {server}; {client}"
    finally:
        connection.close()


def sendhub_version() -> str:
    try:
        return metadata.version("sendhub")
    except metadata.PackageNotFoundError:
        return "unknown"


def archive_name(moment: datetime) -> str:
    return f"sendhub-backup-{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar"


def create_backup(*, output_dir: Path, media_root: Path, alias: str = "default",
                  now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Path:
    """Write one archive of the database and the uploaded files into `output_dir`; return its path.

    The archive appears under its final name only when complete (written as `.partial`, then
    renamed), readable by its owner only: it holds children's health records.
    """
    from django.db import connections

    connection = connections[alias]
    vendor = _vendor(connection.settings_dict)
    output_dir.mkdir(parents=True, exist_ok=True)
    moment = now()
    final = output_dir / archive_name(moment)
    if final.exists():
        raise BackupError(f"{final} already exists: wait a second and back up again")
    staging = Path(tempfile.mkdtemp(prefix=".sendhub-backup-", dir=output_dir))
    partial = final.with_name(final.name + ".partial")
    created = False
    try:
        dump = staging / DUMP_NAMES[vendor]
        if vendor == "sqlite":
            counts, migrations, server = _dump_sqlite(connection, dump)
        else:
            counts, migrations, server = _dump_postgres(connection.settings_dict, dump)
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as error:
            raise BackupError(f"Another backup is being written to {partial}: wait for it to finish") from error
        created = True
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            files = {DUMP_NAMES[vendor]: _add(tar, dump, DUMP_NAMES[vendor])}
            for path in _media_files(media_root):
                name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                files[name] = _add(tar, path, name)
            manifest = {
                "format": FORMAT,
                "created_at": moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
                "sendhub_version": sendhub_version(),
                "database": {"vendor": vendor, "file": DUMP_NAMES[vendor], "server": server},
                "migrations": dict(sorted(migrations.items())),
                "tables": counts,
                "files": files,
            }
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(moment.timestamp()), 0o600
            tar.addfile(info, _BytesReader(body))
        os.replace(partial, final)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            partial.unlink(missing_ok=True)  # gone already if the archive was completed


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset:end], min(end, len(self.data))
        return chunk


def _add(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    stat = path.stat()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
    with path.open("rb") as stream:
        reader = _HashingReader(stream)
        tar.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "bytes": reader.size}


# restore -------------------------------------------------------------------------------------------

def read_archive(archive: Path, staging: Path) -> dict:
    """Check every member of the archive and unpack it into `staging`; return the manifest.

    Refuses (BackupError, listing each problem) an archive with anything but regular files, unsafe or
    unexpected names, or a file whose size or SHA-256 differs from the manifest.
    """
    try:
        tar = tarfile.open(archive, mode="r:")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive} is not a readable sendhub backup ({error}); nothing was restored") from error
    with tar:
        try:
            members = tar.getmembers()
        except tarfile.TarError as error:
            raise BackupError(f"{archive} is damaged ({error}); nothing was restored") from error
        names = [member.name for member in members]
        for member in members:
            safe_member_name(member.name)
            if not member.isreg():
                raise BackupError(f"The archive holds {member.name!r}, which is not a plain file: it is not a "
                                  "sendhub backup or has been tampered with; nothing was restored")
        if len(set(names)) != len(names):
            raise BackupError("The archive holds the same file twice: it has been tampered with; nothing was restored")
        if MANIFEST not in names:
            raise BackupError(f"{archive} has no {MANIFEST}: it is not a sendhub backup; nothing was restored")
        try:
            manifest = json.loads(tar.extractfile(MANIFEST).read())
            expected = manifest["files"]
            vendor = manifest["database"]["vendor"]
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(f"The archive's {MANIFEST} cannot be read ({error}); nothing was restored") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(f"This backup's format ({manifest.get('format')}) is not one this sendhub reads ({FORMAT})")
        problems = []
        present = set(names) - {MANIFEST}
        for name in sorted(present - set(expected)):
            problems.append(f"{name} is in the archive but not in the manifest")
        for name in sorted(set(expected) - present):
            problems.append(f"{name} is in the manifest but missing from the archive")
        if DUMP_NAMES.get(vendor) not in expected:
            problems.append("the database dump is missing")
        for name in sorted(set(expected) & present):
            relative = safe_member_name(name)
            if name != DUMP_NAMES.get(vendor) and relative.parts[0] != MEDIA:
                problems.append(f"{name} is neither the database nor an uploaded file")
                continue
            target = staging.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            digest, size = hashlib.sha256(), 0
            with tar.extractfile(name) as source, target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[name].get("sha256") or size != expected[name].get("bytes"):
                problems.append(f"{name} does not match its checksum")
        if problems:
            raise BackupError("The archive is damaged, nothing was restored:\n  " + "\n  ".join(problems))
    return manifest


def _require_empty(settings_dict: dict, vendor: str) -> None:
    """Restore only into a database with no tables at all: not migrated, no rows. `pg_restore` and
    the SQLite copy recreate the schema (with its triggers and migration history) exactly as it was
    backed up, so a migrated database would clash, and a database with rows would lose them."""
    if vendor == "sqlite":
        name = str(settings_dict["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise BackupError("Restore needs a SQLite database file, not an in-memory database")
        if not Path(name).exists():
            return
        with sqlite3.connect(f"file:{name}?mode=ro", uri=True) as probe:
            tables = _tables(probe.cursor(), vendor)
        probe.close()
    else:
        connection = _new_connection(settings_dict)
        try:
            with connection.cursor() as cursor:
                tables = _tables(cursor, vendor)
        finally:
            connection.close()
    if tables:
        migrated = "django_migrations" in tables
        raise BackupError(
            f"The database {settings_dict['NAME']} is not empty: it has {len(tables)} tables"
            f"{' and migrations applied' if migrated else ''}. sendhub restores only into a new, empty "
            "database (do not run `sendhub migrate` on it first), so that nothing in it is lost or mixed "
            "with the backup. Create one and point DATABASE_URL at it (docs/backup.md).")


def _restore_postgres(settings_dict: dict, dump: Path) -> None:
    connection = _new_connection(settings_dict)
    try:
        pg_restore, _ = _postgres_tool("pg_restore", connection.pg_version)
    finally:
        connection.close()
    # One transaction: if anything fails the database is left empty, as it was. Grants are left out
    # (the backup's roles may not exist here): apply `sendhub db_role_sql` afterwards.
    _run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={settings_dict['NAME']}", str(dump)], _postgres_env(settings_dict), "pg_restore")


def _restore_sqlite(settings_dict: dict, dump: Path) -> None:
    target = Path(settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    source, destination = sqlite3.connect(dump), sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        source.close()
        destination.close()


def _count_restored(settings_dict: dict, vendor: str) -> tuple[dict[str, int], dict[str, str]]:
    if vendor == "sqlite":
        connection = sqlite3.connect(settings_dict["NAME"])
        try:
            cursor = connection.cursor()
            return _row_counts(cursor, vendor), _latest_migrations(cursor)
        finally:
            connection.close()
    connection = _new_connection(settings_dict)
    try:
        with connection.cursor() as cursor:
            return _row_counts(cursor, vendor), _latest_migrations(cursor)
    finally:
        connection.close()


def _migrations_in_code() -> dict[str, str]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {app: name for app, name in loader.graph.leaf_nodes()}


def restore_backup(*, archive: Path, settings_dict: dict, media_root: Path) -> RestoreReport:
    """Restore `archive` into the empty database `settings_dict` describes and its files into
    `media_root`, then check every table's rows against the manifest."""
    vendor = _vendor(settings_dict)
    if not archive.is_file():
        raise BackupError(f"There is no backup file at {archive}")
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside MEDIA_ROOT so that moving the files into place is a rename on the same disk.
    staging = Path(tempfile.mkdtemp(prefix=".sendhub-restore-", dir=media_root.parent))
    try:
        manifest = read_archive(archive, staging)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(f"This is a backup of a {manifest['database']['vendor']} database; the database "
                              f"to restore into is {vendor}. Restore it into the same kind of database.")
        _require_empty(settings_dict, vendor)
        media = [name for name in manifest["files"] if PurePosixPath(name).parts[0] == MEDIA]
        clashes = []
        for name in media:
            target = media_root.joinpath(*PurePosixPath(name).parts[1:])
            if target.exists() and _sha256(target) != manifest["files"][name]["sha256"]:
                clashes.append(str(target))
        if clashes:
            raise BackupError("These uploaded files already exist with other contents, so nothing was restored "
                              "(restore into an empty MEDIA_ROOT):\n  " + "\n  ".join(clashes))

        dump = staging / DUMP_NAMES[vendor]  # the name read_archive checked, not one the manifest gives
        if vendor == "sqlite":
            _restore_sqlite(settings_dict, dump)
        else:
            _restore_postgres(settings_dict, dump)
        for name in media:
            parts = PurePosixPath(name).parts[1:]
            target = media_root.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging.joinpath(MEDIA, *parts), target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    counts, migrations = _count_restored(settings_dict, vendor)
    differences = [f"{table}: {counts.get(table, 'missing')} rows, the backup had {rows}"
                   for table, rows in manifest["tables"].items() if counts.get(table) != rows]
    differences += [f"{table}: not in the backup" for table in counts if table not in manifest["tables"]]
    if migrations != manifest["migrations"]:
        differences.append("the migration history differs from the backup's")
    missing = [name for name in media if not media_root.joinpath(*PurePosixPath(name).parts[1:]).is_file()]
    differences += [f"{name}: not restored" for name in missing]
    if differences:
        raise BackupError("The restored database does not match the backup:\n  " + "\n  ".join(differences))
    code = _migrations_in_code()
    behind = {app: (migrations.get(app, "none"), latest) for app, latest in code.items()
              if migrations.get(app) != latest}
    return RestoreReport(archive=archive, tables=len(counts), rows=sum(counts.values()), files=len(media),
                         behind=behind)
