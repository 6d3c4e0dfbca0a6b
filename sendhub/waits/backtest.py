"""Backtest the wait estimator on a service's own history.

Pure (numpy, no Django). The history is cut at earlier dates; at each cut the estimator sees only
what was known then (later referrals dropped, later `seen_on`/`removed_on` blanked) and its
estimates for the referrals then waiting are scored against what actually happened next.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from .calibration import LOOKBACK_WEEKS, MIN_CUTS, PastEstimates, _pool, calibrate
from .estimator import NEVER, _by_service, _fit, _mean_wait, _quantile_days, _run_service
from .history import Referral

__all__ = ["ServiceScore", "backtest", "cut_dates", "past_estimates"]


@dataclass(frozen=True, slots=True)
class ServiceScore:
    """How one service's estimates at the cut dates compared with what then happened.

    `scored` counts estimates (a referral waiting at several cuts counts once per cut) whose p90 fell
    inside the history, so that the outcome could be known; those removed without being seen are
    left out. A referral still waiting when the history ends counts as seen after its p90.
    `within` is the share of scored estimates whose first appointment fell in [p10, p90] (target
    about 0.8). The errors are mean absolute errors in days of the p50 date and of the usual
    public figure (referral date + mean wait of those seen in the 13 weeks before the cut, moved
    forward to the cut date if it had already passed), over those actually seen.

    The `*_calibrated` figures score the same estimates with the range calibrated as the web app
    does (sendhub/waits/calibration.py), each cut calibrated only on earlier cuts scored against
    what was known at that cut: an out-of-sample test. `width_days` is the median p90 - p10.
    """

    service: str
    cuts: int
    scored: int
    within: float
    below_p10: float
    above_p90: float
    mae_p50_days: float
    mae_public_days: float
    median_ae_p50_days: float
    median_ae_public_days: float
    seconds: float
    within_calibrated: float = float("nan")
    below_calibrated: float = float("nan")
    above_calibrated: float = float("nan")
    width_days: float = float("nan")
    width_calibrated_days: float = float("nan")


@dataclass(frozen=True, slots=True)
class _CutEstimates:
    """One cut's estimates (absolute day ordinals, in position order) with the full history's outcomes."""

    cut: int
    q: np.ndarray  # (3, n) p10, p50, p90
    seen: np.ndarray
    removed: np.ndarray
    ref: np.ndarray
    public_mean: float | None


def cut_dates(first: date, last: date, every_weeks: int = 4) -> list[date]:
    """Cut dates from `first` to `last` inclusive, `every_weeks` apart."""
    out = []
    day = first
    while day <= last:
        out.append(day)
        day += timedelta(weeks=every_weeks)
    return out


def _last_day(services: dict) -> int:
    last = 0
    for arr in services.values():
        for values in (arr.ref, arr.seen[arr.seen != NEVER], arr.removed[arr.removed != NEVER]):
            if len(values):
                last = max(last, int(values.max()))
    return last


def _cut_estimates(full, cuts: Sequence[date], end_day: int, paths: int, seed: int,
                   public_weeks: int) -> list[_CutEstimates]:
    out = []
    for cut in cuts:
        c = cut.toordinal()
        if c >= end_day:
            continue
        known = full.known_on(c)
        waiting = (known.seen == NEVER) & (known.removed == NEVER)
        if not waiting.any() or (known.seen != NEVER).sum() < 5:
            continue
        fit = _fit(known, c)
        run = _run_service(known, fit, c, paths=paths, seed=seed)
        q = _quantile_days(run.days) + c
        original = np.flatnonzero(full.ref <= c)[run.ordered]
        out.append(_CutEstimates(c, q, full.seen[original], full.removed[original], full.ref[original],
                                 _mean_wait(known, c, public_weeks)))
    return out


def _scorable(rec: _CutEstimates, end_day: int) -> tuple[np.ndarray, np.ndarray]:
    """Which estimates of a cut can be scored against what was known on `end_day`, and their outcomes.

    Only those whose p90 had passed by then; referrals removed without being seen by then are left
    out; a first appointment after `end_day` is unknown (returned as NEVER).
    """
    seen = np.where(rec.seen <= end_day, rec.seen, NEVER)
    removed = (rec.removed <= end_day) & (seen == NEVER)
    return (rec.q[2] <= end_day) & ~removed, seen


def _past(rec: _CutEstimates, end_day: int) -> PastEstimates:
    mask, seen = _scorable(rec, end_day)
    q = (rec.q[:, mask] - rec.cut).astype(float)
    s = seen[mask]
    return PastEstimates(q[0], q[1], q[2], np.where(s == NEVER, np.inf, (s - rec.cut).astype(float)), 1)


def past_estimates(referrals: Iterable[Referral], *, cuts: Sequence[date], end: date | None = None,
                   paths: int = 200, seed: int = 0) -> dict[str, list[PastEstimates]]:
    """Per service, each cut's estimates that can be scored on `end`, as days after the cut (for calibration)."""
    services = _by_service(referrals)
    end_day = end.toordinal() if end else _last_day(services)
    out: dict[str, list[PastEstimates]] = {}
    for service, full in sorted(services.items()):
        full = full.known_on(end_day)
        rows = [_past(rec, end_day) for rec in _cut_estimates(full, cuts, end_day, paths, seed, 13)]
        out[service] = [row for row in rows if len(row)]
    return out


def _calibrated_q(rec: _CutEstimates, earlier: Sequence[_CutEstimates]) -> np.ndarray:
    """The cut's dates with the range calibrated on earlier cuts, scored on what was known at this cut."""
    rows = [p for p in (_past(e, rec.cut) for e in earlier if e.cut >= rec.cut - 7 * LOOKBACK_WEEKS) if len(p)]
    cal = calibrate(_pool(rows), min_cuts=MIN_CUTS)
    if not cal.calibrated:
        return rec.q
    days = np.maximum(rec.q - rec.cut, 1).astype(float)
    low, mid, high = np.log(days)
    lo = np.clip(np.rint(np.exp(mid - cal.lower_scale * (mid - low))), 1, days[1])
    hi = np.maximum(np.rint(np.exp(mid + cal.upper_scale * (high - mid))), days[1])
    q = np.vstack([lo, days[1], hi])
    return np.maximum.accumulate(q, axis=1).astype(np.int64) + rec.cut


def backtest(
    referrals: Iterable[Referral],
    *,
    cuts: Sequence[date],
    end: date | None = None,
    paths: int = 200,
    seed: int = 0,
    public_weeks: int = 13,
) -> dict[str, ServiceScore]:
    """Score the estimator at each cut date against the history up to `end` (default: its last date)."""
    services = _by_service(referrals)
    end_day = _last_day(services) if end is None else end.toordinal()
    out: dict[str, ServiceScore] = {}
    for service, full in sorted(services.items()):
        started = time.perf_counter()
        inside = below = above = scored = used_cuts = 0
        cal_inside = cal_below = cal_above = 0
        errors: list[np.ndarray] = []
        public_errors: list[np.ndarray] = []
        widths: list[np.ndarray] = []
        cal_widths: list[np.ndarray] = []
        records = _cut_estimates(full, cuts, end_day, paths, seed, public_weeks)
        for i, rec in enumerate(records):
            mask, seen = _scorable(rec, end_day)
            if not mask.any():
                continue
            used_cuts += 1
            seen = seen[mask]
            p10, p50, p90 = rec.q[0][mask], rec.q[1][mask], rec.q[2][mask]
            cq = _calibrated_q(rec, records[:i])[:, mask]
            scored += int(mask.sum())
            observed = seen != NEVER
            inside += int(np.sum(observed & (seen >= p10) & (seen <= p90)))
            below += int(np.sum(observed & (seen < p10)))
            above += int(np.sum(~observed | (seen > p90)))
            cal_inside += int(np.sum(observed & (seen >= cq[0]) & (seen <= cq[2])))
            cal_below += int(np.sum(observed & (seen < cq[0])))
            cal_above += int(np.sum(~observed | (seen > cq[2])))
            widths.append(p90 - p10)
            cal_widths.append(cq[2] - cq[0])
            mean = rec.public_mean
            public = np.maximum(rec.ref[mask] + (mean if mean is not None else 0.0), rec.cut + 1)
            errors.append(np.abs(p50 - seen)[observed])
            public_errors.append(np.abs(np.rint(public) - seen)[observed])
        err = np.concatenate(errors) if errors else np.zeros(0)
        perr = np.concatenate(public_errors) if public_errors else np.zeros(0)

        def share(count: int) -> float:
            return count / scored if scored else float("nan")

        def median(parts: list[np.ndarray]) -> float:
            return float(np.median(np.concatenate(parts))) if parts else float("nan")

        out[service] = ServiceScore(
            service=service,
            cuts=used_cuts,
            scored=scored,
            within=share(inside),
            below_p10=share(below),
            above_p90=share(above),
            mae_p50_days=float(np.mean(err)) if len(err) else float("nan"),
            mae_public_days=float(np.mean(perr)) if len(perr) else float("nan"),
            median_ae_p50_days=float(np.median(err)) if len(err) else float("nan"),
            median_ae_public_days=float(np.median(perr)) if len(perr) else float("nan"),
            seconds=time.perf_counter() - started,
            within_calibrated=share(cal_inside),
            below_calibrated=share(cal_below),
            above_calibrated=share(cal_above),
            width_days=median(widths),
            width_calibrated_days=median(cal_widths),
        )
    return out
