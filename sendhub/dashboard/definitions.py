"""What each dashboard figure means, how cells add up, small-number suppression and RAG.

Pure standard-library Python: no Django, so the definitions can be tested on their own and read
as the one place the figures are defined. `docs/dashboard.md` repeats these definitions.

A snapshot holds *cells*: one per (metric, month, local authority, school phase, primary need,
setting type) with a numerator and a denominator. Every figure on every page is a sum of cells,
so filtering by period, phase, need or setting type never recomputes anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

SHARE = "share"  # numerator / denominator, shown as a percentage
COUNT = "count"  # the denominator is the count; the numerator equals it


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    public_title: str
    definition: str
    kind: str = SHARE
    group: str = "Assessments"
    higher_is_better: bool = True


ADVICE_SOURCES = (
    ("health", "health"),
    ("social_care", "social care"),
    ("education", "education"),
    ("educational_psychology", "educational psychology"),
)

METRICS: tuple[Metric, ...] = (
    Metric("final_plan_20w", "New EHC plans issued within 20 weeks (including exceptions)",
           "New plans issued within 20 weeks",
           "Of final EHC plans issued in the month, the share issued within 20 weeks of the request "
           "(the statutory clock's final_plan deadline met). Every plan counts, including those where an "
           "exception applied (SEND Regulations 2014 reg 13(2))."),
    Metric("final_plan_20w_exc", "New EHC plans issued within 20 weeks (excluding exceptions)",
           "New plans issued within 20 weeks, leaving out allowed exceptions",
           "As above, but a plan issued late where an exception applied (reg 13(3): school closure, exceptional "
           "personal circumstances, absence from the area, missed appointment) is not counted as a breach: it is "
           "left out of both the top and bottom of the share. Plans issued on time always count."),
    Metric("decision_6w", "Decisions whether to assess made within 6 weeks",
           "Decisions whether to assess made within 6 weeks",
           "Of decisions whether to carry out an EHC needs assessment made in the month (to assess or not), the "
           "share made within 6 weeks of the request (reg 4(1) and 5(1))."),
    *(Metric(f"advice_6w_{code}", f"Advice from {label} given within 6 weeks",
             f"Advice from {label} given within 6 weeks",
             f"Of requests for {label} advice answered in the month, the share answered within 6 weeks of the "
             "request (reg 8).") for code, label in ADVICE_SOURCES),
    Metric("reviews_on_time", "Annual review meetings held on time", "Annual reviews held on time",
           "Of annual review meetings that fell due in the month and are held or overdue, the share held within "
           "12 months of the plan's issue or the last review (the clock's annual_review deadline; the same count "
           "as the annual review figures page). For a council moved over from its SEN2 return, months up to the "
           "return's census date have no share: the return does not carry every meeting held before it (the "
           "overdue count stays).", group="Reviews"),
    Metric("reviews_overdue", "Annual review meetings overdue", "Annual reviews overdue",
           "The number of annual review meetings that fell due in the month and have still not been held.",
           kind=COUNT, group="Reviews", higher_is_better=False),
    Metric("phase_transfers_on_time", "Phase transfers finished by their deadline",
           "Reviews before a move of school finished on time",
           "Of phase-transfer reviews whose deadline (15 February, or 31 March for a move to post-16) fell in the "
           "month and that are finished or overdue, the share finished by the deadline.", group="Reviews"),
    Metric("plans_health_content", "New plans with health content", "New plans that include health needs or provision",
           "Of active plans first issued in the month, the share whose latest issued version has section C "
           "(health needs) or section G (health provision) filled in.", group="Plans"),
    Metric("plans_social_care_content", "New plans with social care content",
           "New plans that include social care needs or provision",
           "Of active plans first issued in the month, the share whose latest issued version has section D "
           "(social care needs), H1 or H2 (social care provision) filled in.", group="Plans"),
    Metric("pfa_outcomes", "Plans of Year 9 and over with preparation for adulthood outcomes",
           "Plans for Year 9 and over that plan for adult life",
           "Of active plans of young people in Year 9 or above on the day of the figures, the share whose latest "
           "sent annual review report records at least one preparation for adulthood outcome (employment, "
           "independent living, community, health). A point-in-time figure: counted in the month of the figures.",
           group="Plans"),
    Metric("versions_reached_all", "Plan versions sent to every involved professional",
           "Plans sent to everyone who should have them",
           "Of final and amended plan versions issued in the month, the share that actually reached everyone "
           "entitled to it when it was issued: each parent or carer with parental responsibility (as far as a young "
           "person of 16 or over allows), the young person, every professional or team member involved, and the "
           "school or setting named in the plan. Reached means in their account, emailed, or posted (marked posted "
           "from the post tray, or handed to GOV.UK Notify's printers). Someone with no way to reach them, an email "
           "that failed or a pack still waiting to be posted counts as not reached.", group="Plans"),
    Metric("quality_checks_new", "New plans passing every automatic quality check",
           "New plans that pass the plan quality checks",
           "Of final EHC plan versions issued in the month, the share that passed every automatic quality check the "
           "council has switched on (sendhub.quality.checklist: the child's own views, provision for every need, "
           "specific and quantified provision, SMART outcomes, preparing for adulthood from Year 9, advice listed and "
           "used, a named setting, the personal budget; SEND Code of Practice 9.61 to 9.69). Checked when issued.",
           group="Plan quality"),
    Metric("quality_checks_amended", "Amended plans passing every automatic quality check",
           "Amended plans that pass the plan quality checks",
           "As above, for amended plan versions issued in the month after an annual review; these are also checked "
           "for changing the sections the review said should change (CoP 9.176, 9.193 to 9.194).",
           group="Plan quality"),
    Metric("quality_audits_good", "Audited plans good or better", "Audited plans judged good or better",
           "Of plan audits finished in the month (by a QA officer, from the monthly sample or otherwise), the share "
           "whose grade is good or outstanding: the moderated grade where a second auditor changed it. The grade is "
           "the weighted mean of the section grades against the council's rubric (docs/plan-quality.md).",
           group="Plan quality"),
    Metric("refusals_to_assess", "Refusals to assess", "Decisions not to assess",
           "The number of decisions not to carry out an EHC needs assessment made in the month.",
           kind=COUNT, group="Disagreements", higher_is_better=False),
    Metric("refusals_mediation", "Refusals to assess that went to mediation", "Refusals that went to mediation",
           "Of refusals to assess made in the month, the share where the family asked for mediation.",
           group="Disagreements", higher_is_better=False),
    Metric("refusals_appealed", "Refusals to assess appealed to the tribunal", "Refusals appealed to the tribunal",
           "Of refusals to assess made in the month, the share appealed to the First-tier Tribunal (SEND).",
           group="Disagreements", higher_is_better=False),
    Metric("appeals_for_family", "Appeals resolved in the family's favour", "Appeals resolved for the family",
           "Of appeals against refusals made in the month that have an outcome, the share where the tribunal "
           "ordered an assessment or the council conceded.", group="Disagreements", higher_is_better=False),
)
BY_KEY = {m.key: m for m in METRICS}
GROUPS = tuple(dict.fromkeys(m.group for m in METRICS))

# Figures whose numbers are tied by an equation (the same cases counted twice): the public view hides
# their months together (core.disclosure). Both 20-week figures share their numerator; the two plan
# content figures share their denominator; the refusals count is the denominator of both refusal shares.
LINKED = (("final_plan_20w", "final_plan_20w_exc"), ("plans_health_content", "plans_social_care_content"),
          ("refusals_to_assess", "refusals_mediation", "refusals_appealed"))
# Counted only in the month of the figures (a point in time): never a whole month, so not published.
POINT_IN_TIME = frozenset({"pfa_outcomes"})


def linked_groups() -> list[tuple[str, ...]]:
    """Every metric in exactly one group: the LINKED ones together, every other one on its own."""
    linked = {key for group in LINKED for key in group}
    return [*LINKED, *((m.key,) for m in METRICS if m.key not in linked)]

# A cell: metric, month "YYYY-MM", local authority id, phase, need, setting type, numerator, denominator.
Cell = tuple[str, str, int, str, str, str, int, int]


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: date, last: date) -> list[str]:
    """Every month key from `first`'s month to `last`'s month, inclusive."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Filters:
    months: frozenset[str] | None = None  # None: every month in the snapshot
    local_authority: int | None = None
    phase: str | None = None
    need: str | None = None
    setting_type: str | None = None

    def admits(self, cell: Sequence) -> bool:
        _, month, la, phase, need, setting, *_ = cell
        return ((self.months is None or month in self.months)
                and (self.local_authority is None or la == self.local_authority)
                and (self.phase is None or phase == self.phase)
                and (self.need is None or need == self.need)
                and (self.setting_type is None or setting == self.setting_type))


def aggregate(cells: Iterable[Sequence], filters: Filters) -> dict[str, dict[str, list[int]]]:
    """metric -> month -> [numerator, denominator], summed over the cells the filters admit."""
    out: dict[str, dict[str, list[int]]] = {}
    for cell in cells:
        if not filters.admits(cell):
            continue
        slot = out.setdefault(cell[0], {}).setdefault(cell[1], [0, 0])
        slot[0] += cell[6]
        slot[1] += cell[7]
    return out


def total(by_month: dict[str, list[int]]) -> tuple[int, int]:
    return sum(v[0] for v in by_month.values()), sum(v[1] for v in by_month.values())


def value(metric: Metric, numerator: int, denominator: int) -> float | None:
    """The figure: a percentage for a share (None when nothing was counted), the count for a count."""
    if metric.kind == COUNT:
        return float(denominator)
    return round(100 * numerator / denominator, 1) if denominator else None


def is_small(count: int, below: int) -> bool:
    return 0 < count < below


def suppressed(metric: Metric, numerator: int, denominator: int, below: int) -> bool:
    """True when the figure would reveal a count under `below`: the count itself, or for a share its
    top, its bottom, or the difference between them (which could be worked out from the other two)."""
    if metric.kind == COUNT:
        return is_small(denominator, below)
    return any(is_small(n, below) for n in (numerator, denominator, denominator - numerator))


def trajectory_at(points: Sequence[tuple[date, float]], day: date) -> float | None:
    """The target that applies on `day`: straight-line between the leaders' dated targets, the first target
    before it, the last after it; None when there are no targets."""
    points = sorted(points)
    if not points:
        return None
    if day <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in zip(points, points[1:]):
        if d0 <= day <= d1:
            span = (d1 - d0).days
            return v0 if span == 0 else v0 + (v1 - v0) * (day - d0).days / span
    return points[-1][1]


RED, AMBER, GREEN, GREY = "red", "amber", "green", "grey"
AMBER_MARGIN = 5.0  # percentage points (or, for counts, per cent of the target) short of the target


def rag(metric: Metric, actual: float | None, target: float | None) -> str:
    """Green on or better than the trajectory; amber within the margin; red further away; grey unmeasured."""
    if actual is None or target is None:
        return GREY
    gap = (actual - target) if metric.higher_is_better else (target - actual)
    if gap >= 0:
        return GREEN
    margin = AMBER_MARGIN if metric.kind == SHARE else max(1.0, abs(target) * AMBER_MARGIN / 100)
    return AMBER if -gap <= margin else RED


def worst(colours: Iterable[str]) -> str:
    order = [RED, AMBER, GREEN]
    found = [c for c in colours if c in order]
    return min(found, key=order.index) if found else GREY
