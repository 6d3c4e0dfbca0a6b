"""Start Django for a benchmark: the database named by --database or DATABASE_URL, or a throwaway SQLite
file; DEBUG on (the demo needs it and query counts are recorded); migrations applied."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def start_django(database: str = "") -> None:
    if database:
        os.environ["DATABASE_URL"] = database
    elif "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendhub.settings")
    os.environ["DEBUG"] = "true"
    os.environ["SENDHUB_DEMO"] = "1"  # a throwaway database: the demo commands may load it
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
