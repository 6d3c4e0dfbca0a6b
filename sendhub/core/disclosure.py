"""Small-number suppression that cannot be undone by subtraction (primary and complementary suppression).

Pure Python, no Django: the rule is tested on its own (sendhub/core/tests/test_disclosure.py, with a
Hypothesis property test that tries to solve for every hidden number) and explained for readers in
docs/dashboard.md, "Small numbers in the public view".

A published table here is one or more *series* over the same columns (months, needs, age bands), each
with a published whole (the whole period, the total of plans). A series is a count, or a share with
a numerator and a denominator. Series whose numbers are tied to each other (the refusals count is the
denominator of the shares of refusals that went to mediation or appeal) form one *group* and are
protected together.

1. **Primary**: a column is hidden when any series of the group has, in that column, a count from 1 to
   4 — for a share its numerator, its denominator or the difference between them. A whole is hidden in
   the same way; when one whole of a group is hidden, every whole of the group is.
2. **Complementary**: each published whole is an equation (the hidden columns add up to the whole
   minus the shown ones). So while any column is hidden and the wholes are shown, every *line* (a
   count; for a share its numerator, denominator and difference) must have, over the hidden columns:
   - at least two hidden columns, so no single one is the difference; and
   - a hidden sum at least 5 above what the reader knows for certain (1 per column for counts and
     denominators — a column with nothing in it shows 0 and is never hidden — and 0 for numerators and
     differences), so no hidden number can be narrowed down to one value, nor shown to be under 5.
   Otherwise the next smallest column that helps is hidden too, and so on; when none is left, the
   wholes are hidden instead. A line that is 0 in every column is left out: its whole (0) already says
   every cell is 0, and no hiding can change that.
3. A share of a hidden number is hidden (the whole column is hidden, for every series of the group).

Every hidden number, primary or complementary, is shown the same way ("not shown"), so a reader cannot
tell which ones are under 5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

SUPPRESS_BELOW = 5
HIDDEN = "not shown"


def is_small(count: int, below: int = SUPPRESS_BELOW) -> bool:
    return 0 < count < below


@dataclass(frozen=True)
class Series:
    """One figure over the columns. For a count, `numerators` equals `denominators` (the counts)."""

    numerators: tuple[int, ...]
    denominators: tuple[int, ...]
    is_share: bool = True

    @classmethod
    def count(cls, counts: Sequence[int]) -> Series:
        return cls(tuple(counts), tuple(counts), is_share=False)

    @classmethod
    def share(cls, numerators: Sequence[int], denominators: Sequence[int]) -> Series:
        return cls(tuple(numerators), tuple(denominators), is_share=True)

    def lines(self) -> list[tuple[tuple[int, ...], int]]:
        """Each published line with the least a hidden cell of it can be: (values by column, floor)."""
        if not self.is_share:
            return [(self.denominators, 1)]
        return [(self.numerators, 0), (self.denominators, 1),
                (tuple(d - n for n, d in zip(self.numerators, self.denominators)), 0)]

    def small_at(self, column: int) -> bool:
        n, d = self.numerators[column], self.denominators[column]
        return is_small(d) or (self.is_share and (is_small(n) or is_small(d - n)))

    def whole_small(self) -> bool:
        n, d = sum(self.numerators), sum(self.denominators)
        return is_small(d) or (self.is_share and (is_small(n) or is_small(d - n)))


@dataclass
class Protection:
    hidden: set[int] = field(default_factory=set)  # hidden columns, for every series of the group
    primary: set[int] = field(default_factory=set)  # of which hidden because a number in them is under 5
    whole_hidden: bool = False


def _line_safe(values: tuple[int, ...], floor: int, hidden: set[int]) -> bool:
    return len(hidden) >= 2 and sum(values[c] for c in hidden) - floor * len(hidden) >= SUPPRESS_BELOW


def protect(group: Sequence[Series]) -> Protection:
    """Which columns (and whether the wholes) of a group of series to hide; see the module docstring."""
    if not group:
        return Protection()
    columns = len(group[0].denominators)
    primary = {c for c in range(columns) for s in group if s.small_at(c)}
    hidden = set(primary)
    if any(s.whole_small() for s in group):
        return Protection(hidden, primary, True)
    # A line that is 0 in every column (no refusal went to mediation) is known from its whole alone: hiding
    # columns cannot protect it, and hiding the whole would only hide that it is 0.
    lines = [(values, floor) for s in group for values, floor in s.lines() if sum(values) > 0]
    size = [max(s.denominators[c] for s in group) for c in range(columns)]
    while hidden:
        unsafe = [(values, floor) for values, floor in lines if not _line_safe(values, floor, hidden)]
        if not unsafe:
            break
        helps = [c for c in range(columns)
                 if c not in hidden and size[c] > 0 and any(values[c] > 0 for values, _ in unsafe)]
        if not helps:
            return Protection(hidden, primary, True)
        hidden.add(min(helps, key=lambda c: (size[c], c)))
    return Protection(hidden, primary, False)
