"""Calibrate a list's p10-p90 range on its own backtest, so that it holds about 8 in 10 and no more.

Pure (numpy, no Django). The estimator's range is deliberately generous: on a steady list about 9
in 10 first appointments fall inside it, which makes the range wider than a family needs. This
module measures, on the list's own past (cut the history at earlier dates, estimate, and compare
with what then happened), how far outside or inside the stated range the real dates fell, and
rescales the range around the p50 until it would have held the target share on that past.

Method (split-conformal, one scale per side). For each past estimate with a known outcome the
score of the lower side is how many "lower half-widths" below the p50 the real date fell, on the
log scale of days from the cut: (log p50 - log seen) / (log p50 - log p10); the upper side likewise
with p90. The lower scale is the conformal (1 - 0.1) quantile of the lower scores, the upper
scale that of the upper scores; the calibrated p10 is p50 moved down by lower-scale half-widths
and p90 up by upper-scale half-widths. A referral still waiting at the end of the history has an
unknown, later date: its upper score is infinite (it counts against narrowing the top), never a
guess. The p50 never moves. Scales are kept between MIN_SCALE and MAX_SCALE, and a list with too
few scored estimates is not calibrated at all (scales 1).

`sendhub waits estimate` (shared/contracts/waits.md) does not use this: its output must stay the
estimator's own, fast enough for a million referrals in 30 seconds. The web app applies it to the
dates families, clinicians and commissioners see (sendhub/waits/selectors.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from .history import Referral

__all__ = [
    "Calibration",
    "PastEstimates",
    "apply",
    "calibrate",
    "calibrate_history",
    "coverage",
]

TARGET = 0.8  # share of first appointments that should fall inside [p10, p90]
MIN_SCALE = 0.25  # never narrower than a quarter of the estimator's own half-width
MAX_SCALE = 4.0  # nor wider than four times it
MIN_SCORED = 100  # fewer past estimates with a known outcome than this: leave the range as it is
MIN_CUTS = 3  # ...or fewer past dates than this (one cut is one moment of one list's life)
CUT_EVERY_WEEKS = 8  # the bench (bench/waits_backtest.py) cuts as often, so its test is of this set-up
LOOKBACK_WEEKS = 156  # calibrate on the last three years of the list's own past
PATHS = 100  # fewer simulated futures than the family estimate: the calibration is a share over thousands


@dataclass(frozen=True, slots=True)
class PastEstimates:
    """Estimates made at past dates with what then happened, as days after each estimate's date.

    `seen` is the first appointment, or +inf for a referral still waiting when the history ends
    (its date is unknown and later than anything observed). Referrals removed without being seen
    are not here: they have no first appointment to score.
    """

    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    seen: np.ndarray
    cuts: int = 0

    def __len__(self) -> int:
        return len(self.seen)


@dataclass(frozen=True, slots=True)
class Calibration:
    """The scales for the lower and upper half of the range, and the coverage they give on the past."""

    lower_scale: float = 1.0
    upper_scale: float = 1.0
    scored: int = 0
    cuts: int = 0
    within_before: float | None = None  # share of past first appointments inside the estimator's range
    within_after: float | None = None  # ...inside the calibrated range
    width_before_days: float | None = None  # median width of the range, before and after
    width_after_days: float | None = None

    @property
    def calibrated(self) -> bool:
        return self.lower_scale != 1.0 or self.upper_scale != 1.0

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_dict(cls, data: dict | None) -> Calibration:
        if not data:
            return cls()
        return cls(**{name: data.get(name, getattr(cls(), name)) for name in cls.__slots__})


def _logs(past: PastEstimates) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    low = np.log(np.maximum(past.p10, 1.0))
    mid = np.log(np.maximum(past.p50, 1.0))
    high = np.log(np.maximum(past.p90, 1.0))
    with np.errstate(divide="ignore"):
        seen = np.log(np.maximum(past.seen, 1.0))
    return low, mid, high, seen


def _conformal(scores: np.ndarray, share: float) -> float:
    """The finite-sample conformal quantile: at least `share` of the scores are at or below it."""
    n = len(scores)
    k = min(math.ceil((n + 1) * share), n)
    return float(np.sort(scores)[k - 1])


def coverage(past: PastEstimates, lower_scale: float = 1.0, upper_scale: float = 1.0) -> float:
    """Share of past first appointments inside the range rescaled by the two scales (bounds included)."""
    if not len(past):
        return float("nan")
    low, mid, high, seen = _logs(past)
    lo = mid - lower_scale * (mid - low)
    hi = mid + upper_scale * (high - mid)
    return float(np.mean((seen >= lo - 1e-12) & (seen <= hi + 1e-12)))


def _width(past: PastEstimates, lower_scale: float, upper_scale: float) -> float:
    low, mid, high, _ = _logs(past)
    lo = np.exp(mid - lower_scale * (mid - low))
    hi = np.exp(mid + upper_scale * (high - mid))
    return float(np.median(hi - lo))


def calibrate(past: PastEstimates, *, target: float = TARGET, min_scored: int = MIN_SCORED,
              min_cuts: int = 0) -> Calibration:
    """The scales that make the range hold `target` of `past` (half the misses on each side).

    Returns scales of 1 (the estimator's own range) when there are fewer than `min_scored`
    estimates or `min_cuts` dates to learn from.
    """
    n = len(past)
    if n < max(min_scored, 1) or past.cuts < min_cuts:
        before = coverage(past) if n else None
        return Calibration(scored=n, cuts=past.cuts, within_before=before, within_after=before,
                           width_before_days=_width(past, 1.0, 1.0) if n else None,
                           width_after_days=_width(past, 1.0, 1.0) if n else None)
    low, mid, high, seen = _logs(past)
    tail = (1.0 + target) / 2.0  # 0.9 for an 80% range
    floor = 1e-9
    lower_scores = (mid - seen) / np.maximum(mid - low, floor)
    upper_scores = (seen - mid) / np.maximum(high - mid, floor)
    lower = min(max(_conformal(lower_scores, tail), MIN_SCALE), MAX_SCALE)
    upper = min(max(_conformal(upper_scores, tail), MIN_SCALE), MAX_SCALE)
    return Calibration(
        lower_scale=round(lower, 4), upper_scale=round(upper, 4), scored=n, cuts=past.cuts,
        within_before=coverage(past), within_after=coverage(past, round(lower, 4), round(upper, 4)),
        width_before_days=_width(past, 1.0, 1.0), width_after_days=_width(past, round(lower, 4), round(upper, 4)),
    )


def apply(calibration: Calibration, as_of: date, p10: date, p50: date, p90: date) -> tuple[date, date, date]:
    """One estimate's dates with the calibrated range (p50 unchanged; never before the day after `as_of`)."""
    if not calibration.calibrated:
        return p10, p50, p90
    days = [max((d - as_of).days, 1) for d in (p10, p50, p90)]
    low, mid, high = (math.log(d) for d in days)
    lo = math.exp(mid - calibration.lower_scale * (mid - low))
    hi = math.exp(mid + calibration.upper_scale * (high - mid))
    lo_days = min(max(round(lo), 1), days[1])
    hi_days = max(round(hi), days[1])
    return as_of + timedelta(days=lo_days), p50, as_of + timedelta(days=hi_days)


def apply_all(calibration: Calibration, as_of: date,
              estimates: Sequence[tuple[date, date, date]]) -> list[tuple[date, date, date]]:
    """Calibrated dates for a whole list in position order: nobody further back gets an earlier date."""
    out: list[tuple[date, date, date]] = []
    best = [date.min, date.min, date.min]
    for p10, p50, p90 in estimates:
        row = apply(calibration, as_of, p10, p50, p90)
        best = [max(b, r) for b, r in zip(best, row, strict=True)]
        out.append((best[0], best[1], best[2]))
    return out


def calibrate_history(referrals: Iterable[Referral], as_of: date, *, lookback_weeks: int = LOOKBACK_WEEKS,
                      every_weeks: int = CUT_EVERY_WEEKS, paths: int = PATHS, seed: int = 0) -> dict[str, Calibration]:
    """Per service, the calibration learned from the history known on `as_of` (its own backtest).

    Cuts every `every_weeks` over the last `lookback_weeks`; each cut's estimates are scored
    against what was known on `as_of` (only estimates whose p90 had passed by then, so the outcome
    could be known; those still waiting count as later than any date).
    """
    from .backtest import past_estimates  # backtest imports the estimator; keep this module light

    first = as_of - timedelta(weeks=lookback_weeks)
    cuts = []
    day = first
    while day < as_of:
        cuts.append(day)
        day += timedelta(weeks=every_weeks)
    out: dict[str, Calibration] = {}
    for service, rows in past_estimates(referrals, cuts=cuts, end=as_of, paths=paths, seed=seed).items():
        out[service] = calibrate(_pool(rows), min_cuts=MIN_CUTS)
    return out


def _pool(rows: Sequence[PastEstimates]) -> PastEstimates:
    if not rows:
        return PastEstimates(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0), 0)
    return PastEstimates(
        np.concatenate([r.p10 for r in rows]), np.concatenate([r.p50 for r in rows]),
        np.concatenate([r.p90 for r in rows]), np.concatenate([r.seen for r in rows]), len(rows))
