"""`sendhub sen2 export|check|import`: the SEN2 return from the case record, its checks, and onboarding from one."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sendhub.sen2 import checks, selectors, services
from sendhub.sen2.importer import read_path
from sendhub.sen2.spec import ReadError


def _census(value: str | None) -> date:
    if not value:
        return selectors.default_census(timezone.localdate())
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--census-date must be a date like 2026-01-15, not {value!r}") from error


class Command(BaseCommand):
    help = "Export the SEN2 return from the case record, check it, or import a council's last SEN2 return."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write the person-level return for a council")
        export.add_argument("--census-date", help="YYYY-MM-DD (default: this year's third Thursday of January)")
        export.add_argument("--format", choices=services.FORMATS, default="xml",
                            help="xml (for COLLECT) or csv (a ZIP of the COLLECT CSV tables)")
        export.add_argument("--council", help="The council's LA code (needed when there is more than one)")
        export.add_argument("--output", "-o", help="File to write (default: standard output, XML only)")
        check = sub.add_parser("check", help="Run the checks on the return built from the record")
        check.add_argument("--census-date")
        check.add_argument("--council")
        imp = sub.add_parser("import", help="Load a council's people, requests, assessments and plans from a return")
        imp.add_argument("file", help="The SEN2 XML file, a ZIP of the COLLECT CSV tables, or a folder of them")
        imp.add_argument("--council-name", default="", help="Name for the council if it is not in sendhub yet")

    def handle(self, *args, **options):
        action = options["action"]
        try:
            if action == "import":
                return self._import(options)
            council = selectors.council_by_code(options.get("council"))
        except LookupError as error:
            raise CommandError(str(error)) from error
        census = _census(options.get("census_date"))
        if action == "check":
            _, problems = selectors.checked_return(council, census)
            for problem in problems:
                self.stdout.write(f"{problem.severity}: {problem.line()} [{problem.rule}]")
            errors = sum(1 for p in problems if p.severity == checks.ERROR)
            self.stderr.write(f"{errors} error(s), {len(problems) - errors} query(ies)")
            if errors:
                sys.exit(1)
            return
        if options["format"] == "csv" and not options.get("output"):
            raise CommandError("--format csv writes a ZIP of tables: give --output FILE.zip")
        content, name, _ = services.export_return(actor=None, local_authority=council, census=census,
                                                  fmt=options["format"], generated_at=timezone.now())
        if options.get("output"):
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"Wrote {options['output']} ({len(content):,} bytes)")
        else:
            self.stdout.flush()
            sys.stdout.buffer.write(content)

    def _import(self, options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            header, raw = read_path(path)
        except (ReadError, UnicodeDecodeError) as error:
            raise CommandError(f"{path.name}: {error}") from error
        report = services.import_file(header=header, raw=raw, file_name=path.name,
                                      council_name=options.get("council_name", ""))
        for line in report.lines():
            (self.stdout if report.ok else self.stderr).write(line)
        if not report.ok:
            sys.exit(1)
