"""Positions, quantiles and the estimator's response to the ways lists change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from sendhub.waits.estimator import (
    estimate,
    fit_services,
    list_figures,
    positions,
    recent_mean_wait,
    usual_public_figure,
)
from sendhub.waits.history import Referral, history_known_on
from sendhub.waits.simulate import DEFAULT_PROFILES, RegimeChange, simulate_borough, simulate_service

from .conftest import AS_OF


def _steady(
    weeks: int = 104, per_week: int = 10, waiting: int = 200, urgent_seen: int = 0, urgent_waiting_every: int = 0
) -> list[Referral]:
    """A list with a fixed throughput and a fixed waiting list: easy to reason about.

    Each week `per_week` people are seen, `urgent_seen` of them urgent referrals made ten days
    earlier (so urgent referrals keep arriving at that rate), the rest routine referrals.
    """
    start = AS_OF - timedelta(weeks=weeks)
    out: list[Referral] = []
    n = 0
    for w in range(weeks):
        for k in range(per_week):
            day = start + timedelta(weeks=w, days=k % 5)
            n += 1
            if k < urgent_seen:
                out.append(Referral(f"s{n:05d}", "ot", "urgent", day - timedelta(days=10), day))
            else:
                out.append(Referral(f"s{n:05d}", "ot", "routine", day - timedelta(weeks=20), day))
    for k in range(waiting):
        n += 1
        urgent = urgent_waiting_every and k % urgent_waiting_every == 0
        day = AS_OF - timedelta(days=(waiting - k) * 7 // per_week)
        out.append(Referral(f"w{n:05d}", "ot", "urgent" if urgent else "routine", day))
    return out


def test_positions_follow_the_contract_order() -> None:
    d = date(2024, 1, 1)
    rows = [
        Referral("r-b", "slt", "routine", d),
        Referral("r-a", "slt", "routine", d),
        Referral("u-late", "slt", "urgent", d + timedelta(days=30)),
        Referral("r-early", "slt", "routine", d - timedelta(days=1)),
        Referral("seen", "slt", "routine", d - timedelta(days=50), d),
        Referral("gone", "slt", "routine", d - timedelta(days=50), None, d),
        Referral("other", "ot", "routine", d),
    ]
    as_of = date(2024, 3, 1)
    got = {(e.service, e.referral_id): e.position for e in estimate(rows, as_of, paths=50)}
    assert got == {
        ("ot", "other"): 1,
        ("slt", "u-late"): 1,
        ("slt", "r-early"): 2,
        ("slt", "r-a"): 3,
        ("slt", "r-b"): 4,
    }
    assert positions(rows) == {"other": 1, "u-late": 1, "r-early": 2, "r-a": 3, "r-b": 4}


def test_quantiles_ordered_not_before_as_of_and_monotone(slt_history: list[Referral]) -> None:
    estimates = estimate(slt_history, AS_OF, paths=200)
    assert len(estimates) == sum(r.waiting for r in slt_history)
    previous = None
    for e in estimates:
        assert AS_OF <= e.p10 <= e.p50 <= e.p90
        if previous is not None:
            assert e.position == previous.position + 1
            assert e.p10 >= previous.p10 and e.p50 >= previous.p50 and e.p90 >= previous.p90
        previous = e


def test_deterministic_for_a_seed_and_changes_with_it(slt_history: list[Referral]) -> None:
    a = estimate(slt_history, AS_OF, paths=100, seed=3)
    b = estimate(list(reversed(slt_history)), AS_OF, paths=100, seed=3)
    c = estimate(slt_history, AS_OF, paths=100, seed=4)
    assert a == b
    assert a != c


def test_other_services_do_not_change_a_service_estimate(slt_history: list[Referral]) -> None:
    alone = estimate(slt_history, AS_OF, paths=100)
    other = [replace(r, referral_id="x" + r.referral_id, service="ot") for r in slt_history[:500]]
    together = [e for e in estimate([*slt_history, *other], AS_OF, paths=100) if e.service == "speech_language"]
    assert together == alone


def test_future_rows_are_ignored(slt_history: list[Referral]) -> None:
    cut = AS_OF - timedelta(weeks=30)
    assert estimate(slt_history, cut, paths=60) == estimate(history_known_on(slt_history, cut), cut, paths=60)


def test_steady_list_is_estimated_about_right() -> None:
    # 10 a week seen, 200 waiting: the back of the list is about 20 weeks away (less a little
    # for removals, none here), and the first few are days away.
    estimates = estimate(_steady(), AS_OF, paths=300)
    last = estimates[-1]
    weeks = (last.p50 - AS_OF).days / 7
    assert 17 <= weeks <= 24
    assert (estimates[0].p50 - AS_OF).days <= 7
    assert last.p10 < last.p50 < last.p90


def test_urgent_arrivals_push_routine_referrals_back() -> None:
    # Same ten appointments a week; in the busy service three of them go to urgent referrals
    # that keep arriving, so the routine list moves at seven a week instead of ten.
    quiet = estimate(_steady(), AS_OF, paths=300)
    busy = estimate(_steady(urgent_seen=3), AS_OF, paths=300)
    assert busy[-1].p50 > quiet[-1].p50 + timedelta(weeks=4)
    assert busy[-1].p90 > quiet[-1].p90
    # Urgent referrals already waiting stay ahead of the new urgent stream.
    first = estimate(_steady(urgent_seen=3, urgent_waiting_every=10), AS_OF, paths=300)[0]
    assert first.p50 <= AS_OF + timedelta(days=14)


def test_capacity_cut_lengthens_and_widens_estimates() -> None:
    profile = replace(
        DEFAULT_PROFILES["occupational_therapy"], shortages_per_year=0.0, demand_surges_per_year=0.0, managed=False,
        capacity_drift_per_week=0.0,
    )
    cut_on = AS_OF - timedelta(weeks=16)
    cut_profile = replace(profile, events=(RegimeChange(cut_on, "capacity", 0.6),))
    start = AS_OF - timedelta(weeks=3 * 52)
    before = simulate_service(service="ot", start=start, end=AS_OF, seed=5, profile=profile)
    after = simulate_service(service="ot", start=start, end=AS_OF, seed=5, profile=cut_profile)
    plain = estimate(before, AS_OF, paths=300)
    cut = estimate(after, AS_OF, paths=300)
    model = fit_services(after, AS_OF)["ot"]
    assert model.shift_on is not None and abs((model.shift_on - cut_on).days) <= 42
    for estimates in (plain, cut):
        assert len(estimates) > 100
    pos = min(len(plain), len(cut)) - 1
    # At the same position, a 40% cut means a later date and a wider band.
    assert cut[pos].p50 > plain[pos].p50 + timedelta(weeks=4)
    assert (cut[pos].p90 - cut[pos].p10) > (plain[pos].p90 - plain[pos].p10)


def test_public_figure_is_referral_date_plus_recent_mean_wait() -> None:
    rows = [
        Referral("a", "s", "routine", date(2024, 1, 1), date(2024, 2, 12)),  # 42 days, seen in window
        Referral("b", "s", "routine", date(2024, 1, 1), date(2024, 1, 15)),  # 14 days, seen in window
        Referral("c", "s", "routine", date(2023, 1, 1), date(2023, 3, 1)),  # outside the window
        Referral("d", "s", "routine", date(2024, 2, 1)),
    ]
    as_of = date(2024, 3, 1)
    assert recent_mean_wait(rows, as_of, weeks=13) == {"s": 28.0}
    assert usual_public_figure(rows, as_of, weeks=13) == {"d": date(2024, 2, 29)}


def test_list_figures_and_what_if(slt_history: list[Referral]) -> None:
    figures = list_figures(slt_history, AS_OF, capacity_multiplier=1.3, paths=200)["speech_language"]
    assert figures.waiting == sum(r.waiting for r in slt_history)
    assert 0 < figures.median_wait_weeks <= figures.p92_wait_weeks
    assert len(figures.forecast) == len(figures.whatif_forecast) == 12
    assert figures.forecast[0].month_end == date(2025, 1, 31) and figures.forecast[-1].month_end == date(2025, 12, 31)
    for month in (*figures.forecast, *figures.whatif_forecast):
        assert 0 <= month.p10 <= month.p50 <= month.p90
    assert figures.whatif_forecast[-1].p50 < figures.forecast[-1].p50
    assert figures.whatif_new_referral_p50_weeks < figures.new_referral_p50_weeks


def test_thousands_waiting_across_ten_lists_each_get_an_estimate() -> None:
    """Every waiting child on ten lists gets a row. How long it takes is measured in bench/, not here:
    a timed test fails on a busy machine and proves nothing on a quiet one."""
    borough = simulate_borough(start=date(2022, 1, 3), end=AS_OF, seed=11)
    extra_profile = replace(DEFAULT_PROFILES["physiotherapy"], weekly_referrals=20, weekly_capacity=18.5)
    extra = [
        r
        for name in ("dietetics", "audiology", "continence")
        for r in simulate_service(service=name, start=date(2022, 1, 3), end=AS_OF, seed=11, profile=extra_profile)
    ]
    history = [*borough, *extra]
    assert len({r.service for r in history}) == 10
    waiting = sum(r.waiting for r in history)
    assert waiting >= 5000
    estimates = estimate(history, AS_OF)
    assert len(estimates) == waiting
    assert {(e.service, e.referral_id) for e in estimates} == {(r.service, r.referral_id) for r in history if r.waiting}


@pytest.mark.parametrize("rows", [[], [Referral("a", "s", "routine", date(2024, 1, 1), date(2024, 2, 1))]])
def test_nobody_waiting_gives_no_rows(rows: list[Referral]) -> None:
    assert estimate(rows, date(2024, 6, 1)) == []


def test_a_list_with_no_history_still_gets_dates() -> None:
    rows = [Referral(f"a{k}", "new", "routine", date(2024, 5, 1) + timedelta(days=k)) for k in range(5)]
    estimates = estimate(rows, date(2024, 6, 1), paths=100)
    assert [e.position for e in estimates] == [1, 2, 3, 4, 5]
    assert all(date(2024, 6, 1) <= e.p10 <= e.p50 <= e.p90 for e in estimates)
