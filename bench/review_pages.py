"""Time the review priority list, a school's review list and the timeliness figures on the demo area.

    .venv/bin/python bench/review_pages.py [--scale kirklees|N] [--database sqlite:////tmp/x.sqlite3]

Builds the demo area in a throwaway SQLite database (or uses DATABASE_URL if it is already loaded),
then prints, for each page's selector, the number of open reviews, the time (best of 3) and the
number of SQL queries. The pages add pagination and template rendering on top of these figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _django import start_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="kirklees")
    parser.add_argument("--database", default="")
    args = parser.parse_args()
    start_django(args.database)
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.utils import timezone

    from sendhub.accounts.models import User
    from sendhub.demo.area import demo_email
    from sendhub.people.models import Child
    from sendhub.people.selectors import children_visible_to
    from sendhub.reviews import selectors
    from sendhub.reviews.priority import Weights

    if not Child.objects.exists():
        started = time.perf_counter()
        call_command("demo", "--scale", args.scale, "--seed", "1", "--quiet")
        print(f"demo ({args.scale}) built in {time.perf_counter() - started:.1f} s")
    caseworker = User.objects.get(email=demo_email("caseworker"))
    senco = User.objects.get(email=demo_email("senco"))
    today = timezone.localdate()
    children = children_visible_to(caseworker)

    def timed(label, fn):
        best, count, rows = None, 0, None
        for _ in range(3):
            reset_queries()
            started = time.perf_counter()
            rows = fn()
            elapsed = time.perf_counter() - started
            count = len(connection.queries)
            best = elapsed if best is None else min(best, elapsed)
        print(f"{label:<48} {len(rows):>6} rows  {best * 1000:>8.0f} ms  {count:>3} queries")

    from django.conf import settings
    settings.DEBUG = True  # record queries
    timed("priority list, whole council", lambda: selectors.priority_queue(children, Weights()))
    timed("school review list (demo SENCO's school)", lambda: selectors.school_reviews(senco.organisation))
    timed("timeliness figures, last 12 months", lambda: selectors.timeliness(
        children, since=today.replace(year=today.year - 1), until=today))


if __name__ == "__main__":
    main()
