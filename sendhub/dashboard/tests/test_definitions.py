"""The pure definitions: adding cells up, suppression, trajectories and RAG."""

from datetime import date

from hypothesis import given, strategies as st

from sendhub.dashboard import definitions as d

SHARE = d.BY_KEY["final_plan_20w"]
COUNT = d.BY_KEY["refusals_to_assess"]


def test_aggregate_filters_and_sums_cells():
    cells = [["final_plan_20w", "2026-01", 1, "primary", "ASD", "mainstream", 3, 4],
             ["final_plan_20w", "2026-01", 1, "secondary", "ASD", "mainstream", 1, 2],
             ["final_plan_20w", "2026-02", 2, "primary", "SEMH", "special", 5, 5]]
    assert d.aggregate(cells, d.Filters()) == {"final_plan_20w": {"2026-01": [4, 6], "2026-02": [5, 5]}}
    assert d.aggregate(cells, d.Filters(local_authority=1, phase="primary")) == {"final_plan_20w": {"2026-01": [3, 4]}}
    assert d.aggregate(cells, d.Filters(months=frozenset({"2026-02"}), need="SEMH", setting_type="special")) == {
        "final_plan_20w": {"2026-02": [5, 5]}}
    assert d.aggregate(cells, d.Filters(need="MLD")) == {}


def test_values():
    assert d.value(SHARE, 2, 3) == 66.7
    assert d.value(SHARE, 0, 0) is None
    assert d.value(COUNT, 7, 7) == 7.0


def test_suppression_covers_counts_shares_and_their_complements():
    assert d.suppressed(COUNT, 4, 4, 5) and not d.suppressed(COUNT, 5, 5, 5) and not d.suppressed(COUNT, 0, 0, 5)
    assert d.suppressed(SHARE, 3, 20, 5)  # the top is small
    assert d.suppressed(SHARE, 18, 20, 5)  # 2 late could be worked out
    assert d.suppressed(SHARE, 2, 2, 5)  # the bottom is small
    assert not d.suppressed(SHARE, 6, 11, 5)
    assert not d.suppressed(SHARE, 0, 10, 5) and not d.suppressed(SHARE, 10, 10, 5)


@given(st.integers(0, 40), st.integers(0, 40))
def test_no_suppressed_share_reveals_a_small_number(a, b):
    num, den = min(a, b), max(a, b)
    if not d.suppressed(SHARE, num, den, 5):
        assert all(n == 0 or n >= 5 for n in (num, den, den - num))


def test_trajectory_is_straight_between_targets_and_flat_outside():
    points = [(date(2026, 1, 1), 40.0), (date(2027, 1, 1), 60.0)]
    assert d.trajectory_at(points, date(2025, 6, 1)) == 40.0
    assert d.trajectory_at(points, date(2026, 7, 2)) == 40.0 + 20.0 * 182 / 365
    assert d.trajectory_at(points, date(2028, 1, 1)) == 60.0
    assert d.trajectory_at([], date(2026, 1, 1)) is None


def test_rag():
    assert d.rag(SHARE, 50.0, 50.0) == d.GREEN
    assert d.rag(SHARE, 46.0, 50.0) == d.AMBER
    assert d.rag(SHARE, 44.9, 50.0) == d.RED
    assert d.rag(SHARE, None, 50.0) == d.GREY and d.rag(SHARE, 50.0, None) == d.GREY
    lower = d.BY_KEY["refusals_appealed"]  # lower is better
    assert d.rag(lower, 10.0, 12.0) == d.GREEN and d.rag(lower, 20.0, 12.0) == d.RED
    assert d.worst([d.GREEN, d.AMBER, d.GREY]) == d.AMBER and d.worst([d.GREY]) == d.GREY


def test_months():
    assert d.months_between(date(2025, 11, 30), date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert d.add_months(date(2026, 11, 23), -23) == date(2024, 12, 1)


def test_every_metric_is_protected_in_exactly_one_group():
    groups = d.linked_groups()
    keys = [key for group in groups for key in group]
    assert sorted(keys) == sorted(m.key for m in d.METRICS)
    assert all(d.BY_KEY[k].kind == d.SHARE or d.BY_KEY[k].key in {"refusals_to_assess", "reviews_overdue"}
               for k in keys)
