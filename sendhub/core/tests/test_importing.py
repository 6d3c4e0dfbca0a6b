"""The capped problem list every import uses: all problems counted, the first ones kept."""

from sendhub.core.importing import ProblemList, RowBudget, TooManyRows


def test_the_first_problems_by_key_are_kept_whatever_order_they_come_in():
    problems = ProblemList(cap=3, key=lambda p: p[0])
    for line in [9, 2, 7, 2, 5, 1, 8]:
        problems.append((line, f"line {line}"))
    assert list(problems) == [(1, "line 1"), (2, "line 2"), (2, "line 2")]
    assert (len(problems), problems.more, bool(problems)) == (7, 4, True)


def test_without_a_key_the_first_found_are_kept_and_merging_keeps_the_count():
    first, second = ProblemList(["a", "b"], cap=3), ProblemList(["c", "d", "e", "f"], cap=2)
    first.extend(second)
    assert list(first) == ["a", "b", "c"] and len(first) == 6 and first.more == 3
    assert not ProblemList() and first[0] == "a"


def test_the_row_budget_stops_after_the_limit():
    budget = RowBudget(2)
    budget.take()
    budget.take()
    try:
        budget.take()
    except TooManyRows as error:
        assert error.limit == 2
    else:
        raise AssertionError("a third row was allowed")
