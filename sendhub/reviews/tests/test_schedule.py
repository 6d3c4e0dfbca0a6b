from collections import Counter
from datetime import date, timedelta

from sendhub.reviews.schedule import suggest_dates, term_by_key, terms_from

TODAY = date(2026, 11, 23)


def test_terms_start_from_the_current_one():
    terms = terms_from(TODAY)
    assert [t.key for t in terms] == ["autumn-2026", "spring-2027", "summer-2027"]
    assert term_by_key(TODAY, "spring-2027").starts == date(2027, 1, 5)
    assert term_by_key(TODAY, "nonsense") is None


def test_suggested_dates_are_weekdays_in_time_for_invitations_and_spread_out():
    term = term_by_key(TODAY, "spring-2027")
    dues = [date(2027, 2, 10)] * 7 + [None, date(2026, 12, 1)]
    days = suggest_dates(dues, term, TODAY)
    assert all(day.weekday() < 5 for day in days)
    assert all(day >= max(term.starts, TODAY + timedelta(days=21)) for day in days)
    assert max(Counter(days).values()) <= 3
    assert days[0] == date(2027, 1, 13)  # four weeks before it is due
