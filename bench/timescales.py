"""Benchmark `sendhub timescales` on 10,000 varied cases (the requirement: under a second).

Generates a deterministic request (seeded), then times:

1. the pure path in-process: parse + validate + compute + serialise, via
   `sendhub.clock.command.run` (best of several runs, plus the median);
2. the pure command as a subprocess, `python -m sendhub.clock.command FILE`
   (interpreter start-up included, no Django);
3. the real `sendhub timescales FILE` as a subprocess, if the console script and Django
   settings are available (Django start-up included).

Usage: .venv/bin/python bench/timescales.py [--cases N] [--seed S] [--repeat R]
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sendhub.clock.command import render, run  # noqa: E402
from sendhub.clock.timescales import (  # noqa: E402
    ADVICE_SOURCES,
    EXCEPTION_REASONS,
    PHASES,
    compute_deadlines,
    parse_request,
)

AS_OF = date(2026, 3, 2)


def _iso(day: date) -> str:
    return day.isoformat()


def _maybe(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def _assessment(rng: random.Random, n: int) -> dict[str, Any]:
    request = AS_OF - timedelta(days=rng.randint(0, 400))
    events: list[dict[str, Any]] = []
    day = request + timedelta(days=rng.randint(10, 60))
    if _maybe(rng, 0.15):
        events.append({"type": "decision_not_to_assess", "date": _iso(day)})
    else:
        events.append({"type": "decision_to_assess", "date": _iso(day)})
        for source in rng.sample(ADVICE_SOURCES, rng.randint(1, 4)):
            asked = day + timedelta(days=rng.randint(0, 10))
            events.append({"type": "advice_requested", "date": _iso(asked), "source": source})
            if _maybe(rng, 0.8):
                got = asked + timedelta(days=rng.randint(10, 70))
                events.append({"type": "advice_received", "date": _iso(got), "source": source})
        decided = day + timedelta(days=rng.randint(40, 90))
        if _maybe(rng, 0.1):
            events.append({"type": "decision_not_to_issue_plan", "date": _iso(decided)})
        elif _maybe(rng, 0.85):
            events.append({"type": "decision_to_issue_plan", "date": _iso(decided)})
            draft = decided + timedelta(days=rng.randint(0, 20))
            events.append({"type": "draft_plan_sent", "date": _iso(draft)})
            if _maybe(rng, 0.75):
                final = draft + timedelta(days=rng.randint(5, 60))
                issued: dict[str, Any] = {"type": "final_plan_issued", "date": _iso(final)}
                if _maybe(rng, 0.1):
                    issued["family_agreed_early"] = True
                events.append(issued)
    if _maybe(rng, 0.2):
        first = request + timedelta(days=rng.randint(-10, 120))
        events.append(
            {
                "type": "exception",
                "reason": rng.choice(EXCEPTION_REASONS),
                "from": _iso(first),
                "to": _iso(max(request, first + timedelta(days=rng.randint(0, 45)))),
            }
        )
    rng.shuffle(events)
    return {
        "id": f"A-{n}",
        "kind": "assessment",
        "request_received": _iso(request),
        "events": events,
    }


def _annual_review(rng: random.Random, n: int) -> dict[str, Any]:
    birth = AS_OF - timedelta(days=rng.randint(2 * 365, 20 * 365))
    first = birth + timedelta(days=rng.randint(300, max(301, (AS_OF - birth).days - 30)))
    case: dict[str, Any] = {
        "id": f"R-{n}",
        "kind": "annual_review",
        "date_of_birth": _iso(birth),
        "plan_first_issued": _iso(first),
        "events": [],
    }
    start = first
    if _maybe(rng, 0.6) and (AS_OF - first).days > 400:
        start = first + timedelta(days=rng.randint(300, (AS_OF - first).days - 30))
        case["previous_review_meeting"] = _iso(start)
    if _maybe(rng, 0.3):
        on = f"{rng.choice((2026, 2027))}-09-01"
        case["phase_transfer"] = {"on": on, "to": rng.choice(PHASES)}
    events = case["events"]
    if _maybe(rng, 0.7):
        meeting = start + timedelta(days=rng.randint(200, 420))
        events.append({"type": "review_meeting", "date": _iso(meeting)})
        if _maybe(rng, 0.8):
            sent = meeting + timedelta(days=rng.randint(1, 25))
            events.append({"type": "review_report_sent", "date": _iso(sent)})
        if _maybe(rng, 0.8):
            decided = meeting + timedelta(days=rng.randint(5, 50))
            outcome = rng.choice(("maintain", "amend", "amend", "cease"))
            events.append({"type": "la_decision", "date": _iso(decided), "outcome": outcome})
            if outcome == "amend":
                events.append({"type": "amendment_notice_sent", "date": _iso(decided)})
                if _maybe(rng, 0.7):
                    amended = decided + timedelta(days=rng.randint(10, 80))
                    events.append({"type": "amended_plan_issued", "date": _iso(amended)})
    rng.shuffle(events)
    return case


def generate(cases: int, seed: int) -> dict[str, Any]:
    """A deterministic request with `cases` varied cases (60% assessments)."""
    rng = random.Random(seed)
    return {
        "as_of": _iso(AS_OF),
        "cases": [
            _assessment(rng, n) if rng.random() < 0.6 else _annual_review(rng, n)
            for n in range(cases)
        ],
    }


def _in_process(path: Path, repeat: int) -> tuple[list[float], int, int]:
    timings: list[float] = []
    out = io.StringIO()
    for _ in range(repeat):
        out = io.StringIO()
        err = io.StringIO()
        started = time.perf_counter()
        code = run(str(path), io.StringIO(), out, err)
        timings.append(time.perf_counter() - started)
        if code != 0:
            raise SystemExit(f"benchmark request rejected: {err.getvalue().strip()}")
    result = json.loads(out.getvalue())
    return timings, len(result["cases"]), sum(len(c["deadlines"]) for c in result["cases"])


def _subprocess(argv: list[str], repeat: int, env: dict[str, str]) -> list[float] | str:
    timings: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, check=False)
        timings.append(time.perf_counter() - started)
        if done.returncode != 0:
            return f"exit {done.returncode}: {done.stderr.decode(errors='replace').strip()[-300:]}"
    return timings


def _report(label: str, timings: list[float] | str, cases: int | None) -> None:
    if isinstance(timings, str):
        print(f"{label}: not measured ({timings})")
        return
    best, median = min(timings), statistics.median(timings)
    rate = "" if not cases else f" = {cases / best:,.0f} cases/s best, {cases / median:,.0f} median"
    print(f"{label}: best {best:.3f} s, median {median:.3f} s of {len(timings)}{rate}")


def _phases(path: Path, repeat: int) -> str:
    """Where the in-process time goes (best of `repeat` for each phase)."""
    text = path.read_text(encoding="utf-8")
    best: dict[str, float] = {}
    gc.disable()
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            obj = json.loads(text)
            t1 = time.perf_counter()
            as_of, cases = parse_request(obj)
            t2 = time.perf_counter()
            results = [
                (c.id, compute_deadlines(c, as_of, validate=False, explain=False)) for c in cases
            ]
            t3 = time.perf_counter()
            render(as_of, results)
            t4 = time.perf_counter()
            for name, spent in (("json", t1 - t0), ("parse+validate", t2 - t1),
                                ("compute", t3 - t2), ("render", t4 - t3)):  # fmt: skip
                best[name] = min(best.get(name, spent), spent)
            with_text = time.perf_counter()
            [compute_deadlines(c, as_of) for c in cases]
            spent = time.perf_counter() - with_text
            name = "compute with explanations"
            best[name] = min(best.get(name, spent), spent)
    finally:
        gc.enable()
    return ", ".join(f"{name} {spent:.3f} s" for name, spent in best.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    request = generate(args.cases, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "request.json"
        path.write_text(json.dumps(request), encoding="utf-8")
        timings, n_cases, n_deadlines = _in_process(path, args.repeat)
        print(
            f"request: {n_cases:,} cases, {n_deadlines:,} deadlines out,"
            f" {path.stat().st_size / 1e6:.1f} MB of JSON in (seed {args.seed});"
            f" python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
        )
        _report("in-process run() (read + parse + compute + serialise)", timings, n_cases)
        print(f"  phases, best of {args.repeat}: {_phases(path, args.repeat)}")

        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        pure = [sys.executable, "-m", "sendhub.clock.command"]
        _report(
            "subprocess python -m sendhub.clock.command (no Django)",
            _subprocess([*pure, str(path)], args.repeat, env),
            n_cases,
        )

        settings = env.get("DJANGO_SETTINGS_MODULE", "sendhub.settings")
        script = shutil.which("sendhub") or str(Path(sys.executable).with_name("sendhub"))
        if not _has_module(settings):
            print(f"subprocess sendhub timescales: not measured (no settings module {settings})")
            return
        if Path(script).exists():
            command, label = [script, "timescales"], "sendhub timescales"
        else:
            command = [sys.executable, "-m", "sendhub.cli", "timescales"]
            label = "python -m sendhub.cli timescales"
        _report(
            f"subprocess {label} (Django start-up included)",
            _subprocess([*command, str(path)], args.repeat, env),
            n_cases,
        )
        empty = Path(tmp) / "empty.json"
        empty.write_text(json.dumps({"as_of": request["as_of"], "cases": []}), encoding="utf-8")
        _report(
            f"  {label} with 0 cases (start-up alone)",
            _subprocess([*command, str(empty)], args.repeat, env),
            None,
        )


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


if __name__ == "__main__":
    main()
