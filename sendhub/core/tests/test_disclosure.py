"""Complementary suppression: no hidden number can be worked out from what is published (security review, finding 3).

The property test plays the attacker. It publishes what the public view publishes — every shown month's
numbers (as if each share's numerator and denominator were known: the worst case, since another figure
may give the denominator) and, unless hidden, each whole — and writes each as a linear equation in the
unknown hidden numbers. A hidden number is worked out exactly iff its vector lies in the row space of
those equations (rank test with numpy). It must never be.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from sendhub.core.disclosure import SUPPRESS_BELOW, Series, is_small, protect

# Groups shaped like the dashboard's (dashboard.definitions.LINKED): each series' numerator and denominator
# are sums of a month's base quantities (the same cases counted in two figures share a base quantity).
# template: (number of base quantities, [(numerator coefficients, denominator coefficients, is_share)])
TEMPLATES = {
    "a count": (1, [((1,), (1,), False)]),
    "a share": (2, [((1, 0), (1, 1), True)]),  # on time, late
    "refusals: a count and two shares of it": (  # mediation only, appeal only, both, neither
        4, [((1, 1, 1, 1), (1, 1, 1, 1), False), ((1, 0, 1, 0), (1, 1, 1, 1), True),
            ((0, 1, 1, 0), (1, 1, 1, 1), True)]),
    "20 weeks: two shares with one numerator": (  # on time, late, late with an exception
        3, [((1, 0, 0), (1, 1, 1), True), ((1, 0, 0), (1, 1, 0), True)]),
    "plan content: two shares with one denominator": (  # health only, social care only, both, neither
        4, [((1, 0, 1, 0), (1, 1, 1, 1), True), ((0, 1, 1, 0), (1, 1, 1, 1), True)]),
}


def _series(template, base):
    _, shapes = template
    out = []
    for num_c, den_c, is_share in shapes:
        nums = [sum(c * q for c, q in zip(num_c, month)) for month in base]
        dens = [sum(c * q for c, q in zip(den_c, month)) for month in base]
        out.append(Series.share(nums, dens) if is_share else Series.count(dens))
    return out


def recoverable(template, base, protection) -> list[tuple[int, str]]:
    """Every (month, number) of a hidden month that the published figures pin down exactly."""
    width, shapes = template
    months = len(base)
    unknowns = months * width

    def at(month, coefficients):
        v = np.zeros(unknowns)
        v[month * width:(month + 1) * width] = coefficients
        return v

    rows = []
    for m in range(months):
        if m in protection.hidden:
            continue
        for q in range(width):  # a shown month: assume everything about it is known
            rows.append(at(m, [1 if i == q else 0 for i in range(width)]))
    if not protection.whole_hidden:
        for num_c, den_c, _ in shapes:
            for coefficients in (num_c, den_c):
                rows.append(sum(at(m, coefficients) for m in range(months)))
    system = np.array(rows) if rows else np.zeros((0, unknowns))
    rank = np.linalg.matrix_rank(system) if rows else 0
    found = []
    for m in sorted(protection.hidden):
        for s, (num_c, den_c, is_share) in enumerate(shapes):
            lines = {"denominator": den_c}
            if is_share:
                lines["numerator"] = num_c
                lines["difference"] = tuple(d - n for n, d in zip(num_c, den_c))
            for name, coefficients in lines.items():
                v = at(m, coefficients)
                if np.linalg.matrix_rank(np.vstack([system, v])) == rank:
                    found.append((m, f"series {s} {name}"))
    return found


@st.composite
def tables(draw):
    name = draw(st.sampled_from(sorted(TEMPLATES)))
    width, _ = TEMPLATES[name]
    months = draw(st.integers(min_value=1, max_value=12))
    value = st.one_of(st.integers(0, 6), st.integers(0, 40))
    base = [tuple(draw(value) for _ in range(width)) for _ in range(months)]
    return name, base


@settings(max_examples=200, deadline=None)
@given(tables())
def test_no_hidden_number_can_be_worked_out_from_the_published_ones(table):
    name, base = table
    template = TEMPLATES[name]
    series = _series(template, base)
    protection = protect(series)
    # every number under 5 is hidden, with its whole month
    for s in series:
        for m in range(len(base)):
            if s.small_at(m):
                assert m in protection.hidden and m in protection.primary
        if s.whole_small():
            assert protection.whole_hidden
    assert recoverable(template, base, protection) == []
    if protection.hidden and not protection.whole_hidden:
        # and none can be narrowed down to under 5: each line's hidden numbers add up to 5 more than their floor
        assert len(protection.hidden) >= 2
        for s in series:
            for values, floor in s.lines():
                if sum(values) == 0:
                    continue  # 0 everywhere: the whole says so
                assert sum(values[m] for m in protection.hidden) - floor * len(protection.hidden) >= SUPPRESS_BELOW


def test_the_reviewers_example_180_with_months_adding_to_177_no_longer_gives_the_3_away():
    months = [20, 15, 12, 18, 3, 16, 14, 17, 15, 16, 16, 18]
    assert sum(months) == 180 and sum(months) - 3 == 177
    protection = protect([Series.count(months)])
    assert not protection.whole_hidden  # 180 is still published
    assert 4 in protection.hidden and len(protection.hidden) >= 2
    shown = sum(v for m, v in enumerate(months) if m not in protection.hidden)
    assert 180 - shown >= 3 + SUPPRESS_BELOW  # what is left over is not the 3
    assert protection.hidden == {4, 2}  # the next smallest month (12) is hidden with it
    assert recoverable(TEMPLATES["a count"], [(v,) for v in months], protection) == []


def test_a_share_of_a_hidden_number_is_hidden_and_counts_of_zero_are_shown():
    refusals, mediation = [10, 3, 12, 0], [5, 1, 6, 0]
    protection = protect([Series.count(refusals), Series.share(mediation, refusals)])
    assert 1 in protection.hidden and 3 not in protection.hidden  # a month with none is never hidden
    assert protection.hidden == {0, 1}  # 10 is the next smallest: both shares of those months go too


def test_when_nothing_can_hide_a_number_the_whole_is_hidden_instead():
    protection = protect([Series.count([3, 0, 0])])
    assert protection.hidden == {0} and protection.whole_hidden


def test_small_means_1_to_4():
    assert [is_small(n) for n in (0, 1, 4, 5)] == [False, True, True, False]
