"""A small backtest: calibration in a band and p50 better than the public figure; it can fail."""

from __future__ import annotations

from datetime import date

import pytest

import sendhub.waits.estimator as estimator
from sendhub.waits.backtest import backtest, cut_dates
from sendhub.waits.history import Referral
from sendhub.waits.simulate import DEFAULT_PROFILES, simulate_service

END = date(2024, 1, 1)


@pytest.fixture(scope="module")
def camhs() -> list[Referral]:
    return simulate_service(service="camhs_core", start=date(2019, 1, 7), end=END, seed=21, profile=DEFAULT_PROFILES["camhs_core"])


def _score(history: list[Referral]):
    return backtest(history, cuts=cut_dates(date(2020, 6, 1), date(2023, 3, 1), 10), paths=120)["camhs_core"]


def test_calibrated_and_better_than_the_public_figure(camhs: list[Referral]) -> None:
    score = _score(camhs)
    assert score.cuts >= 8 and score.scored > 2000
    assert 0.70 <= score.within <= 0.92, score
    assert score.mae_p50_days < 0.8 * score.mae_public_days, score


def test_an_overconfident_estimator_fails_the_band(camhs: list[Referral], monkeypatch: pytest.MonkeyPatch) -> None:
    # Squeeze the band to a fifth of its width: the same check must now fail.
    monkeypatch.setattr(estimator, "WIDEN_SHORT", -0.8)
    monkeypatch.setattr(estimator, "WIDEN_LONG", 0.0)
    score = _score(camhs)
    assert score.within < 0.70, score


def test_cut_never_sees_the_future() -> None:
    rows = [
        Referral("a", "s", "routine", date(2023, 1, 2), date(2023, 3, 1)),
        Referral("b", "s", "routine", date(2023, 1, 3)),
    ] + [Referral(f"x{k}", "s", "routine", date(2022, 1, 3 + k), date(2022, 6, 1 + k)) for k in range(20)]
    score = backtest(rows, cuts=[date(2023, 2, 1)], end=date(2023, 12, 31), paths=50)["s"]
    # At the cut both a and b were waiting: a is scored against its real 1 March appointment,
    # b (never seen) counts as after p90 if its p90 fell within the history.
    assert score.cuts == 1 and score.scored >= 1
