"""Simulate realistic referral histories for children's community health waiting lists.

Pure and deterministic for a seed. The estimator is tested and backtested on these histories and
the demo data reuses them, so the simulator deliberately does *not* follow the estimator's own
model: it books individual appointment slots day by day, serves urgent referrals first, takes
routine referrals roughly (not exactly) in referral order, removes referrals at a hazard plus
occasional validation sweeps, and changes capacity and demand through regimes that the estimator
cannot see coming: recovery plans (often triggered by long waits), staff shortages, funding cuts,
demand surges, school holidays, August and Christmas.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from .history import Referral

__all__ = [
    "DEFAULT_PROFILES",
    "RegimeChange",
    "ServiceProfile",
    "simulate_borough",
    "simulate_service",
]


@dataclass(frozen=True, slots=True)
class RegimeChange:
    """A change in capacity (appointments per week) or demand (referrals per week) from a date.

    The factor multiplies the level, reached gradually over `ramp_weeks`; with `lasts_weeks` the
    change then unwinds over the same ramp, otherwise it is permanent.
    """

    on: date
    kind: Literal["capacity", "demand"]
    factor: float
    ramp_weeks: int = 0
    lasts_weeks: int | None = None

    def multiplier(self, day: date) -> float:
        weeks = (day - self.on).days / 7
        if weeks <= 0:
            return 1.0
        ramp = max(self.ramp_weeks, 0)
        log_f = math.log(self.factor)
        share = 1.0 if ramp == 0 else min(weeks / ramp, 1.0)
        if self.lasts_weeks is not None:
            end = ramp + self.lasts_weeks
            if weeks > end:
                unwind = 1.0 if ramp == 0 else min((weeks - end) / ramp, 1.0)
                share = max(0.0, 1.0 - unwind)
        return math.exp(log_f * share)


@dataclass(frozen=True, slots=True)
class ServiceProfile:
    """The shape of one service's list; the defaults describe an ordinary English community service."""

    weekly_referrals: float
    weekly_capacity: float
    typical_wait_weeks: float
    urgent_share: float = 0.12
    demand_growth_per_year: float = 0.0
    removal_hazard_per_week: float = 0.002
    validation_sweeps_per_year: float = 0.5
    sweep_share: float = 0.03
    order_noise_days: float = 10.0
    rebook_share: float = 0.05
    triage_days: int = 7
    school_linked: bool = True
    august_capacity: float = 0.7
    christmas_capacity: float = 0.35
    shortages_per_year: float = 0.35
    demand_surges_per_year: float = 0.25
    capacity_drift_per_week: float = 0.008
    managed: bool = True
    events: tuple[RegimeChange, ...] = field(default=())


DEFAULT_PROFILES: Mapping[str, ServiceProfile] = {
    # National wheelchair standard is 18 weeks; small list, adults' and children's teams share staff.
    "wheelchair": ServiceProfile(
        weekly_referrals=8.0, weekly_capacity=8.1, typical_wait_weeks=18, urgent_share=0.15,
        removal_hazard_per_week=0.004, order_noise_days=8, school_linked=False,
    ),
    # Autism/ADHD assessment: demand rising ~8% a year, waits of one to three years.
    "neurodevelopmental": ServiceProfile(
        weekly_referrals=30.0, weekly_capacity=28.5, typical_wait_weeks=70, urgent_share=0.10,
        demand_growth_per_year=0.08, removal_hazard_per_week=0.0008, order_noise_days=21,
    ),
    "speech_language": ServiceProfile(
        weekly_referrals=45.0, weekly_capacity=44.5, typical_wait_weeks=28, urgent_share=0.10,
        demand_growth_per_year=0.03, removal_hazard_per_week=0.002, order_noise_days=14,
    ),
    "occupational_therapy": ServiceProfile(
        weekly_referrals=14.0, weekly_capacity=13.7, typical_wait_weeks=36, urgent_share=0.12,
        demand_growth_per_year=0.03, removal_hazard_per_week=0.002, order_noise_days=14,
    ),
    "sensory_ot": ServiceProfile(
        weekly_referrals=6.0, weekly_capacity=5.8, typical_wait_weeks=48, urgent_share=0.10,
        demand_growth_per_year=0.04, removal_hazard_per_week=0.0015, order_noise_days=21,
    ),
    "physiotherapy": ServiceProfile(
        weekly_referrals=16.0, weekly_capacity=16.3, typical_wait_weeks=16, urgent_share=0.18,
        removal_hazard_per_week=0.004, order_noise_days=7, school_linked=False,
    ),
    # CAMHS core (not crisis): urgent share higher, four to twelve months.
    "camhs_core": ServiceProfile(
        weekly_referrals=30.0, weekly_capacity=29.6, typical_wait_weeks=26, urgent_share=0.18,
        demand_growth_per_year=0.05, removal_hazard_per_week=0.003, order_noise_days=14,
    ),
}


def _easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return day - timedelta(days=day.weekday())


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _bank_holidays(year: int) -> set[date]:
    easter = _easter(year)
    return {
        date(year, 1, 1),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def _capacity_season(day: date, profile: ServiceProfile, easter: date) -> float:
    """Share of normal clinic capacity on a working day: leave clusters in school holidays."""
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 3):
        return profile.christmas_capacity
    if day.month == 8:
        return profile.august_capacity
    if day.month == 7 and day.day >= 22:
        return 0.5 * (1.0 + profile.august_capacity)
    if profile.school_linked:
        if abs((day - easter).days) <= 7:
            return 0.8
        if (day.month == 10 and day.day >= 24) or (day.month == 2 and 12 <= day.day <= 18) or (
            day.month == 5 and day.day >= 26
        ):
            return 0.88
    return 1.0


def _demand_season(day: date, profile: ServiceProfile) -> float:
    """Referral volume by time of year: schools refer in term time, little over Christmas."""
    if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 3):
        return 0.4
    if not profile.school_linked:
        return 0.9 if day.month == 8 else 1.0
    return {8: 0.5, 7: 0.9, 9: 1.15, 10: 1.2, 11: 1.1, 12: 0.9}.get(day.month, 1.0)


def _season_norms(year: int, profile: ServiceProfile, holidays: set[date], easter: date) -> tuple[float, float]:
    """Working-day divisors so that a profile's weekly figures are yearly averages, holidays included."""
    day, cap, dem = date(year, 1, 1), 0.0, 0.0
    while day.year == year:
        if day.weekday() < 5 and day not in holidays:
            cap += _capacity_season(day, profile, easter)
            dem += _demand_season(day, profile)
        day += timedelta(days=1)
    weeks = 365.25 / 7
    return cap / weeks, dem / weeks


def _random_events(
    rng: random.Random, start: date, end: date, profile: ServiceProfile
) -> list[RegimeChange]:
    """Staff shortages and demand surges arrive as Poisson processes nobody schedules."""
    events: list[RegimeChange] = []
    years = (end - start).days / 365.25
    for rate, kind in ((profile.shortages_per_year, "capacity"), (profile.demand_surges_per_year, "demand")):
        t = 0.0
        while rate > 0:
            t += rng.expovariate(rate)
            if t >= years:
                break
            on = start + timedelta(days=int(t * 365.25))
            if kind == "capacity":
                events.append(RegimeChange(on, "capacity", rng.uniform(0.6, 0.85), rng.randint(0, 3), rng.randint(10, 52)))
            else:
                lasts = None if rng.random() < 0.3 else rng.randint(8, 40)
                events.append(RegimeChange(on, "demand", rng.uniform(1.15, 1.6), rng.randint(2, 8), lasts))
    return events


@dataclass(slots=True)
class _Waiting:
    referral_id: str
    referred: date
    urgent: bool
    remove_at: date


def simulate_service(
    *, service: str, start: date, end: date, seed: int, profile: ServiceProfile
) -> list[Referral]:
    """Simulate one service's referrals as a data extract taken on `end`.

    The extract holds the list already waiting on `start` (referred before it, spread over the
    typical wait) and every referral made from `start` to `end`, with `seen_on`/`removed_on`
    filled in where that happened by `end`. Ids are `<service>-<number>`.
    """
    if end < start:
        raise ValueError("end is before start")
    rng = random.Random(f"{service}|{seed}")
    events = [*profile.events, *_random_events(rng, start, end, profile)]
    managed: list[RegimeChange] = []
    drift = 0.0
    holidays: dict[int, set[date]] = {}
    easters: dict[int, date] = {}
    norms: dict[int, tuple[float, float]] = {}
    heap_urgent: list[tuple[int, int, int]] = []
    heap_routine: list[tuple[float, int, int]] = []
    triage: list[tuple[int, int, int]] = []
    waiting: list[_Waiting] = []
    outcomes: list[tuple[date | None, date | None]] = []
    seq = 0

    def draw_removal(referred: date) -> date:
        h = profile.removal_hazard_per_week
        weeks = rng.expovariate(h) if h > 0 else 1e6
        return referred + timedelta(days=min(int(weeks * 7) + 1, 36500))

    def add(referred: date, urgent: bool, *, eligible_now: bool) -> None:
        nonlocal seq
        index = len(waiting)
        remove_at = draw_removal(max(referred, start))
        waiting.append(_Waiting(f"{service}-{index + 1:06d}", referred, urgent, remove_at))
        outcomes.append((None, None))
        seq += 1
        if eligible_now:
            push(index)
        else:
            lag = profile.triage_days + rng.randint(0, max(profile.triage_days, 1))
            heapq.heappush(triage, ((referred + timedelta(days=lag)).toordinal(), seq, index))

    def push(index: int) -> None:
        item = waiting[index]
        if item.urgent:
            heapq.heappush(heap_urgent, (item.referred.toordinal(), seq, index))
            return
        key = item.referred.toordinal() + rng.gauss(0.0, profile.order_noise_days)
        if rng.random() < profile.rebook_share:
            key += rng.uniform(14, 70)
        heapq.heappush(heap_routine, (key, seq, index))

    sweep_days: list[date] = []
    t = 0.0
    years = (end - start).days / 365.25
    while profile.validation_sweeps_per_year > 0:
        t += rng.expovariate(profile.validation_sweeps_per_year)
        if t >= years:
            break
        sweep_days.append(start + timedelta(days=int(t * 365.25)))

    def removal_before(index: int, day: date) -> date | None:
        """When (if at all) this referral left the list before `day`: decided lazily, consistently."""
        item = waiting[index]
        first = item.remove_at if item.remove_at < day else None
        if not item.urgent:
            for sweep in sweep_days:
                if sweep >= day or (first is not None and sweep >= first):
                    break
                if (sweep - item.referred).days > 182 and rng.random() < profile.sweep_share:
                    first = sweep
                    break
        return first

    backlog = max(int(round(profile.typical_wait_weeks * profile.weekly_capacity)), 0)
    span = max(int(profile.typical_wait_weeks * 7), 1)
    for i in range(backlog):
        referred = start - timedelta(days=span - (i * span) // max(backlog, 1))
        add(referred, rng.random() < profile.urgent_share * 0.1, eligible_now=True)

    day = start
    last_recovery: date | None = None
    while day <= end:
        year = day.year
        if year not in holidays:
            holidays[year] = _bank_holidays(year)
            easters[year] = _easter(year)
            norms[year] = _season_norms(year, profile, holidays[year], easters[year])
        if day.weekday() == 0:
            drift += rng.gauss(0.0, profile.capacity_drift_per_week)
            drift = max(-0.4, min(0.4, drift))
        working = day.weekday() < 5 and day not in holidays[year]
        years_in = (day - start).days / 365.25
        capacity = profile.weekly_capacity * math.exp(drift)
        demand = profile.weekly_referrals * (1 + profile.demand_growth_per_year) ** years_in
        for event in (*events, *managed):
            if event.kind == "capacity":
                capacity *= event.multiplier(day)
            else:
                demand *= event.multiplier(day)
        if profile.managed and day.weekday() == 0:
            # Commissioners react to the list: long waits bring a recovery plan, an empty list
            # sees staff redeployed. Decided on list size only, as a manager would see it.
            implied_wait = (len(heap_urgent) + len(heap_routine) + len(triage)) / max(capacity, 0.1)
            recent = last_recovery is not None and (day - last_recovery).days < 365
            if implied_wait > 1.5 * profile.typical_wait_weeks and not recent and rng.random() < 0.03:
                managed.append(RegimeChange(day, "capacity", rng.uniform(1.2, 1.5), rng.randint(6, 16)))
                last_recovery = day
            elif implied_wait < 0.5 * profile.typical_wait_weeks and rng.random() < 0.03:
                managed.append(RegimeChange(day, "capacity", rng.uniform(0.75, 0.9), rng.randint(0, 8)))
        if working:
            cap_norm, demand_norm = norms[year]
            arrivals = _poisson(rng, demand * _demand_season(day, profile) / demand_norm)
            for _ in range(arrivals):
                add(day, rng.random() < profile.urgent_share, eligible_now=False)
            while triage and triage[0][0] <= day.toordinal():
                _, _, index = heapq.heappop(triage)
                push(index)
            slots = _poisson(rng, capacity * _capacity_season(day, profile, easters[year]) / cap_norm)
            while slots > 0 and (heap_urgent or heap_routine):
                heap = heap_urgent if heap_urgent else heap_routine
                _, _, index = heapq.heappop(heap)
                removed = removal_before(index, day)
                if removed is not None:
                    outcomes[index] = (None, removed)
                    continue
                outcomes[index] = (day, None)
                slots -= 1
        day += timedelta(days=1)

    for heap in (heap_urgent, heap_routine, triage):
        for entry in heap:
            index = entry[2]
            removed = removal_before(index, end + timedelta(days=1))
            if removed is not None:
                outcomes[index] = (None, removed)

    out = [
        Referral(item.referral_id, service, "urgent" if item.urgent else "routine", item.referred, seen, removed)
        for item, (seen, removed) in zip(waiting, outcomes, strict=True)
    ]
    out.sort(key=lambda r: (r.referred_on, r.referral_id))
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    """Poisson draw without numpy, exact for the small daily means used here."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, int(round(rng.gauss(mean, math.sqrt(mean)))))
    limit = math.exp(-mean)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def simulate_borough(
    *, start: date, end: date, seed: int, profiles: Mapping[str, ServiceProfile] = DEFAULT_PROFILES
) -> list[Referral]:
    """Every service of a borough, for demo data: each service has its own stream of randomness."""
    out: list[Referral] = []
    for service, profile in profiles.items():
        out.extend(simulate_service(service=service, start=start, end=end, seed=seed, profile=profile))
    return out
