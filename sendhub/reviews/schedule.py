"""School terms and suggested meeting dates for a term's reviews. Pure Python: no Django.

Term dates differ between councils and schools; these are the usual English pattern, good enough
to group reviews and suggest dates that the SENCO then changes.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Term:
    key: str
    label: str
    starts: date
    ends: date


def _term(name: str, year: int) -> Term:
    if name == "autumn":
        return Term(f"autumn-{year}", f"Autumn term {year} (September to December)", date(year, 9, 1), date(year, 12, 19))
    if name == "spring":
        return Term(f"spring-{year}", f"Spring term {year} (January to March)", date(year, 1, 5), date(year, 3, 31))
    return Term(f"summer-{year}", f"Summer term {year} (April to July)", date(year, 4, 14), date(year, 7, 22))


def terms_from(today: date, count: int = 3) -> list[Term]:
    """The current (or next) term and those after it."""
    candidates = [_term(name, year) for year in (today.year - 1, today.year, today.year + 1, today.year + 2)
                  for name in ("spring", "summer", "autumn")]
    upcoming = [term for term in candidates if term.ends >= today]
    return upcoming[:count]


def term_by_key(today: date, key: str) -> Term | None:
    return next((term for term in terms_from(today, 6) if term.key == key), None)


def suggest_dates(due_dates: list[date | None], term: Term, today: date, *, notice_days: int = 21,
                  lead_days: int = 28, per_day: int = 3) -> list[date]:
    """A weekday in the term for each review: about four weeks before it is due, never sooner than
    the invitations allow, and no more than `per_day` meetings on one day."""
    earliest = max(term.starts, today + timedelta(days=notice_days))
    booked: Counter = Counter()
    out = []
    for due in due_dates:
        target = (due - timedelta(days=lead_days)) if due else earliest
        day = min(max(target, earliest), max(term.ends, earliest))
        step = 1
        while day.weekday() >= 5 or booked[day] >= per_day:
            day += timedelta(days=step)
        booked[day] += 1
        out.append(day)
    return out
