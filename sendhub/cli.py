"""The `sendhub` console script: Django's management commands with sendhub's settings."""

import os
import sys

# Commands that are pure functions of their input and need no database: they skip Django's
# start-up, which would otherwise be half the run time of `sendhub timescales` on 10,000 cases.
# The same commands also run through Django (`python -m django timescales`), with the same code.
PURE_COMMANDS = {"timescales": "sendhub.clock.command"}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in PURE_COMMANDS and not any(a.startswith("--settings") for a in args):
        from importlib import import_module

        sys.exit(import_module(PURE_COMMANDS[args[0]]).main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendhub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sendhub", *args])


if __name__ == "__main__":
    main()
