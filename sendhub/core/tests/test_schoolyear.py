from datetime import date

import pytest

from sendhub.core.schoolyear import age_on, birth_dates_for_ages, describe_year, national_curriculum_year, years_before


@pytest.mark.parametrize(
    ("born", "on", "year"),
    [
        (date(2015, 9, 1), date(2026, 11, 23), 6),   # oldest in the cohort
        (date(2016, 8, 31), date(2026, 11, 23), 6),  # youngest in the same cohort
        (date(2016, 9, 1), date(2026, 11, 23), 5),   # a day later: the year below
        (date(2021, 12, 25), date(2026, 9, 1), 0),   # starts Reception the September after turning 4
        (date(2021, 12, 25), date(2026, 8, 31), -1),
        (date(2016, 2, 29), date(2027, 3, 1), 6),    # leap-day birthday: Reception from September 2020
        (date(2008, 3, 3), date(2026, 11, 23), 14),  # left Year 13 in July 2026
    ],
)
def test_national_curriculum_year_uses_the_1_september_cut_off(born, on, year):
    assert national_curriculum_year(born, on) == year


def test_describe_year():
    assert [describe_year(y) for y in (-2, -1, 0, 1, 13, 14)] == [
        "Early years (under 3)", "Nursery", "Reception", "Year 1", "Year 13", "Beyond Year 13"]


def test_age_and_leap_days():
    assert age_on(date(2016, 2, 29), date(2032, 2, 28)) == 15
    assert age_on(date(2016, 2, 29), date(2032, 2, 29)) == 16
    assert years_before(date(2028, 2, 29), 15) == date(2013, 2, 28)
    assert years_before(date(2028, 2, 29), 16) == date(2012, 2, 29)
    earliest, latest = birth_dates_for_ages(date(2026, 11, 23), 5, 10)
    assert (age_on(earliest, date(2026, 11, 23)), age_on(latest, date(2026, 11, 23))) == (10, 5)
