"""`sendhub published-figures import DIR-or-ZIP`: the DfE's published EHC plan statistics, for the dashboard."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sendhub.sen2 import services
from sendhub.sen2.published import FileRefused


class Command(BaseCommand):
    help = "Load the DfE 'Education, health and care plans' release files (a folder or a ZIP) for the dashboard."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Load the release's CSV files and statistical_neighbours.csv")
        imp.add_argument("path", help="A folder or ZIP of the release's CSV files")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            lines = services.import_published(path=path)
        except FileRefused as error:
            self.stderr.write("Nothing was loaded:")
            for line in str(error).splitlines():
                self.stderr.write(f"- {line}")
            sys.exit(1)
        for line in lines:
            self.stdout.write(line)
