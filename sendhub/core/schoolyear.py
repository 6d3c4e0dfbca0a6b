"""National Curriculum year from date of birth, with England's 1 September cut-off.

A child born between 1 September and 31 August the following year is in one cohort. A child
starts Reception in the September after their fourth birthday, and Year 1 a year later.
"""

from datetime import date, timedelta


def academic_year_start(on: date) -> int:
    """The calendar year in which the academic year containing `on` began (1 September)."""
    return on.year if on.month >= 9 else on.year - 1


def national_curriculum_year(date_of_birth: date, on: date) -> int:
    """Year group on `on`: 0 is Reception, negative is before Reception (-1 nursery), 14+ beyond Year 13.

    Chronological, as schools use it: a child kept back a year is still placed by age here.
    """
    cohort = academic_year_start(date_of_birth)  # children born Sep..Aug share this
    return academic_year_start(on) - cohort - 5


def describe_year(year: int) -> str:
    if year <= -2:
        return "Early years (under 3)"
    if year == -1:
        return "Nursery"
    if year == 0:
        return "Reception"
    if year <= 13:
        return f"Year {year}"
    return "Beyond Year 13"


def age_on(date_of_birth: date, on: date) -> int:
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def years_before(on: date, years: int) -> date:
    """The same day `years` earlier; 29 February falls back to 28 February."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def birth_dates_for_ages(on: date, youngest: int, oldest: int) -> tuple[date, date]:
    """The earliest and latest dates of birth of people aged youngest..oldest (inclusive) on `on`."""
    return years_before(on, oldest + 1) + timedelta(days=1), years_before(on, youngest)


# Year groups at the end of which a child moves to the next phase, and where they move to.
PHASE_TRANSFERS = {-1: "school", 6: "secondary", 11: "post16"}


def next_phase_transfer(date_of_birth: date, on: date) -> tuple[date, str] | None:
    """The move between phases at the end of this academic year, if this is a transfer year.

    Nursery to Reception, Year 6 to Year 7, Year 11 to post-16: each on 1 September.
    """
    to = PHASE_TRANSFERS.get(national_curriculum_year(date_of_birth, on))
    if to is None:
        return None
    return date(academic_year_start(on) + 1, 9, 1), to
