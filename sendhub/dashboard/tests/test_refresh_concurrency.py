"""Two refreshes started at once (two workers, or a worker and the nightly command): exactly one computes.

Real threads with their own database connections, so the claim (one conditional UPDATE on
DashboardRefresh) is tested the way it runs, on SQLite and on PostgreSQL.
"""

import threading
import time

import pytest
from django.db import connection

from sendhub.dashboard import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_refreshes_run_one(monkeypatch):
    computed, results, errors = [], [], []
    start = threading.Barrier(2)

    def slow_refresh(**kwargs):
        computed.append(threading.get_ident())
        time.sleep(1.0)  # long enough for the other one to try meanwhile
        return "snapshot"

    monkeypatch.setattr(services, "refresh_snapshot", slow_refresh)
    services._refresh_row()

    def worker():
        try:
            start.wait()
            results.append(services.run_refresh(prerender=False))
        except Exception as error:  # pragma: no cover - shown in the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(computed) == 1 and sorted(results, key=str) == [None, "snapshot"]
    assert services.claim_refresh() is not None  # released afterwards
