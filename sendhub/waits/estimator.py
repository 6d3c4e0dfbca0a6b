"""Queue positions and honest wait estimates for children's community health waiting lists.

Pure (numpy, no Django). For each service the estimator learns from the history known on the
as-of date: recent weekly first-appointment throughput (exponentially weighted, restarted at a
detected level shift), its long-run growth, the demand it tends towards, how much the level has
wandered in the past, the week-to-week noise, seasonal dips learned from the service's own years
(August, Christmas, Easter, half terms) on top of calendar defaults, the urgent arrival rate,
the removal hazard of waiting referrals and how far from strict referral order the service
actually sees people. It then
simulates a few hundred possible futures week by week with a fixed seed and reads every waiting
referral's 10th, 50th and 90th percentile date off the same paths. The method, its assumptions
and its measured calibration are in docs/waits-estimator.md.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from .history import Referral

__all__ = [
    "Estimate",
    "ListFigures",
    "MonthForecast",
    "ServiceModel",
    "estimate",
    "fit_services",
    "list_figures",
    "positions",
    "recent_mean_wait",
    "usual_public_figure",
]

NEVER = 1 << 40  # ordinal meaning "not (yet) happened"
MAX_WEEKS = 520  # estimates beyond ten years are capped there
FIT_WEEKS = 260  # at most five years of history are used
LEVEL_HALF_LIFE = 8.0  # weeks; the current throughput leans on the last two months
RATE_HALF_LIFE = 13.0  # weeks; arrival and removal rates lean on the last quarter
SHIFT_Z = 3.5  # how clear a step change in throughput must be before older weeks are dropped
SHIFT_MIN_CHANGE = 0.12  # ...and how large, relative to the level
DRIFT_SD_PRIOR = 0.04  # per week on the log scale: about 30% a year, what services see
DRIFT_PRIOR_YEARS = 1.5  # how much history outweighs that prior
SEASON_PRIOR_YEARS = 2.0  # years of a service's own history worth as much as the calendar default
GROWTH_WEEKS = 156  # long-run growth is measured over the last three years
GROWTH_CAP = 0.003  # per week on the log scale, about 17% a year
WIDEN_SHORT = 0.5  # model-error allowance: the p10-p90 band is widened on the log scale by
WIDEN_WEEKS = 26.0  # 1 + WIDEN_SHORT * exp(-weeks / WIDEN_WEEKS) + WIDEN_LONG, most for near dates
WIDEN_LONG = 0.0
REVERSION_SHARE = 0.5  # how much of the gap between throughput and demand closes...
REVERSION_WEEKS = 52.0  # ...and how fast (e-folding time)


@dataclass(frozen=True, slots=True)
class Estimate:
    """One waiting referral's queue position and first-appointment date percentiles."""

    referral_id: str
    service: str
    position: int
    p10: date
    p50: date
    p90: date


@dataclass(frozen=True, slots=True)
class ServiceModel:
    """What the estimator learned about one service; shown to staff so the estimate can be questioned.

    Rates are per week. `weekly_capacity` is first appointments in a normal (non-holiday) week now;
    `matching_capacity` the normal-week throughput that would keep pace with last year's
    referrals; growths are per week on the log scale; `level_sd` and `drift_sd` are the
    uncertainty of today's level and its weekly wander (log scale); `dispersion` is the weekly
    variance over the mean; `shift_on` the start of the current regime if a step was detected.
    """

    service: str
    as_of: date
    waiting: int
    waiting_urgent: int
    weekly_capacity: float
    matching_capacity: float
    capacity_growth: float
    demand_growth: float
    level_sd: float
    drift_sd: float
    dispersion: float
    shift_on: date | None
    urgent_per_week: float
    routine_per_week: float
    removal_hazard: float
    history_weeks: int
    out_of_order_days: float


@dataclass(frozen=True, slots=True)
class MonthForecast:
    """Forecast list size at the end of a month: 10th, 50th and 90th percentile over the simulated futures."""

    month_end: date
    p10: int
    p50: int
    p90: int


@dataclass(frozen=True, slots=True)
class ListFigures:
    """List-level figures for commissioners, under current capacity and a what-if multiplier."""

    service: str
    as_of: date
    waiting: int
    median_wait_weeks: float
    p92_wait_weeks: float
    weekly_capacity: float
    weekly_referrals: float
    new_referral_p50_weeks: float
    forecast: tuple[MonthForecast, ...]
    capacity_multiplier: float
    whatif_new_referral_p50_weeks: float
    whatif_forecast: tuple[MonthForecast, ...]


# --------------------------------------------------------------------------- history as arrays


@dataclass(slots=True)
class _Arrays:
    """One service's history as ordinal-day arrays, so fitting and cutting are vector operations."""

    service: str
    ids: np.ndarray  # object array of str
    ref: np.ndarray
    seen: np.ndarray
    removed: np.ndarray
    urgent: np.ndarray

    def known_on(self, day: int) -> _Arrays:
        keep = self.ref <= day
        seen = self.seen[keep]
        removed = self.removed[keep]
        return _Arrays(
            self.service,
            self.ids[keep],
            self.ref[keep],
            np.where(seen <= day, seen, NEVER),
            np.where(removed <= day, removed, NEVER),
            self.urgent[keep],
        )


def _by_service(referrals: Iterable[Referral]) -> dict[str, _Arrays]:
    grouped: dict[str, list[Referral]] = {}
    for r in referrals:
        grouped.setdefault(r.service, []).append(r)
    out: dict[str, _Arrays] = {}
    for service, rows in grouped.items():
        rows.sort(key=lambda r: (r.referred_on, r.referral_id))  # results must not depend on input order
        out[service] = _Arrays(
            service,
            np.array([r.referral_id for r in rows], dtype=object),
            np.array([r.referred_on.toordinal() for r in rows], dtype=np.int64),
            np.array([r.seen_on.toordinal() if r.seen_on else NEVER for r in rows], dtype=np.int64),
            np.array([r.removed_on.toordinal() if r.removed_on else NEVER for r in rows], dtype=np.int64),
            np.array([r.priority == "urgent" for r in rows], dtype=bool),
        )
    return out


def _service_seed(seed: int, service: str) -> int:
    """A service's random stream depends only on the seed and its name, not on other services."""
    return (seed * 1_000_003 + zlib.crc32(service.encode("utf-8"))) & 0xFFFFFFFF


# --------------------------------------------------------------------------- calendar


def _default_day_factor(day: date) -> float:
    """Calendar prior for clinic capacity on one day, before the service's own history speaks."""
    if day.weekday() >= 5:
        return 0.0
    if (day.month, day.day) in ((12, 25), (12, 26), (1, 1)):
        return 0.0
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 3):
        return 0.4
    if day.month == 8:
        return 0.75
    return 1.0


def _week_calendar(first_day: int, weeks: int) -> tuple[np.ndarray, np.ndarray]:
    """Default factor and ISO-week bucket for consecutive 7-day weeks starting on `first_day`."""
    factors = np.empty(weeks)
    buckets = np.empty(weeks, dtype=np.int64)
    for j in range(weeks):
        start = first_day + 7 * j
        days = [date.fromordinal(start + k) for k in range(7)]
        factors[j] = sum(_default_day_factor(d) for d in days) / 5.0
        buckets[j] = days[3].isocalendar().week - 1
    return factors, buckets


# --------------------------------------------------------------------------- fitting


@dataclass(slots=True)
class _Fit:
    model: ServiceModel
    season_adj: np.ndarray  # 53 multiplicative adjustments by ISO week bucket
    order_pool: np.ndarray  # days: referral date minus the median of its seen-week cohort
    urgent_waits: np.ndarray  # days from referral to first appointment, recent urgent referrals
    removal_events: float


def _ew_weights(n: int, half_life: float) -> np.ndarray:
    return 0.5 ** (np.arange(n - 1, -1, -1) / half_life)


def _rolling_median(x: np.ndarray, half: int) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(len(x)):
        out[i] = np.median(x[max(0, i - half) : i + half + 1])
    return out


def _detect_shift(z: np.ndarray, noise_var: float) -> int:
    """Index in `z` where the current regime starts: repeated best single split while it is clear."""
    start = 0
    for _ in range(4):
        x = z[start:]
        n = len(x)
        if n < 10:
            break
        csum = np.cumsum(x)
        s = np.arange(4, n - 3)
        before = csum[s - 1] / s
        after = (csum[-1] - csum[s - 1]) / (n - s)
        stat = np.abs(after - before) / np.sqrt(noise_var * (1.0 / s + 1.0 / (n - s)))
        rel = np.abs(after - before) / np.maximum(np.maximum(after, before), 1e-9)
        ok = (stat > SHIFT_Z) & (rel > SHIFT_MIN_CHANGE)
        if not ok.any():
            break
        best = int(s[np.argmax(np.where(ok, stat, -1.0))])
        start += best
    return start


def _fit(arr: _Arrays, as_of: int) -> _Fit:
    """Learn one service's throughput, its uncertainty and the list's dynamics from its own history."""
    waiting_mask = (arr.seen == NEVER) & (arr.removed == NEVER)
    waiting = int(waiting_mask.sum())
    waiting_urgent = int((waiting_mask & arr.urgent).sum())
    seen_days = arr.seen[arr.seen != NEVER]
    removed_days = arr.removed[arr.removed != NEVER]
    observed_from = int(seen_days.min()) if len(seen_days) else int(arr.ref.min())
    weeks = int(min(FIT_WEEKS, max(1, math.ceil((as_of - observed_from + 1) / 7))))
    first_day = as_of - 7 * weeks + 1

    def weekly(days: np.ndarray) -> np.ndarray:
        days = days[(days >= first_day) & (days <= as_of)]
        return np.bincount((days - first_day) // 7, minlength=weeks).astype(float)

    seen_w = weekly(seen_days)
    urgent_w = weekly(arr.ref[arr.urgent])
    routine_w = weekly(arr.ref[~arr.urgent])
    removed_w = weekly(removed_days)
    starts = first_day + 7 * np.arange(weeks)
    ref_sorted = np.sort(arr.ref)
    list_w = (
        np.searchsorted(ref_sorted, starts, side="left")
        - np.searchsorted(np.sort(seen_days), starts, side="left")
        - np.searchsorted(np.sort(removed_days), starts, side="left")
    ).astype(float)

    f0, buckets = _week_calendar(first_day, weeks)
    f0 = np.maximum(f0, 0.05)

    # Seasonal adjustment learned from this service's own years, shrunk to the calendar prior.
    z0 = seen_w / f0
    local = np.maximum(_rolling_median(z0, 6), 1e-9)
    ratio = np.clip(z0 / local, 0.0, 3.0)
    usable = local > 0.5
    sums = np.bincount(buckets[usable], weights=ratio[usable] - 1.0, minlength=53)
    counts = np.bincount(buckets[usable], minlength=53).astype(float)
    kernel_sums = sums + 0.5 * (np.roll(sums, 1) + np.roll(sums, -1))
    kernel_counts = counts + 0.5 * (np.roll(counts, 1) + np.roll(counts, -1))
    season_adj = np.clip(1.0 + kernel_sums / (kernel_counts + SEASON_PRIOR_YEARS), 0.3, 1.5)
    factor = f0 * season_adj[buckets]
    z = seen_w / np.maximum(factor, 0.05)

    total_seen = float(seen_w.sum())
    arrivals = (urgent_w + routine_w).sum() / weeks
    shift_on: date | None = None
    if total_seen < 5 or weeks < 4:
        # Next to nothing seen: assume the list moves at the rate people join it, and say we do not know.
        level = max(arrivals, total_seen / weeks, 0.25)
        level_sd, noise_var, drift_sd = 0.7, level, DRIFT_SD_PRIOR
        growth = 0.0
    else:
        # Holiday weeks (Christmas) say little about normal capacity and much about how well the
        # seasonal factor was guessed, so the level and any shift are read from the other weeks.
        normal = np.flatnonzero(f0 >= 0.7)
        normal = normal[normal >= weeks - 104]
        if len(normal) < 2:
            normal = np.arange(max(weeks - 104, 0), weeks)
        recent = z[normal]
        diffs = np.diff(recent)
        mad = np.median(np.abs(diffs - np.median(diffs))) if len(diffs) else 0.0
        noise_var = max((1.4826 * mad) ** 2 / 2.0, np.mean(recent) * 0.5, 0.25)
        shift = _detect_shift(recent, noise_var)
        if shift > 0:
            shift_on = date.fromordinal(int(first_day + 7 * normal[shift]))
        seg = recent[shift:][-52:]
        level, level_var, noise_var = _level(seg, noise_var)
        if level <= 0.1:
            level = max(float(np.mean(seg)), arrivals, 0.25)
        level_sd = min(math.sqrt(max(level_var, 0.0)) / level, 0.7)
        drift_sd = _drift_sd(z, weeks)
        growth = _growth(z)
    dispersion = float(np.clip(noise_var / max(level, 1e-9), 1.0, 6.0))

    demand_growth = _growth((urgent_w + routine_w) / np.maximum(np.where(f0 < 0.7, 0.6, 1.0), 0.05))
    rw = _ew_weights(min(weeks, 52), RATE_HALF_LIFE)
    urgent_rate = float(np.sum(rw * urgent_w[-len(rw):]) / np.sum(rw))
    routine_rate = float(np.sum(rw * routine_w[-len(rw):]) / np.sum(rw))
    matching = level
    if total_seen >= 5 and weeks >= 26:
        # The normal-week throughput that would see as many people as were referred last year.
        yearly = float(np.mean(factor[-52:]))
        matching = (np.sum(urgent_w[-52:]) + np.sum(routine_w[-52:])) / min(weeks, 52) / max(yearly, 0.3)
        matching = max(matching, 0.1)
    hw = _ew_weights(min(weeks, 52), 26.0)
    removal_events = float(np.sum(hw * removed_w[-len(hw):]))
    exposure = float(np.sum(hw * np.maximum(list_w[-len(hw):], 0.0)))
    removal_hazard = float(min(removal_events / exposure, 0.05)) if exposure > 0 else 0.0

    recent_seen = (arr.seen != NEVER) & (arr.seen > as_of - 364)
    order_pool = _order_pool(arr.ref[recent_seen & ~arr.urgent], arr.seen[recent_seen & ~arr.urgent])
    urgent_waits = (arr.seen - arr.ref)[recent_seen & arr.urgent].astype(float)

    model = ServiceModel(
        service=arr.service,
        as_of=date.fromordinal(as_of),
        waiting=waiting,
        waiting_urgent=waiting_urgent,
        weekly_capacity=round(level, 3),
        matching_capacity=round(float(matching), 3),
        capacity_growth=round(growth, 5),
        demand_growth=round(demand_growth, 5),
        level_sd=round(level_sd, 4),
        drift_sd=round(drift_sd, 4),
        dispersion=round(dispersion, 3),
        shift_on=shift_on,
        urgent_per_week=round(urgent_rate, 3),
        routine_per_week=round(routine_rate, 3),
        removal_hazard=round(removal_hazard, 5),
        history_weeks=weeks,
        out_of_order_days=round(float(np.std(order_pool)) if len(order_pool) else 0.0, 1),
    )
    return _Fit(model, season_adj, order_pool, urgent_waits, removal_events)


def _level(seg: np.ndarray, noise_var: float) -> tuple[float, float, float]:
    """Current throughput level of the current regime, the level's variance and the weekly noise.

    An exponentially weighted mean follows a recent change within weeks without being thrown by
    one odd week. No short-term trend is extrapolated: backtests showed a trend fitted to a few
    noisy months does more harm than good; lasting change is left to the growth and drift terms.
    """
    n = len(seg)
    w = _ew_weights(n, LEVEL_HALF_LIFE)
    level = float(np.sum(w * seg) / np.sum(w))
    if n >= 6:
        noise_var = max(float(np.sum(w * (seg - level) ** 2) / np.sum(w)), 0.25)
    level_var = noise_var * float(np.sum(w**2) / np.sum(w) ** 2)
    if n < 6:
        level_var += (0.3 * max(level, 0.0)) ** 2
    return level, level_var, noise_var


def _growth(z: np.ndarray) -> float:
    """Long-run growth per week (log scale) of a weekly series over up to three years, kept only if clear.

    Services grow or shrink over years (investment follows demand, posts are cut); a slope fitted
    to 4-week block means is shrunk towards zero by its own standard error and capped.
    """
    x = z[-GROWTH_WEEKS:]
    blocks = len(x) // 4
    if blocks < 13:
        return 0.0
    means = x[len(x) - 4 * blocks :].reshape(blocks, 4).mean(axis=1)
    if np.any(means <= 0):
        return 0.0
    y = np.log(means)
    t = 4.0 * np.arange(blocks)
    tm = t.mean()
    sxx = float(np.sum((t - tm) ** 2))
    slope = float(np.sum((t - tm) * (y - y.mean())) / sxx)
    resid = y - y.mean() - slope * (t - tm)
    se2 = float(np.sum(resid**2) / (blocks - 2) / sxx)
    # Residuals of a random walk are autocorrelated; inflate the error so noise is not taken for growth.
    se2 *= 4.0
    shrunk = slope * max(0.0, 1.0 - se2 / slope**2) if slope else 0.0
    return float(np.clip(shrunk, -GROWTH_CAP, GROWTH_CAP))


def _drift_sd(z: np.ndarray, weeks: int) -> float:
    """How much the deseasonalised throughput wanders per week (log scale), from 4-week block means."""
    blocks = len(z) // 4
    if blocks < 6:
        return DRIFT_SD_PRIOR
    means = z[len(z) - 4 * blocks :].reshape(blocks, 4).mean(axis=1)
    if np.any(means <= 0):
        means = np.maximum(means, max(float(np.mean(means)) * 0.05, 0.05))
    x = np.log(means)
    lags = np.arange(1, min(13, blocks // 2) + 1)
    gamma = np.array([np.mean((x[lag:] - x[:-lag]) ** 2) for lag in lags])
    slope = float(np.polyfit(lags.astype(float), gamma, 1)[0]) if len(lags) >= 2 else 0.0
    learned = max(slope, 0.0) / 4.0
    years = weeks / 52.0
    var = (years * learned + DRIFT_PRIOR_YEARS * DRIFT_SD_PRIOR**2) / (years + DRIFT_PRIOR_YEARS)
    return math.sqrt(var)


def _order_pool(ref: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """Referral date minus the median referral date of people seen the same week: out-of-order-ness."""
    if len(ref) == 0:
        return np.zeros(0)
    week = seen // 7
    order = np.argsort(week, kind="stable")
    week, ref = week[order], ref[order]
    bounds = np.flatnonzero(np.diff(week)) + 1
    pool = []
    for group in np.split(ref, bounds):
        if len(group) >= 3:
            pool.append(group - np.median(group))
    return np.concatenate(pool) if pool else np.zeros(0)


def fit_services(referrals: Iterable[Referral], as_of: date) -> dict[str, ServiceModel]:
    """The fitted parameters per service, for staff screens and the documentation."""
    a = as_of.toordinal()
    return {s: _fit(arr.known_on(a), a).model for s, arr in sorted(_by_service(referrals).items())}


# --------------------------------------------------------------------------- simulation


@dataclass(slots=True)
class _Paths:
    capacity: np.ndarray  # (paths, weeks) first appointments available each week
    urgent: np.ndarray  # (paths, weeks) new urgent referrals each week
    routine: np.ndarray  # (paths, weeks) new routine referrals each week
    hazard: np.ndarray  # (paths,) weekly removal hazard


def _simulate_paths(fit: _Fit, as_of: int, paths: int, weeks: int, rng: np.random.Generator) -> _Paths:
    """Possible futures of capacity and demand: uncertain level, random-walk drift, seasons, noise."""
    m = fit.model
    f0, buckets = _week_calendar(as_of + 1, weeks)
    season = f0 * fit.season_adj[buckets]
    t = np.arange(1, weeks + 1)
    e0 = rng.normal(0.0, m.level_sd, size=(paths, 1))
    walk = np.cumsum(rng.normal(0.0, m.drift_sd, size=(paths, weeks)), axis=1)
    # Shortages get recruited back, long lists bring recovery plans, short ones lose staff to
    # other work: part of the gap between throughput and demand closes over about a year.
    gap = math.log(m.matching_capacity / m.weekly_capacity) * REVERSION_SHARE
    revert = gap * (1.0 - np.exp(-t / REVERSION_WEEKS))
    mean = m.weekly_capacity * np.exp(e0 + revert[None, :] + m.capacity_growth * t[None, :] + walk) * season[None, :]
    noise = rng.standard_normal((paths, weeks)) * np.sqrt(m.dispersion * mean)
    capacity = np.maximum(mean + noise, 0.0)
    demand_walk = np.exp(m.demand_growth * t[None, :] + np.cumsum(rng.normal(0.0, DRIFT_SD_PRIOR, size=(paths, weeks)), axis=1))
    demand_season = np.where(f0 < 0.7, 0.6, 1.0)[None, :]
    urgent = rng.poisson(m.urgent_per_week * demand_walk * demand_season).astype(float)
    routine = rng.poisson(m.routine_per_week * demand_walk * demand_season).astype(float)
    spread = 1.0 / math.sqrt(fit.removal_events + 1.0)
    hazard = np.clip(m.removal_hazard * np.exp(rng.normal(0.0, spread, size=paths)), 0.0, 0.2)
    return _Paths(capacity, urgent, routine, hazard)


def _progress(p: _Paths, n_urgent: int) -> np.ndarray:
    """Cumulative queue progress in rank units: column t is how far the queue has moved after t weeks.

    Waiting urgent referrals (ranks 1..n_urgent) go first, then new urgent arrivals, then routine
    referrals. A rank unit is one referral on today's list; because people ahead leave without
    being seen, one appointment moves the queue by more than one rank as time goes on.
    """
    paths, weeks = p.capacity.shape
    progress = np.zeros((paths, weeks + 1))
    r = np.zeros(paths)
    backlog = np.zeros(paths)
    survive = np.ones(paths)
    for t in range(weeks):
        c = p.capacity[:, t].copy()
        ahead = np.maximum(n_urgent - r, 0.0) * survive
        take = np.minimum(c, ahead)
        r += take / survive
        c -= take
        backlog += p.urgent[:, t]
        take = np.minimum(c, backlog)
        backlog -= take
        c -= take
        r += c / survive
        survive *= 1.0 - p.hazard
        progress[:, t + 1] = r
    return progress


def _crossing_weeks(progress: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """For each path and target rank, the (fractional) week at which the queue reaches it."""
    paths, cols = progress.shape
    big = float(progress.max() + targets.max() + 2.0)
    flat = (progress + big * np.arange(paths)[:, None]).ravel()
    keys = targets + big * np.arange(paths)[:, None]
    idx = np.searchsorted(flat, keys.ravel(), side="left").reshape(keys.shape) - np.arange(paths)[:, None] * cols
    idx = np.clip(idx, 1, cols - 1)
    hi = np.take_along_axis(progress, idx, axis=1)
    lo = np.take_along_axis(progress, idx - 1, axis=1)
    frac = np.clip((targets - lo) / np.maximum(hi - lo, 1e-12), 0.0, 1.0)
    weeks = idx - 1 + frac
    return np.where(targets > progress[:, -1:], float(cols - 1), weeks)


def _order(arr: _Arrays, waiting: np.ndarray) -> np.ndarray:
    """Contract order of waiting referrals: urgent first, then referral date, then referral_id."""
    idx = np.flatnonzero(waiting)
    keys = sorted(idx, key=lambda i: (not arr.urgent[i], int(arr.ref[i]), arr.ids[i]))
    return np.array(keys, dtype=np.int64)


def _horizon(fit: _Fit, last_rank: float) -> int:
    """Enough weeks for a slow future to reach the back of the list, within the ten-year cap."""
    m = fit.model
    rate = max(m.weekly_capacity * 0.6 - m.urgent_per_week, m.weekly_capacity * 0.1, 0.05)
    return int(min(MAX_WEEKS, max(26, math.ceil(3.0 * last_rank / rate) + 26)))


@dataclass(slots=True)
class _ServiceRun:
    ordered: np.ndarray  # indices into the service arrays, in position order
    days: np.ndarray  # (paths, n) day offsets after as-of of each waiting referral's first appointment
    paths: _Paths
    progress: np.ndarray
    n_urgent: int


def _run_service(
    arr: _Arrays, fit: _Fit, as_of: int, *, paths: int, seed: int, capacity_multiplier: float = 1.0
) -> _ServiceRun:
    waiting = (arr.seen == NEVER) & (arr.removed == NEVER)
    ordered = _order(arr, waiting)
    n = len(ordered)
    n_urgent = int(arr.urgent[ordered].sum()) if n else 0
    rng = np.random.default_rng(_service_seed(seed, arr.service))
    weeks = _horizon(fit, n + 1.0)
    sim = _simulate_paths(fit, as_of, paths, weeks, rng)
    if capacity_multiplier != 1.0:
        sim.capacity = sim.capacity * capacity_multiplier
    progress = _progress(sim, n_urgent)
    if n == 0:
        return _ServiceRun(ordered, np.zeros((paths, 0)), sim, progress, 0)

    ranks = np.arange(1, n + 1, dtype=float)
    targets = np.broadcast_to(ranks - 0.5, (paths, n)).copy()
    n_routine = n - n_urgent
    if n_routine and len(fit.order_pool) >= 30:
        # Services do not see people in strict order; place each routine referral, path by path,
        # where a referral that much earlier or later in the list would be.
        ref = arr.ref[ordered[n_urgent:]].astype(float)
        uniq, first, counts = np.unique(ref, return_index=True, return_counts=True)
        mid = n_urgent + first + (counts - 1) / 2.0 + 1.0
        offset = ranks[n_urgent:] - mid[np.searchsorted(uniq, ref)]
        shift = rng.choice(fit.order_pool, size=(paths, 1))
        rate_per_day = max(fit.model.routine_per_week / 7.0, 1e-6)
        key = ref[None, :] - shift
        inside = np.interp(key, uniq, mid)
        inside = np.where(key > uniq[-1], mid[-1] + (key - uniq[-1]) * rate_per_day, inside)
        targets[:, n_urgent:] = np.maximum.accumulate(inside + offset[None, :], axis=1) - 0.5
        targets[:, n_urgent:] = np.maximum(targets[:, n_urgent:], targets[:, n_urgent - 1 : n_urgent] if n_urgent else 0.0)
    crossing = _crossing_weeks(progress, targets)
    days = 1.0 + np.floor(7.0 * crossing)
    if len(fit.urgent_waits) >= 5:
        # Nobody is seen sooner after referral than urgent referrals usually are (triage, booking).
        lag = rng.choice(fit.urgent_waits, size=(paths, 1))
        earliest = arr.ref[ordered][None, :] + lag - as_of
        days = np.maximum(days, earliest)
    return _ServiceRun(ordered, days, sim, progress, n_urgent)


def _quantile_days(days: np.ndarray) -> np.ndarray:
    q = np.quantile(days, [0.1, 0.5, 0.9], axis=0)
    # The simulation knows only the uncertainty it models; backtests show real lists move more.
    logs = np.log(np.maximum(q, 1.0))
    widen = 1.0 + WIDEN_SHORT * np.exp(-q[1] / (7.0 * WIDEN_WEEKS)) + WIDEN_LONG
    q = np.exp(logs[1] + widen * (logs - logs[1]))
    q = np.maximum(np.rint(q), 1.0)
    q = np.maximum.accumulate(q, axis=0)  # p10 <= p50 <= p90
    return np.maximum.accumulate(q, axis=1)  # nobody further back gets an earlier date


def estimate(
    referrals: Iterable[Referral],
    as_of: date,
    *,
    paths: int = 400,
    seed: int = 0,
    capacity_multiplier: float = 1.0,
) -> list[Estimate]:
    """Positions and p10/p50/p90 first-appointment dates for every referral waiting on `as_of`.

    `referrals` is the history known on `as_of` (anything dated later is ignored, so a longer
    history can be passed safely). Rows come back grouped by service (sorted by name), in position
    order. `capacity_multiplier` scales future capacity for what-if questions.
    """
    a = as_of.toordinal()
    out: list[Estimate] = []
    for service, full in sorted(_by_service(referrals).items()):
        out.extend(_estimate_arrays(full.known_on(a), a, paths=paths, seed=seed, capacity_multiplier=capacity_multiplier))
    return out


def _estimate_arrays(
    arr: _Arrays, as_of: int, *, paths: int, seed: int, capacity_multiplier: float = 1.0
) -> list[Estimate]:
    waiting = (arr.seen == NEVER) & (arr.removed == NEVER)
    if not waiting.any():
        return []
    fit = _fit(arr, as_of)
    run = _run_service(arr, fit, as_of, paths=paths, seed=seed, capacity_multiplier=capacity_multiplier)
    q = _quantile_days(run.days).astype(np.int64)
    base = date.fromordinal(as_of)
    ids = arr.ids[run.ordered]
    return [
        Estimate(
            str(ids[k]),
            arr.service,
            k + 1,
            base + timedelta(days=int(q[0, k])),
            base + timedelta(days=int(q[1, k])),
            base + timedelta(days=int(q[2, k])),
        )
        for k in range(len(ids))
    ]


# --------------------------------------------------------------------------- public comparators


def recent_mean_wait(referrals: Iterable[Referral], as_of: date, *, weeks: int = 13) -> dict[str, float | None]:
    """Mean wait in days of patients first seen in the `weeks` before `as_of`, per service (None if nobody)."""
    a = as_of.toordinal()
    out: dict[str, float | None] = {}
    for service, arr in sorted(_by_service(referrals).items()):
        out[service] = _mean_wait(arr, a, weeks)
    return out


def _mean_wait(arr: _Arrays, as_of: int, weeks: int) -> float | None:
    mask = (arr.seen <= as_of) & (arr.seen > as_of - 7 * weeks)
    if not mask.any():
        return None
    return float(np.mean(arr.seen[mask] - arr.ref[mask]))


def usual_public_figure(referrals: Iterable[Referral], as_of: date, *, weeks: int = 13) -> dict[str, date | None]:
    """The figure services publish today: referral date + mean wait of those seen in the last `weeks`.

    Keyed by referral_id for every referral waiting on `as_of`. Like NHS "My Planned Care" it
    ignores position, removals, urgent overtaking and changes in capacity, and it can point to a
    date already past; None where the service saw nobody in the window.
    """
    a = as_of.toordinal()
    out: dict[str, date | None] = {}
    for arr in _by_service(referrals).values():
        arr = arr.known_on(a)
        mean = _mean_wait(arr, a, weeks)
        waiting = np.flatnonzero((arr.seen == NEVER) & (arr.removed == NEVER))
        for i in waiting:
            out[str(arr.ids[i])] = None if mean is None else date.fromordinal(int(arr.ref[i] + round(mean)))
    return out


# --------------------------------------------------------------------------- list-level figures


def _month_ends(as_of: date, months: int) -> list[date]:
    out = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        out.append(date(year, month, 1) - timedelta(days=1))
    return out


def _list_sizes(sim: _Paths, start: float, capacity: np.ndarray) -> np.ndarray:
    """List size after each week: joiners in, removals and first appointments out."""
    paths, weeks = capacity.shape
    size = np.full(paths, start)
    out = np.empty((paths, weeks))
    for t in range(weeks):
        size = size * (1.0 - sim.hazard) + sim.urgent[:, t] + sim.routine[:, t]
        size = size - np.minimum(capacity[:, t], size)
        out[:, t] = size
    return out


def list_figures(
    referrals: Iterable[Referral],
    as_of: date,
    *,
    capacity_multiplier: float = 1.2,
    months: int = 12,
    paths: int = 400,
    seed: int = 0,
) -> dict[str, ListFigures]:
    """Per service: list size, median and 92nd-percentile wait so far, and 12-month list forecasts.

    The forecast runs the same simulated futures twice, once at current capacity and once with
    capacity times `capacity_multiplier` (1.2 is "a fifth more clinic time", e.g. two more
    therapists in a team of ten), so the difference is the effect of the change, not of chance.
    """
    a = as_of.toordinal()
    ends = _month_ends(as_of, months)
    out: dict[str, ListFigures] = {}
    for service, full in sorted(_by_service(referrals).items()):
        arr = full.known_on(a)
        waiting = (arr.seen == NEVER) & (arr.removed == NEVER)
        n = int(waiting.sum())
        waits = (a - arr.ref[waiting]) / 7.0
        fit = _fit(arr, a)
        run = _run_service(arr, fit, a, paths=paths, seed=seed)
        weeks = max(run.paths.capacity.shape[1], math.ceil((ends[-1].toordinal() - a) / 7) + 1)
        if weeks > run.paths.capacity.shape[1]:
            sim = _simulate_paths(fit, a, paths, weeks, np.random.default_rng(_service_seed(seed, service)))
        else:
            sim = run.paths
        figures: list[tuple[float, tuple[MonthForecast, ...]]] = []
        for multiplier in (1.0, capacity_multiplier):
            capacity = sim.capacity * multiplier
            sizes = _list_sizes(sim, float(n), capacity)
            scaled = _Paths(capacity, sim.urgent, sim.routine, sim.hazard)
            crossing = _crossing_weeks(_progress(scaled, run.n_urgent), np.full((paths, 1), n + 0.5))
            new_p50 = float(np.median(crossing))
            forecast = []
            for end in ends:
                col = min(max((end.toordinal() - a) // 7 - 1, 0), sizes.shape[1] - 1)
                lo, mid, hi = np.quantile(sizes[:, col], [0.1, 0.5, 0.9])
                forecast.append(MonthForecast(end, int(round(lo)), int(round(mid)), int(round(hi))))
            figures.append((round(new_p50, 1), tuple(forecast)))
        out[service] = ListFigures(
            service=service,
            as_of=as_of,
            waiting=n,
            median_wait_weeks=round(float(np.median(waits)), 1) if n else 0.0,
            p92_wait_weeks=round(float(np.quantile(waits, 0.92)), 1) if n else 0.0,
            weekly_capacity=fit.model.weekly_capacity,
            weekly_referrals=round(fit.model.urgent_per_week + fit.model.routine_per_week, 2),
            new_referral_p50_weeks=figures[0][0],
            forecast=figures[0][1],
            capacity_multiplier=capacity_multiplier,
            whatif_new_referral_p50_weeks=figures[1][0],
            whatif_forecast=figures[1][1],
        )
    return out


def positions(referrals: Sequence[Referral]) -> dict[str, int]:
    """Queue position (1 = next) of every waiting referral, per the contract's ordering."""
    out: dict[str, int] = {}
    by_service: dict[str, list[Referral]] = {}
    for r in referrals:
        if r.waiting:
            by_service.setdefault(r.service, []).append(r)
    for rows in by_service.values():
        rows.sort(key=lambda r: (not r.urgent, r.referred_on, r.referral_id))
        for k, r in enumerate(rows, start=1):
            out[r.referral_id] = k
    return out
