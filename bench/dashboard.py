"""Time the partnership dashboard: computing the snapshot, and rendering the pages from it.

    .venv/bin/python bench/dashboard.py [--scale kirklees|N] [--database sqlite:////tmp/x.sqlite3] [--repeat 5]

Builds the demo area in a throwaway SQLite database (or uses DATABASE_URL / --database if it is
already loaded), computes the snapshot once (timed) and draws the default charts (timed), then requests
each page through Django's test client as the demo leader, caseworker and a member of the public:
first "cold" (this process's memory emptied: cells read from the database, charts from the shared store
if the refresh drew them, otherwise drawn by vl-convert now) and then warm (best and median of --repeat).
Then it does the same on a snapshot of national size (--areas councils). Prints one line per page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _django import start_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="kirklees")
    parser.add_argument("--database", default="")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--areas", type=int, default=153,
                        help="Also time the pages on a snapshot whose cells are the borough's copied to this many "
                             "councils (the national demo has 153); 0 to skip")
    args = parser.parse_args()
    start_django(args.database)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from sendhub.accounts.models import User
    from sendhub.conftest import signed_in_client
    from sendhub.dashboard.models import DashboardSnapshot
    from sendhub.dashboard.services import prerender_charts, refresh_snapshot
    from sendhub.demo.area import demo_email
    from sendhub.people.models import Child
    from sendhub.plans.models import EHCPlan

    settings.ALLOWED_HOSTS = ["*"]
    if not Child.objects.exists():
        started = time.perf_counter()
        call_command("demo", "--scale", args.scale, "--seed", "1", "--quiet")
        print(f"demo ({args.scale}) built in {time.perf_counter() - started:.1f} s")
    print(f"{Child.objects.count():,} children, {EHCPlan.objects.count():,} plans")

    started = time.perf_counter()
    snap = refresh_snapshot(prerender=False)
    computed = time.perf_counter() - started
    started = time.perf_counter()
    drawn = prerender_charts(snapshot=snap)
    print(f"snapshot computed and stored in {computed:.1f} s ({snap.cells.count():,} cells, "
          f"{len(snap.data['waits'])} waiting lists); {drawn} default charts newly drawn in {time.perf_counter() - started:.1f} s")
    assert DashboardSnapshot.objects.count() >= 1

    leader = signed_in_client(User.objects.get(email=demo_email("partnership_leader")))
    caseworker = signed_in_client(User.objects.get(email=demo_email("caseworker")))
    public = Client()
    time_pages(leader, caseworker, public, args.repeat, "measured snapshot")
    if args.areas > 1:
        simulate_areas(snap, args.areas)
        time_pages(leader, caseworker, public, args.repeat,
                   f"simulated snapshot: the borough's cells copied to {args.areas} councils")


def simulate_areas(snap, areas: int) -> None:
    """A snapshot the size of a national one: every cell of the measured borough repeated for `areas` councils
    (the real borough keeps its id, so the demo leader still sees it), with its partnership roll-up. Its
    rendering cost is what a national snapshot costs; computing a real national snapshot is not measured here."""
    from django.utils import timezone

    from sendhub.dashboard.models import DashboardCell, DashboardSnapshot
    from sendhub.dashboard.services import prerender_charts

    fields = ("metric", "month", "local_authority", "phase", "need", "setting_type", "numerator", "denominator")
    cells = list(DashboardCell.objects.filter(snapshot=snap).exclude(local_authority=0).values_list(*fields))
    rolled = list(DashboardCell.objects.filter(snapshot=snap, local_authority=0).values_list(*fields))
    started = time.perf_counter()
    big = DashboardSnapshot.objects.create(as_of=snap.as_of, computed_at=timezone.now(), seconds=snap.seconds,
                                           data=snap.data)
    rows = [*cells, *((m, mo, 0, ph, ne, st, n * areas, den * areas) for m, mo, _, ph, ne, st, n, den in rolled)]
    for copy in range(1, areas):
        rows += [(m, mo, -copy, ph, ne, st, n, den) for m, mo, _, ph, ne, st, n, den in cells]
    DashboardCell.objects.bulk_create((DashboardCell(snapshot=big, **dict(zip(fields, row))) for row in rows),
                                      batch_size=5000)
    stored = time.perf_counter() - started
    started = time.perf_counter()
    drawn = prerender_charts(snapshot=big)
    print(f"\nsimulated national snapshot: {len(rows):,} cells stored in {stored:.1f} s; "
          f"{drawn:,} default charts newly drawn (the copies draw the same charts as the borough) in {time.perf_counter() - started:.1f} s")


def time_pages(leader, caseworker, public, repeat: int, title: str) -> None:
    from django.core.cache import cache

    from sendhub.dashboard import selectors

    selectors._LOADED.clear()
    pages = [
        ("leader: dashboard", leader, "/dashboard/"),
        ("leader: dashboard, filtered (ASD, secondary)", leader, "/dashboard/?need=ASD&phase=secondary"),
        ("leader: Big Plan", leader, "/dashboard/big-plan/"),
        ("leader: Excel export", leader, "/dashboard/export.xlsx"),
        ("public: dashboard", public, "/dashboard/public/"),
        ("public: CSV", public, "/dashboard/public/figures.csv"),
        ("caseworker: drill-down, 20 weeks", caseworker, "/dashboard/cases/final_plan_20w/"),
    ]
    cache.clear()  # this process's memory: the shared chart store keeps what the refresh drew
    print(f"\n{title}\n{'page':<48} {'cold':>9} {'warm (best)':>12} {'warm (median)':>14}")
    for label, client, url in pages:
        started = time.perf_counter()
        response = client.get(url)
        cold = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        warm = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            warm.append(time.perf_counter() - started)
        print(f"{label:<48} {cold * 1000:>7.0f} ms {min(warm) * 1000:>9.0f} ms {statistics.median(warm) * 1000:>11.0f} ms")


if __name__ == "__main__":
    main()
