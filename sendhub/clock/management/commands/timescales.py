"""`sendhub timescales [FILE]`: the statutory clock as a command (contract: timescales.md)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sendhub.clock.command import EXIT_OK, run


class Command(BaseCommand):
    """Thin wrapper so the exit code and the single stderr line are exactly the pure `run`'s,
    not Django's CommandError format."""

    help = (
        "Read cases as JSON from FILE (or standard input) and write every statutory deadline"
        " and its status as JSON. Exit 2 with one line on stderr for invalid input."
    )
    requires_system_checks: list[str] = []  # a pure calculation: no models, no database
    stealth_options = ("stdin",)  # call_command(..., stdin=StringIO(...)) in tests

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="JSON request file; '-' or absent: stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        code = run(options.get("file"), options.get("stdin") or sys.stdin, self.stdout, self.stderr)
        if code != EXIT_OK:
            self.stdout.flush()
            self.stderr.flush()
            sys.exit(code)
