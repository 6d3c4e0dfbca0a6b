from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from sendhub.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restore a `sendhub backup` archive into a new, EMPTY database (no tables: do not migrate it "
            "first) and MEDIA_ROOT. Checks the archive's checksums before writing anything and the rows "
            "of every table afterwards (docs/backup.md).")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="sendhub-backup-….tar")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, archive: Path, database: str, **options):
        connection = connections[database]
        connection.close()  # restore opens its own connections; this one must not hold the file open
        try:
            report = restore_backup(archive=archive, settings_dict=connection.settings_dict,
                                    media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {report.archive.name}: {report.rows:,} rows in {report.tables} tables and "
                          f"{report.files:,} uploaded files, all matching the backup's manifest.")
        if report.behind:
            self.stdout.write("The backup is from another version of sendhub; run `sendhub migrate` next. "
                              "Latest migrations (backup → this code):")
            for app, (backup, code) in sorted(report.behind.items()):
                self.stdout.write(f"  {app}: {backup} → {code}")
        if connection.vendor == "postgresql":
            self.stdout.write("Then give the application's database role its privileges again: "
                              "`sendhub db_role_sql --app-role ROLE | psql` (docs/database.md).")
