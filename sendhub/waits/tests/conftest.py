"""Shared fixtures: small hand-made histories and one simulated borough, built once per session."""

from __future__ import annotations

from datetime import date

import pytest

from sendhub.waits.history import Referral
from sendhub.waits.simulate import DEFAULT_PROFILES, simulate_service

AS_OF = date(2025, 1, 6)


@pytest.fixture(scope="session")
def slt_history() -> list[Referral]:
    """Four years of a simulated speech and language therapy list, cut at AS_OF."""
    return simulate_service(
        service="speech_language", start=date(2021, 1, 4), end=AS_OF, seed=7, profile=DEFAULT_PROFILES["speech_language"]
    )


# Tests that need Django and a database live in test_db_*.py and test_browser.py. The pure run
# (`-p no:django --confcutdir=sendhub/waits`) leaves them out; the normal run collects them, with the
# project-wide fixtures (area, client_for) from sendhub/conftest.py.
def pytest_ignore_collect(collection_path, config):
    needs_django = collection_path.name.startswith(("test_db_", "test_browser"))
    if needs_django and not config.pluginmanager.has_plugin("django"):
        return True
    return None


@pytest.fixture
def waits_area(area):
    """The project's `area` with one speech and language list at its provider: a year of history and a queue.

    The queue holds the parent's child, their sibling and another family's child, mixed with other
    children's referrals so that positions are not trivially 1, 2, 3.
    """
    from datetime import timedelta

    from django.utils import timezone

    from sendhub.testing import factories as f

    today = timezone.localdate()
    service = f.HealthServiceFactory(provider=area.provider, kind="speech_language", name="Speech and language therapy",
                                     standard_weeks=18, standard="18 weeks from referral to treatment",
                                     while_waiting="Weekly drop-in advice for parents.",
                                     if_worse="Call the therapy team on 0300 555 0100.", clinicians=10)
    others = [f.ChildFactory(local_authority=area.la) for _ in range(3)]
    for n in range(60):  # a year of first appointments, about one a week
        referred = today - timedelta(days=400 - n * 5)
        f.ReferralFactory(child=others[n % 3], service=service, reference=f"H-{n:03d}", referred_on=referred,
                          seen_on=referred + timedelta(days=90))
    queue = {
        "own_routine": f.ReferralFactory(child=area.child, service=service, reference="Q-200",
                                         referred_on=today - timedelta(days=60)),
        "sibling_urgent": f.ReferralFactory(child=area.sibling, service=service, reference="Q-300", priority="urgent",
                                            referred_on=today - timedelta(days=10)),
        "other_family": f.ReferralFactory(child=area.other_child, service=service, reference="Q-100",
                                          referred_on=today - timedelta(days=60)),
    }
    for n in range(8):
        f.ReferralFactory(child=others[n % 3], service=service, reference=f"W-{n:03d}",
                          priority="urgent" if n == 5 else "routine", referred_on=today - timedelta(days=20 + n * 9))
    return {"service": service, "queue": queue, "today": today, "others": others}
