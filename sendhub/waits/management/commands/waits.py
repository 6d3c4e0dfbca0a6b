"""Django entry point for `sendhub waits estimate ...`; all the work is in `sendhub.waits.command`."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sendhub.waits.command import run

# Django's own options, already acted on by the management utility before the command runs.
_DJANGO_VALUED = ("--settings", "--pythonpath", "--verbosity", "-v")
_DJANGO_FLAGS = ("--traceback", "--no-color", "--force-color", "--skip-checks")


def _without_django_options(argv: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _DJANGO_VALUED:
            skip = True
        elif arg in _DJANGO_FLAGS or arg.startswith(tuple(f"{o}=" for o in _DJANGO_VALUED)):
            continue
        else:
            out.append(arg)
    return out


class Command(BaseCommand):
    help = "Waiting-list positions and wait estimates from a referral history (see docs/waits-estimator.md)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        estimate = actions.add_parser("estimate", help="estimate first-appointment dates for everyone waiting")
        estimate.add_argument("--history", help="referral history CSV (contract: shared/contracts/waits.md)")
        estimate.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD: the date the history was taken")
        estimate.add_argument("--format", dest="fmt", default="csv", help="csv (default) or json")

    def run_from_argv(self, argv: list[str]) -> None:
        """From the command line, hand the raw arguments to `run` so every mistake is one stderr line."""
        rest = argv[2:]
        if rest and rest[0] == "estimate" and not {"-h", "--help"} & set(rest):
            code = run(_without_django_options(rest), sys.stdout, sys.stderr)
            if code:
                sys.exit(code)
            return
        super().run_from_argv(argv)

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [options["action"]]
        for name, flag in (("history", "--history"), ("as_of", "--as-of"), ("fmt", "--format")):
            if options.get(name) is not None:
                argv += [flag, str(options[name])]
        code = run(argv, self.stdout, self.stderr)
        if code:
            sys.exit(code)
