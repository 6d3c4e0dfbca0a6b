"""Hypothesis properties of positions and estimates on arbitrary small histories."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendhub.waits.estimator import estimate
from sendhub.waits.history import Referral

AS_OF = date(2024, 6, 1)


@st.composite
def histories(draw: st.DrawFn) -> list[Referral]:
    n = draw(st.integers(min_value=0, max_value=60))
    rows = []
    for k in range(n):
        referred = AS_OF - timedelta(days=draw(st.integers(min_value=0, max_value=700)))
        outcome = draw(st.sampled_from(["waiting", "waiting", "seen", "removed"]))
        gap = draw(st.integers(min_value=0, max_value=(AS_OF - referred).days))
        rows.append(
            Referral(
                referral_id=draw(st.sampled_from(["", "x", "A", "b"])) + str(k),
                service=draw(st.sampled_from(["slt", "ot", "wheelchair"])),
                priority=draw(st.sampled_from(["urgent", "routine", "routine"])),
                referred_on=referred,
                seen_on=referred + timedelta(days=gap) if outcome == "seen" else None,
                removed_on=referred + timedelta(days=gap) if outcome == "removed" else None,
            )
        )
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_positions_are_a_permutation_in_contract_order(rows: list[Referral]) -> None:
    estimates = estimate(rows, AS_OF, paths=30)
    by_service: dict[str, list] = defaultdict(list)
    for e in estimates:
        by_service[e.service].append(e)
    waiting = {r.referral_id: r for r in rows if r.waiting}
    assert {e.referral_id for e in estimates} == set(waiting)
    for service, es in by_service.items():
        assert sorted(e.position for e in es) == list(range(1, len(es) + 1))
        ordered = sorted(es, key=lambda e: e.position)
        keys = [(not waiting[e.referral_id].urgent, waiting[e.referral_id].referred_on, e.referral_id) for e in ordered]
        assert keys == sorted(keys)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.integers(min_value=0, max_value=3))
def test_further_back_never_earlier_and_quantiles_ordered(rows: list[Referral], seed: int) -> None:
    estimates = estimate(rows, AS_OF, paths=30, seed=seed)
    last: dict[str, tuple[date, date, date]] = {}
    for e in sorted(estimates, key=lambda e: (e.service, e.position)):
        assert AS_OF <= e.p10 <= e.p50 <= e.p90
        if e.service in last:
            p10, p50, p90 = last[e.service]
            assert e.p10 >= p10 and e.p50 >= p50 and e.p90 >= p90
        last[e.service] = (e.p10, e.p50, e.p90)
