from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from sendhub.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Back up the database and the uploaded files into one archive, "
            "sendhub-backup-YYYYMMDDTHHMMSSZ.tar (docs/backup.md). It holds children's health records: "
            "keep it encrypted and off this server.")

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, default=settings.VAR_DIR / "backups",
                            help="Where to write the archive (default: var/backups)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output_dir: Path, database: str, **options):
        try:
            archive = create_backup(output_dir=output_dir, media_root=Path(settings.MEDIA_ROOT), alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
