"""Backtest the wait estimator on simulated histories and print calibration, error and timings.

    .venv/bin/python bench/waits_backtest.py [--seeds 3,4,5] [--every 8] [--paths 150] [--quick]

For every default service profile (docs/waits-estimator.md) and for scenarios with a scheduled
regime change (recovery plan, staff shortage, demand surge, and a steady list for contrast) it
simulates nine years, cuts the history every few weeks from month 17 to month 102, estimates the
then-waiting referrals from what was known then and scores them against what happened. Seeds 1
and 2 were used while tuning the estimator; the default report uses other seeds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sendhub.waits.backtest import ServiceScore, backtest, cut_dates  # noqa: E402
from sendhub.waits.estimator import estimate  # noqa: E402
from sendhub.waits.simulate import DEFAULT_PROFILES, RegimeChange, ServiceProfile, simulate_borough, simulate_service  # noqa: E402

START, END = date(2016, 1, 4), date(2025, 1, 6)
FIRST_CUT, LAST_CUT = date(2017, 6, 5), date(2024, 6, 3)
CHANGE = date(2020, 3, 2)


def scenarios() -> dict[str, tuple[str, ServiceProfile]]:
    """Named scenarios: a profile with one scheduled change on top of its usual randomness."""
    out: dict[str, tuple[str, ServiceProfile]] = {}
    for service in ("speech_language", "camhs_core", "wheelchair"):
        base = DEFAULT_PROFILES[service]
        out[f"{service}+recovery"] = (service, replace(base, events=(RegimeChange(CHANGE, "capacity", 1.4, ramp_weeks=12),)))
        out[f"{service}+shortage"] = (service, replace(base, events=(RegimeChange(CHANGE, "capacity", 0.65, ramp_weeks=2, lasts_weeks=40),)))
        out[f"{service}+surge"] = (service, replace(base, events=(RegimeChange(CHANGE, "demand", 1.5, ramp_weeks=4, lasts_weeks=26),)))
        out[f"{service}+steady"] = (
            service,
            replace(base, shortages_per_year=0.0, demand_surges_per_year=0.0, managed=False, capacity_drift_per_week=0.0),
        )
    return out


def run_one(service: str, profile: ServiceProfile, seed: int, every: int, paths: int) -> ServiceScore:
    history = simulate_service(service=service, start=START, end=END, seed=seed, profile=profile)
    return backtest(history, cuts=cut_dates(FIRST_CUT, LAST_CUT, every), paths=paths, seed=0)[service]


def line(label: str, scores: list[ServiceScore], *, per_seed: bool = True) -> str:
    n = sum(s.scored for s in scores)
    within = sum(s.within * s.scored for s in scores) / n
    below = sum(s.below_p10 * s.scored for s in scores) / n
    above = sum(s.above_p90 * s.scored for s in scores) / n
    seeds = f" ({' '.join(f'{s.within:.2f}' for s in scores)})" if per_seed else ""
    mae = statistics.mean(s.mae_p50_days for s in scores)
    public = statistics.mean(s.mae_public_days for s in scores)
    medae = statistics.mean(s.median_ae_p50_days for s in scores)
    medpub = statistics.mean(s.median_ae_public_days for s in scores)
    cut_ms = 1000 * sum(s.seconds for s in scores) / max(sum(s.cuts for s in scores), 1)
    cal = sum(s.within_calibrated * s.scored for s in scores) / n
    cal_below = sum(s.below_calibrated * s.scored for s in scores) / n
    cal_seeds = f" ({' '.join(f'{s.within_calibrated:.2f}' for s in scores)})" if per_seed else ""
    width = statistics.mean(s.width_days for s in scores)
    cal_width = statistics.mean(s.width_calibrated_days for s in scores)
    return (
        f"| {label} | {n} | {within:.3f}{seeds} | {below:.3f} | {above:.3f} | "
        f"{mae:.0f} | {public:.0f} | {mae / public:.2f} | {medae:.0f} / {medpub:.0f} | {cut_ms:.0f} |\n"
        f"| {label} calibrated | | {cal:.3f}{cal_seeds} | {cal_below:.3f} | {1 - cal - cal_below:.3f} | "
        f"range {width:.0f} → {cal_width:.0f} days | | | | |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="3,4,5")
    parser.add_argument("--every", type=int, default=8, help="weeks between cut dates")
    parser.add_argument("--paths", type=int, default=150)
    parser.add_argument("--quick", action="store_true", help="one seed, no scenarios")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")][: 1 if args.quick else None]

    header = (
        "| profile | scored | within p10–p90 (per seed) | before p10 | after p90 | "
        "p50 MAE days | public MAE days | ratio | median AE p50 / public | ms per cut |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    print(f"Backtest: {START} to {END}, cuts every {args.every} weeks {FIRST_CUT} to {LAST_CUT}, "
          f"{args.paths} paths, seeds {','.join(map(str, seeds))}\n")
    print(header)
    everything: list[ServiceScore] = []
    for service, profile in DEFAULT_PROFILES.items():
        scores = [run_one(service, profile, seed, args.every, args.paths) for seed in seeds]
        everything += scores
        print(line(service, scores), flush=True)
    if not args.quick:
        print("\nScenarios (a scheduled change on " + CHANGE.isoformat() + "):\n")
        print(header)
        for label, (service, profile) in scenarios().items():
            scores = [run_one(service, profile, seed, args.every, args.paths) for seed in seeds]
            everything += scores
            print(line(label, scores), flush=True)
    print("\nAll of the above together:\n")
    print(header)
    print(line("all", everything, per_seed=False))

    borough = simulate_borough(start=date(2021, 1, 4), end=END, seed=seeds[0])
    waiting = sum(r.waiting for r in borough)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        estimate(borough, END)
        timings.append(time.perf_counter() - started)
    print(f"\nTiming: estimate() for {waiting} waiting referrals in {len(DEFAULT_PROFILES)} services "
          f"({len(borough)} history rows), 400 paths: best {min(timings):.2f}s of 3")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
