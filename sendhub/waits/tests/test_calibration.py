"""The range calibrated on a list's own past holds about 8 in 10 of it, and is narrower where it can be."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sendhub.waits.calibration import (
    MAX_SCALE,
    MIN_SCALE,
    Calibration,
    PastEstimates,
    apply,
    apply_all,
    calibrate,
    calibrate_history,
    coverage,
)

from .conftest import AS_OF


def _past(seed: int, n: int, spread: float, skew: float, censored: float = 0.0) -> PastEstimates:
    """Estimates whose real dates scatter around p50 by `spread` half-widths (log scale), tilted by `skew`."""
    rng = np.random.default_rng(seed)
    p50 = rng.uniform(20, 900, n)
    low = rng.uniform(0.1, 0.6, n)
    high = rng.uniform(0.1, 0.6, n)
    p10, p90 = p50 * np.exp(-low), p50 * np.exp(high)
    z = rng.normal(skew, spread, n)
    seen = p50 * np.exp(np.where(z < 0, z * low, z * high))
    seen[rng.random(n) < censored] = np.inf
    return PastEstimates(p10, p50, p90, seen, cuts=10)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(200, 3000), spread=st.floats(0.3, 2.5),
       skew=st.floats(-0.8, 0.8), censored=st.floats(0.0, 0.05))
def test_calibrated_coverage_on_the_calibration_set_is_about_80_percent(seed, n, spread, skew, censored) -> None:
    past = _past(seed, n, spread, skew, censored)
    cal = calibrate(past)
    assume(MIN_SCALE < cal.lower_scale < MAX_SCALE and MIN_SCALE < cal.upper_scale < MAX_SCALE)
    # Conformal quantiles: at least 80%, and no more than 80% plus two scores' worth (rounding of the
    # scales to 4 places can move a borderline score in or out).
    tolerance = 4.0 / n + 0.005
    assert 0.8 - 0.005 <= cal.within_after <= 0.8 + tolerance, cal
    assert cal.within_after == coverage(past, cal.lower_scale, cal.upper_scale)


def test_a_generous_range_is_narrowed_and_a_tight_one_widened() -> None:
    generous = calibrate(_past(1, 2000, spread=0.6, skew=0.0))  # ~90% inside before
    assert generous.within_before > 0.88 and generous.lower_scale < 1 and generous.upper_scale < 1
    assert generous.width_after_days < generous.width_before_days
    tight = calibrate(_past(2, 2000, spread=2.0, skew=0.0))  # ~40% inside before
    assert tight.within_before < 0.6 and tight.lower_scale > 1 and tight.upper_scale > 1
    assert tight.width_after_days > tight.width_before_days


def test_lopsided_misses_move_each_side_on_its_own() -> None:
    cal = calibrate(_past(3, 3000, spread=0.8, skew=-0.8))  # mostly seen early
    assert cal.lower_scale > cal.upper_scale


def test_too_little_past_leaves_the_range_alone() -> None:
    cal = calibrate(_past(4, 50, spread=2.0, skew=0.0))
    assert not cal.calibrated and cal.lower_scale == cal.upper_scale == 1.0
    assert apply(cal, date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 6, 1)) == (
        date(2025, 2, 1), date(2025, 3, 1), date(2025, 6, 1))


def test_still_waiting_is_never_counted_as_early() -> None:
    past = _past(5, 1000, spread=0.7, skew=0.0, censored=0.3)  # 30% still waiting: the top cannot shrink
    cal = calibrate(past)
    assert cal.upper_scale == MAX_SCALE


def test_apply_keeps_the_middle_date_and_the_order() -> None:
    cal = Calibration(lower_scale=0.5, upper_scale=0.5, scored=500, cuts=10)
    as_of = date(2025, 1, 1)
    p10, p50, p90 = apply(cal, as_of, date(2025, 2, 1), date(2025, 6, 1), date(2026, 6, 1))
    assert date(2025, 2, 1) < p10 < p50 == date(2025, 6, 1) < p90 < date(2026, 6, 1)
    rows = apply_all(cal, as_of, [(date(2025, 3, 1), date(2025, 6, 1), date(2025, 12, 1)),
                                  (date(2025, 1, 10), date(2025, 5, 1), date(2025, 9, 1))])
    assert all(a <= b for (x, y) in zip(rows, rows[1:], strict=False) for a, b in zip(x, y, strict=True))
    assert Calibration.from_dict(cal.as_dict()) == cal


def test_calibration_on_a_simulated_list(slt_history) -> None:
    (cal,) = calibrate_history(slt_history, AS_OF).values()
    assert cal.cuts >= 10 and cal.scored > 1000
    assert abs(cal.within_after - 0.8) < 0.02
