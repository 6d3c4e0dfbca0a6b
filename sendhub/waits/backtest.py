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

from .estimator import NEVER, _by_service, _fit, _mean_wait, _quantile_days, _run_service
from .history import Referral

__all__ = ["ServiceScore", "backtest", "cut_dates"]


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


def cut_dates(first: date, last: date, every_weeks: int = 4) -> list[date]:
    """Cut dates from `first` to `last` inclusive, `every_weeks` apart."""
    out = []
    day = first
    while day <= last:
        out.append(day)
        day += timedelta(weeks=every_weeks)
    return out


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
    if end is None:
        last = 0
        for arr in services.values():
            for values in (arr.ref, arr.seen[arr.seen != NEVER], arr.removed[arr.removed != NEVER]):
                if len(values):
                    last = max(last, int(values.max()))
        end_day = last
    else:
        end_day = end.toordinal()
    out: dict[str, ServiceScore] = {}
    for service, full in sorted(services.items()):
        started = time.perf_counter()
        inside = below = above = scored = used_cuts = 0
        errors: list[np.ndarray] = []
        public_errors: list[np.ndarray] = []
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
            keep_idx = full.ref <= c
            original = np.flatnonzero(keep_idx)[run.ordered]
            seen = full.seen[original]
            removed = full.removed[original]
            mask = (q[2] <= end_day) & ~((removed <= end_day) & (seen == NEVER))
            if not mask.any():
                continue
            used_cuts += 1
            seen, p10, p50, p90 = seen[mask], q[0][mask], q[1][mask], q[2][mask]
            scored += int(mask.sum())
            observed = seen <= end_day
            inside += int(np.sum(observed & (seen >= p10) & (seen <= p90)))
            below += int(np.sum(observed & (seen < p10)))
            above += int(np.sum(~observed | (seen > p90)))
            mean = _mean_wait(known, c, public_weeks)
            ref = full.ref[original][mask]
            public = np.maximum(ref + (mean if mean is not None else 0.0), c + 1)
            errors.append(np.abs(p50 - seen)[observed])
            public_errors.append(np.abs(np.rint(public) - seen)[observed])
        err = np.concatenate(errors) if errors else np.zeros(0)
        perr = np.concatenate(public_errors) if public_errors else np.zeros(0)
        out[service] = ServiceScore(
            service=service,
            cuts=used_cuts,
            scored=scored,
            within=inside / scored if scored else float("nan"),
            below_p10=below / scored if scored else float("nan"),
            above_p90=above / scored if scored else float("nan"),
            mae_p50_days=float(np.mean(err)) if len(err) else float("nan"),
            mae_public_days=float(np.mean(perr)) if len(perr) else float("nan"),
            median_ae_p50_days=float(np.median(err)) if len(err) else float("nan"),
            median_ae_public_days=float(np.median(perr)) if len(perr) else float("nan"),
            seconds=time.perf_counter() - started,
        )
    return out
