"""Time daily pages through the full Django stack (sessions, middleware, templates): p50/p95 and SQL queries.

    .venv/bin/python bench/pages.py [--scale kirklees|N] [--database URL] [--warmup 2] [--repeat 12]

Builds the demo area in a throwaway SQLite database (or uses DATABASE_URL / --database if it is already
loaded), signs in the demo caseworker and team manager with Django's test client, then requests each page
--warmup times untimed and --repeat times timed. Prints p50, p95 and the SQL queries of the last request, beside
a static page of the app measured in the same run. The figures in README.md's "Performance" come from here.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _django import start_django  # noqa: E402

PAGES = [
    ("a static page of the app (baseline)", "caseworker", "/accessibility"),
    ("caseworker: Deadlines", "caseworker", "/deadlines/"),
    ("caseworker: Deadlines, every open case, page 20", "caseworker", "/deadlines/?show=all&caseworker=&page=20"),
    ("caseworker: Deadlines, overdue only", "caseworker", "/deadlines/?show=overdue&caseworker="),
    ("team manager: Review priorities", "team_manager", "/reviews/priority/"),
    ("team manager: Review priorities, page 20", "team_manager", "/reviews/priority/?page=20"),
    ("team manager: Review priorities, moving phase", "team_manager", "/reviews/priority/?reason=Moving+phase"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="kirklees")
    parser.add_argument("--database", default="")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=12)
    args = parser.parse_args()
    start_django(args.database)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from sendhub.accounts.models import User
    from sendhub.conftest import signed_in_client
    from sendhub.demo.area import demo_email
    from sendhub.people.models import Child
    from sendhub.plans.models import EHCPlan

    settings.ALLOWED_HOSTS = ["*"]
    if not Child.objects.exists():
        started = time.perf_counter()
        call_command("demo", "--scale", args.scale, "--seed", "1", "--quiet")
        print(f"demo ({args.scale}) built in {time.perf_counter() - started:.1f} s")
    print(f"{connection.vendor}: {Child.objects.count():,} children, {EHCPlan.objects.count():,} plans")
    try:
        from sendhub.clock.models import OpenCase
    except ImportError:  # before the deadlines projection (for "before" figures)
        OpenCase = None
    if OpenCase is not None and not OpenCase.objects.exists():
        started = time.perf_counter()
        call_command("rebuild_deadlines")
        print(f"deadlines projection rebuilt in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have done by now after a bulk load
    logging.disable(logging.INFO)  # one log line per request would drown the table
    clients = {role: signed_in_client(User.objects.get(email=demo_email(role))) for role in ("caseworker", "team_manager")}
    print(f"{'page':<52} {'p50':>8} {'p95':>8} {'queries':>8}")
    for label, role, url in PAGES:
        client = clients[role]
        for _ in range(args.warmup):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.repeat):
            reset_queries()
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, url
        queries = len(connection.queries)
        print(f"{label:<52} {statistics.median(times) * 1000:>6.1f}ms {percentile(times, 0.95) * 1000:>6.1f}ms "
              f"{queries:>8}")


if __name__ == "__main__":
    main()
