"""The simulator: deterministic, realistic in size and shape, and it obeys scheduled regime changes."""

from __future__ import annotations

import statistics
from dataclasses import replace
from datetime import date, timedelta

import pytest

from sendhub.waits.simulate import DEFAULT_PROFILES, RegimeChange, simulate_borough, simulate_service

START, END = date(2021, 1, 4), date(2025, 1, 6)


def test_deterministic_and_seed_sensitive() -> None:
    profile = DEFAULT_PROFILES["wheelchair"]
    a = simulate_service(service="wheelchair", start=START, end=END, seed=1, profile=profile)
    b = simulate_service(service="wheelchair", start=START, end=END, seed=1, profile=profile)
    c = simulate_service(service="wheelchair", start=START, end=END, seed=2, profile=profile)
    assert a == b
    assert a != c


@pytest.mark.parametrize("service", sorted(DEFAULT_PROFILES))
def test_default_profiles_look_like_real_lists(service: str) -> None:
    rows = simulate_service(service=service, start=START, end=END, seed=3, profile=DEFAULT_PROFILES[service])
    assert len({r.referral_id for r in rows}) == len(rows)
    for r in rows:
        assert r.seen_on is None or r.removed_on is None
        assert r.seen_on is None or r.referred_on <= r.seen_on <= END
        assert r.removed_on is None or r.referred_on <= r.removed_on <= END
    new = [r for r in rows if r.referred_on >= START]
    urgent = sum(r.urgent for r in new) / len(new)
    removed = sum(r.removed_on is not None for r in new) / len(new)
    assert 0.08 <= urgent <= 0.22
    assert 0.01 <= removed <= 0.12
    waits = [(r.seen_on - r.referred_on).days / 7 for r in rows if r.seen_on and not r.urgent and r.seen_on > END - timedelta(days=365)]
    typical = DEFAULT_PROFILES[service].typical_wait_weeks
    assert typical / 3 <= statistics.median(waits) <= typical * 3


def test_borough_has_about_seven_thousand_waiting() -> None:
    rows = simulate_borough(start=START, end=END, seed=1)
    waiting = sum(r.waiting for r in rows)
    assert 4000 <= waiting <= 10000
    assert {r.service for r in rows} == set(DEFAULT_PROFILES)


def test_scheduled_capacity_cut_slows_first_appointments() -> None:
    quiet = replace(DEFAULT_PROFILES["physiotherapy"], shortages_per_year=0, demand_surges_per_year=0, managed=False)
    cut = replace(quiet, events=(RegimeChange(date(2023, 1, 2), "capacity", 0.5),))
    window = (date(2023, 2, 1), date(2023, 12, 1))

    def seen(profile) -> int:
        rows = simulate_service(service="physio", start=START, end=END, seed=4, profile=profile)
        return sum(1 for r in rows if r.seen_on and window[0] <= r.seen_on < window[1])

    assert seen(cut) < 0.65 * seen(quiet)


def test_regime_change_multiplier_ramps_and_unwinds() -> None:
    change = RegimeChange(date(2024, 1, 1), "capacity", 2.0, ramp_weeks=4, lasts_weeks=10)
    assert change.multiplier(date(2023, 12, 1)) == 1.0
    assert 1.0 < change.multiplier(date(2024, 1, 15)) < 2.0
    assert change.multiplier(date(2024, 2, 15)) == pytest.approx(2.0)
    assert change.multiplier(date(2024, 8, 1)) == 1.0
