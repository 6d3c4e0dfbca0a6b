"""Backup and restore (issue 13): every row and every uploaded file comes back, on SQLite and PostgreSQL.

The SQLite round trip always runs, through the real `sendhub` commands in child processes against
database files (so it runs whatever database the suite itself uses). The PostgreSQL round trip runs
when the suite runs on PostgreSQL: it backs up the test database and restores into a database of its
own on the same server, dropped afterwards. Damaged and hostile archives are refused before anything
is written.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection

from sendhub.core.append_only import append_only_tables
from sendhub.core.backup import BackupError, _row_counts, create_backup, read_archive, restore_backup

ROOT = Path(__file__).resolve().parents[3]
SQLITE = {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {}}


def sendhub(*args: str, var_dir: Path) -> str:
    """Run `sendhub ARGS` (or `python -m MODULE`) as an operator would, on a SQLite file in var_dir."""
    env = {**os.environ, "DEBUG": "true", "SENDHUB_VAR_DIR": str(var_dir),
           "DATABASE_URL": f"sqlite:///{var_dir / 'sendhub.sqlite3'}", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", *args] if args[0].startswith("sendhub.core") else [
        sys.executable, "-m", "sendhub.cli", *args]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        counts = _row_counts(db.cursor(), "sqlite")
    db.close()
    return counts


def tree(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def assert_everything_came_back(before: dict[str, int], after: dict[str, int], media: dict[str, str],
                                restored_media: dict[str, str]) -> None:
    assert after == before
    assert before["audit_auditevent"] >= 5 and before["people_child"] > 100 and before["waits_referral"] > 100
    assert before["assessments_evidencedocument"] >= 2 and before["portal_allaboutmepicture"] >= 1
    assert len(media) >= 3 and restored_media == media


def test_sqlite_round_trip_through_the_commands(tmp_path):
    source, target = tmp_path / "live", tmp_path / "restored"
    sendhub("migrate", "-v0", var_dir=source)
    sendhub("sendhub.core.tests.backup_data", var_dir=source)
    archive = Path(sendhub("backup", "--output-dir", str(tmp_path / "backups"), var_dir=source).strip())
    assert archive.parent == tmp_path / "backups" and archive.name.startswith("sendhub-backup-")
    assert archive.stat().st_mode & 0o077 == 0  # children's records: readable by its owner only

    manifest = json.loads(tarfile.open(archive).extractfile("manifest.json").read())
    before = sqlite_counts(source / "sendhub.sqlite3")
    assert manifest["tables"] == before
    assert manifest["database"]["vendor"] == "sqlite" and manifest["migrations"]["audit"] == "0004_refuse_deletes"
    media = tree(source / "media")
    assert {name.removeprefix("media/"): entry["sha256"] for name, entry in manifest["files"].items()
            if name.startswith("media/")} == media

    output = sendhub("restore", str(archive), var_dir=target)
    assert "all matching the backup's manifest" in output and "sendhub migrate" not in output
    assert_everything_came_back(before, sqlite_counts(target / "sendhub.sqlite3"), media, tree(target / "media"))
    with sqlite3.connect(target / "sendhub.sqlite3") as db:
        triggers = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        for table in append_only_tables():
            assert {f"{table}_append_only", f"{table}_no_delete"} <= triggers
        with pytest.raises(sqlite3.DatabaseError):  # the triggers work in the restored copy
            db.execute("DELETE FROM audit_auditevent")
    db.close()

    # Restoring again into the now full database is refused, and changes nothing.
    result = subprocess.run([sys.executable, "-m", "sendhub.cli", "restore", str(archive)], cwd=ROOT,
                            capture_output=True, text=True,
                            env={**os.environ, "DEBUG": "true", "SENDHUB_VAR_DIR": str(target), "PYTHONPATH": str(ROOT),
                                 "DATABASE_URL": f"sqlite:///{target / 'sendhub.sqlite3'}"})
    assert result.returncode != 0 and "is not empty" in result.stderr and "migrations applied" in result.stderr
    assert sqlite_counts(target / "sendhub.sqlite3") == before

    # A damaged copy of the real archive is refused before anything is written.
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as tar:
        offset = next(member.offset_data for member in tar if member.name.endswith(".pdf"))
    data = bytearray(archive.read_bytes())
    data[offset + 3] ^= 0xFF
    damaged.write_bytes(bytes(data))
    elsewhere = tmp_path / "elsewhere"
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(archive=damaged, settings_dict={**SQLITE, "NAME": elsewhere / "db.sqlite3"},
                       media_root=elsewhere / "media")
    assert not (elsewhere / "db.sqlite3").exists() and not (elsewhere / "media").exists()
    assert [path.name for path in elsewhere.iterdir()] == []  # its unpacking folder is gone too


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the suite runs on SQLite: PostgreSQL round trip not run")
@pytest.mark.django_db(transaction=True)  # pg_dump, in another process, must see the rows
def test_postgresql_round_trip(tmp_path):
    from sendhub.core.tests.backup_data import populate

    populate()
    archive = create_backup(output_dir=tmp_path / "backups", media_root=Path(settings.MEDIA_ROOT))
    with connection.cursor() as cursor:
        before = _row_counts(cursor, "postgresql")
    media = tree(Path(settings.MEDIA_ROOT))
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    target = {**connection.settings_dict, "NAME": name}
    try:
        report = restore_backup(archive=archive, settings_dict=target, media_root=tmp_path / "restored-media")
        assert report.behind == {} and report.files == len(media)
        from sendhub.core.backup import _new_connection

        restored = _new_connection(target)
        try:
            with restored.cursor() as cursor:
                after = _row_counts(cursor, "postgresql")
                cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
                triggers = set(cursor.fetchall())
            for table in append_only_tables():
                for suffix in ("append_only", "no_delete", "no_truncate"):
                    assert (table, f"{table}_{suffix}") in triggers
            restored.set_autocommit(True)
            with pytest.raises(DatabaseError, match="append-only"), restored.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditevent")
            with pytest.raises(DatabaseError, match="append-only"), restored.cursor() as cursor:
                cursor.execute("TRUNCATE clock_statutoryevent CASCADE")
        finally:
            restored.close()
        assert_everything_came_back(before, after, media, tree(tmp_path / "restored-media"))
        with pytest.raises(BackupError, match="is not empty"):
            restore_backup(archive=archive, settings_dict=target, media_root=tmp_path / "again")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# archives made by hand: what restore refuses -----------------------------------------------------

def make_archive(path: Path, members: dict[str, bytes], manifest_files: dict | None = None, extra=None,
                 vendor: str = "sqlite") -> Path:
    files = {name: {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)} for name, body in members.items()}
    dump = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[vendor]
    manifest = {"format": 1, "database": {"vendor": vendor, "file": dump}, "migrations": {},
                "tables": {}, "files": manifest_files if manifest_files is not None else files}
    with tarfile.open(path, "w") as tar:
        for name, body in {**members, "manifest.json": json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        for info in extra or []:
            tar.addfile(info)
    return path


PDF_BYTES = b"%PDF-1.7"
GOOD = {"database.sqlite3": b"SQLite format 3\x00", "media/evidence/a.pdf": PDF_BYTES}


def test_a_well_formed_archive_is_unpacked(tmp_path):
    manifest = read_archive(make_archive(tmp_path / "a.tar", GOOD), tmp_path / "out")
    assert set(manifest["files"]) == set(GOOD)
    assert (tmp_path / "out" / "media" / "evidence" / "a.pdf").read_bytes() == PDF_BYTES


@pytest.mark.parametrize("name", ["../evil.pdf", "media/../../evil.pdf", "/etc/evil", "media\\..\\evil",
                                  "media//evil.pdf", "media/./evil.pdf"])
def test_unsafe_member_names_are_refused(tmp_path, name):
    archive = make_archive(tmp_path / "a.tar", {**GOOD, name: b"x"})
    with pytest.raises(BackupError, match="unsafe name"):
        read_archive(archive, tmp_path / "out")
    assert not (tmp_path / "evil.pdf").exists()


def test_links_and_unlisted_files_are_refused(tmp_path):
    link = tarfile.TarInfo("media/passwd")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    with pytest.raises(BackupError, match="not a plain file"):
        read_archive(make_archive(tmp_path / "a.tar", GOOD, extra=[link]), tmp_path / "out")
    files = {name: {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)} for name, body in GOOD.items()}
    with pytest.raises(BackupError, match="not in the manifest"):
        read_archive(make_archive(tmp_path / "b.tar", {**GOOD, "media/extra.pdf": b"x"}, files), tmp_path / "out2")
    with pytest.raises(BackupError, match="missing from the archive"):
        read_archive(make_archive(tmp_path / "c.tar", GOOD, {**files, "media/gone.pdf": files["database.sqlite3"]}),
                     tmp_path / "out3")
    with pytest.raises(BackupError, match="neither the database nor an uploaded file"):
        read_archive(make_archive(tmp_path / "d.tar", {**GOOD, "settings.py": b"x"}), tmp_path / "out4")


def test_a_changed_file_and_a_truncated_archive_are_refused(tmp_path):
    files = {name: {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)} for name, body in GOOD.items()}
    changed = {**GOOD, "media/evidence/a.pdf": b"%PDF-1.8"}
    with pytest.raises(BackupError, match="a.pdf does not match its checksum"):
        read_archive(make_archive(tmp_path / "a.tar", changed, files), tmp_path / "out")
    archive = make_archive(tmp_path / "b.tar", GOOD)
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[:700])
    with pytest.raises(BackupError, match="nothing was restored"):
        read_archive(truncated, tmp_path / "out2")
    not_a_tar = tmp_path / "notes.tar"
    not_a_tar.write_text("hello")
    with pytest.raises(BackupError, match="not a readable sendhub backup"):
        read_archive(not_a_tar, tmp_path / "out3")


def test_restore_refuses_another_kind_of_database_and_existing_files(tmp_path):
    archive = make_archive(tmp_path / "a.tar", GOOD)
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "never_reached", "OPTIONS": {}}
    with pytest.raises(BackupError, match="backup of a sqlite database; the database to restore into is postgresql"):
        restore_backup(archive=archive, settings_dict=postgres, media_root=tmp_path / "media")
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "a.pdf").write_bytes(b"someone else's file")
    with pytest.raises(BackupError, match="already exist with other contents"):
        restore_backup(archive=archive, settings_dict={**SQLITE, "NAME": tmp_path / "db.sqlite3"},
                       media_root=tmp_path / "media")
    assert (tmp_path / "media" / "evidence" / "a.pdf").read_bytes() == b"someone else's file"
    assert not (tmp_path / "db.sqlite3").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.tar", "media"]



@pytest.mark.skipif(connection.vendor != "postgresql", reason="the suite runs on SQLite")
@pytest.mark.django_db
def test_restore_into_a_database_that_does_not_exist_says_so(tmp_path):
    archive = make_archive(tmp_path / "a.tar", {"database.pgdump": b"PGDMP"}, vendor="postgresql")
    target = {**connection.settings_dict, "NAME": f"sendhub_missing_{uuid.uuid4().hex[:8]}"}
    with pytest.raises(BackupError, match="Cannot connect to the database"):
        restore_backup(archive=archive, settings_dict=target, media_root=tmp_path / "media")


@pytest.mark.django_db(transaction=True)
def test_a_backup_that_fails_half_way_leaves_nothing_behind(tmp_path, monkeypatch):
    from sendhub.core import backup

    def disk_full(root):
        raise OSError("No space left on device")

    monkeypatch.setattr(backup, "_media_files", disk_full)
    with pytest.raises(OSError, match="No space left"):
        create_backup(output_dir=tmp_path / "backups", media_root=tmp_path / "media")
    assert list((tmp_path / "backups").iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_backup_never_overwrites_another(tmp_path):
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 1, 2, 15, tzinfo=UTC)
    other = tmp_path / "sendhub-backup-20261201T021500Z.tar.partial"
    other.write_bytes(b"another backup, still being written")
    with pytest.raises(BackupError, match="Another backup is being written"):
        create_backup(output_dir=tmp_path, media_root=tmp_path / "media", now=lambda: moment)
    assert other.read_bytes() == b"another backup, still being written"
    assert sorted(path.name for path in tmp_path.iterdir()) == [other.name]
    other.rename(tmp_path / "sendhub-backup-20261201T021500Z.tar")
    with pytest.raises(BackupError, match="already exists"):
        create_backup(output_dir=tmp_path, media_root=tmp_path / "media", now=lambda: moment)
