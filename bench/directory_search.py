"""Time the local offer search and the Open Referral UK API on thousands of services.

    .venv/bin/python bench/directory_search.py [--services 5000] [--database sqlite:////tmp/x.sqlite3]

Builds the services with the demo's generator (full detail: places, times, needs, categories) in a
throwaway SQLite database unless --database or DATABASE_URL names another, then prints for each
request the best of five wall-clock times through Django's test client (URL routing, queries,
template or JSON rendering; no network) and the number of SQL queries.
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
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--database", default="")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start_django(args.database)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sendhub.demo.directory import add_local_offer
    from sendhub.directory.models import Service
    from sendhub.organisations.models import Organisation, OrganisationKind

    if Service.objects.count() < args.services:
        la = Organisation.objects.create(kind=OrganisationKind.LOCAL_AUTHORITY, name="Bench Council")
        for kind, name in [(OrganisationKind.HEALTH_PROVIDER, "Bench Community Health NHS Trust"),
                           (OrganisationKind.HEALTH_PROVIDER, "Bench Children's Mental Health NHS Trust"),
                           (OrganisationKind.SOCIAL_CARE, "Bench Children's Social Care")]:
            Organisation.objects.create(kind=kind, name=name, local_authority=la)
        started = time.perf_counter()
        made = add_local_offer(la, seed=1, count=args.services)
        print(f"Built {made:,} services in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    total = Service.objects.count()
    some = Service.objects.order_by("name").first()
    sal = some.locations.first()
    client = Client()
    requests = [
        ("Search page: everything, page 1", "/local-offer/"),
        ("Search page: need=SLCN&age=7", "/local-offer/?need=SLCN&age=7"),
        ("Search page: need=ASD&age=13&waiting=1", "/local-offer/?need=ASD&age=13&waiting=1"),
        ("Search page: keyword 'autism'", "/local-offer/?q=autism"),
        ("Search page: category=health, page 10", "/local-offer/?category=health&page=10"),
        ("Search page: postcode HD9 2AB within 3 miles", "/local-offer/?postcode=HD9+2AB&distance=3"),
        ("Search page: need, age, postcode, sorted by distance", "/local-offer/?need=PD&age=9&postcode=WF13+1AA"),
        ("Service page", f"/local-offer/services/{some.pk}"),
        ("ORUK /services page 1 (50)", "/local-offer/api/services"),
        ("ORUK /services last page (50)", f"/local-offer/api/services?page={(total + 49) // 50}"),
        ("ORUK /services per_page=500", "/local-offer/api/services?per_page=500&page=2"),
        ("ORUK /services?search=speech&minimum_age=0", "/local-offer/api/services?search=speech&minimum_age=0"),
        ("ORUK /services/{id}", f"/local-offer/api/services/{some.pk}"),
        ("ORUK /service_at_locations?postcode=HD1&proximity=5000",
         "/local-offer/api/service_at_locations?postcode=HD1&proximity=5000"),
        ("ORUK /service_at_locations/{id}", f"/local-offer/api/service_at_locations/{sal.sal_id}" if sal else ""),
        ("ORUK /taxonomy_terms", "/local-offer/api/taxonomy_terms"),
    ]
    print(f"{total:,} services. Best of {args.repeat}, through Django's test client:")
    print(f"{'request':58} {'ms':>8} {'queries':>8}")
    for label, path in requests:
        if not path:
            continue
        best = float("inf")
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
            best = min(best, elapsed)
        print(f"{label:58} {best * 1000:8.1f} {len(queries):8d}")
    for label, path in [("Export: ORUK JSON, every service", "/local-offer/export/oruk.json"),
                        ("Export: ORUK CSV zip, every service", "/local-offer/export/oruk-csv.zip")]:
        started = time.perf_counter()
        response = client.get(path)
        print(f"{label:58} {(time.perf_counter() - started) * 1000:8.1f} {'':>8} ({len(response.content) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
