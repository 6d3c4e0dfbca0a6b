"""The priority score on its own: pure Python, no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from sendhub.reviews.priority import Priority, ReviewFacts, Weights, score

AS_OF = date(2027, 1, 15)


def facts(**kw) -> ReviewFacts:
    return ReviewFacts(as_of=AS_OF, last_reviewed=kw.pop("last_reviewed", AS_OF - timedelta(days=200)), **kw)


PHASE_NEXT_MONTH = facts(phase_transfer_due=date(2027, 2, 15), meeting_due=date(2027, 5, 31))
ROUTINE_IN_SIX_MONTHS = facts(meeting_due=AS_OF + timedelta(days=182))
UNREVIEWED_TWO_YEARS = facts(last_reviewed=date(2024, 12, 1), oldest_overdue=date(2025, 11, 30))


def test_constructed_cases_rank_as_the_inspection_asks():
    ranked = sorted([ROUTINE_IN_SIX_MONTHS, PHASE_NEXT_MONTH, UNREVIEWED_TWO_YEARS], key=lambda f: -score(f).score)
    assert ranked == [UNREVIEWED_TWO_YEARS, PHASE_NEXT_MONTH, ROUTINE_IN_SIX_MONTHS]
    assert score(ROUTINE_IN_SIX_MONTHS) == Priority(0, ())


def test_reasons_say_why_in_words_and_add_up():
    result = score(UNREVIEWED_TWO_YEARS)
    texts = [reason.text for reason in result.reasons]
    assert texts[0].startswith("No review meeting since 1 December 2024")
    assert texts[1] == "Overdue by 58 weeks (due 30 November 2025)"
    assert result.score == sum(reason.points for reason in result.reasons) == 60 + 30 + 26
    phase = score(PHASE_NEXT_MONTH)
    assert phase.reasons[0].text == "Moving phase: the phase-transfer review is due by 15 February 2027"
    assert phase.score == round(50 * (1 - 31 / 183))


def test_circumstances_and_requests_add_their_weights():
    flags = facts(family_request=True, placement_at_risk=True, looked_after=True, child_protection=True,
                  child_in_need=True)
    assert score(flags).score == 25 + 35 + 20 + 20 + 10
    assert score(flags, Weights(family_request=0)).score == 35 + 20 + 20 + 10


def test_overdue_points_are_capped():
    long_ago = facts(oldest_overdue=AS_OF - timedelta(days=7 * 100))
    assert score(long_ago).score == 30 + 26
    assert score(long_ago, Weights(overdue_cap_weeks=52)).score == 30 + 52


@pytest.mark.parametrize("bad", [{"overdue": -1}, {"stale_after_days": 0}, {"due_soon": 1.5}])
def test_weights_refuse_nonsense(bad):
    with pytest.raises(ValueError):
        Weights(**bad)


@given(st.integers(min_value=-400, max_value=400), st.integers(min_value=-400, max_value=400))
def test_a_closer_phase_transfer_never_scores_less(a, b):
    near, far = sorted([a, b])
    near_score = score(facts(phase_transfer_due=AS_OF + timedelta(days=near))).score
    far_score = score(facts(phase_transfer_due=AS_OF + timedelta(days=far))).score
    assert near_score >= far_score


@given(st.integers(min_value=0, max_value=3000))
def test_longer_overdue_never_scores_less(days):
    assert (score(facts(oldest_overdue=AS_OF - timedelta(days=days + 7))).score
            >= score(facts(oldest_overdue=AS_OF - timedelta(days=days + 1))).score)
