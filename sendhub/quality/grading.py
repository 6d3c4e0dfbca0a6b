"""The audit rubric: grades, default weights per section, and how section grades add up to the plan's grade.

Pure standard-library Python. A council changes the weights and the guidance on its rubric page; the
grades and the way they combine are the same everywhere, so figures can be compared.
"""

from __future__ import annotations

from collections.abc import Mapping

OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE = "outstanding", "good", "requires_improvement", "inadequate"
GRADES = ((OUTSTANDING, "Outstanding", 4), (GOOD, "Good", 3), (REQUIRES_IMPROVEMENT, "Requires improvement", 2),
          (INADEQUATE, "Inadequate", 1))
POINTS = {key: points for key, _, points in GRADES}
LABELS = {key: label for key, label, _ in GRADES}
GOOD_OR_BETTER = frozenset({OUTSTANDING, GOOD})

# Default weight and what an auditor looks for, per section. Provision and outcomes weigh most: they are what
# a child receives and what it is for (CoP 9.66, 9.69).
DEFAULT_RUBRIC: dict[str, tuple[int, str]] = {
    "A": (2, "The child's or young person's own views, interests and aspirations, in their words, beside their "
             "parents'; what matters to them and how they like to be supported."),
    "B": (3, "Every special educational need, described so that a reader who has never met the child understands "
             "it, from up-to-date advice."),
    "C": (2, "Health needs related to the SEN, from the health advice; none missing."),
    "D": (2, "Social care needs related to the SEN or disability, from the social care advice; none missing."),
    "E": (3, "SMART outcomes that follow from the aspirations in A and the needs in B, with steps to the end of the "
             "phase or key stage; preparing for adulthood from Year 9."),
    "F": (4, "Provision for every need in B: who, what, how often, for how long; no “access to” or “as required”."),
    "G": (3, "Health provision for every need in C, specified like F, with who provides it."),
    "H1": (2, "Provision under section 2 of the Chronically Sick and Disabled Persons Act 1970, where needed."),
    "H2": (2, "Other social care provision for the needs in D, including short breaks where assessed."),
    "I": (1, "The name and type of the school or setting."),
    "J": (1, "Details of any personal budget: what it pays for, how much, how it is arranged."),
    "K": (1, "A list of all the advice and information gathered, each reflected in the plan."),
}


def overall(grades: Mapping[str, str], weights: Mapping[str, int]) -> tuple[str | None, float | None]:
    """The plan's grade: the weighted mean of its section grades' points (4 outstanding to 1 inadequate),
    rounded to a grade at 3.5, 2.5 and 1.5. A plan whose provision (F) or outcomes (E) are inadequate is at best
    "requires improvement", whatever its other sections: a plan is only as good as what it promises the child."""
    graded = [(code, grade) for code, grade in grades.items() if grade in POINTS and weights.get(code, 0) > 0]
    total = sum(weights[code] for code, _ in graded)
    if not total:
        return None, None
    score = round(sum(weights[code] * POINTS[grade] for code, grade in graded) / total, 2)
    grade = (OUTSTANDING if score >= 3.5 else GOOD if score >= 2.5 else REQUIRES_IMPROVEMENT if score >= 1.5
             else INADEQUATE)
    if grade in GOOD_OR_BETTER and any(grades.get(code) == INADEQUATE for code in ("E", "F")):
        grade = REQUIRES_IMPROVEMENT
    return grade, score
