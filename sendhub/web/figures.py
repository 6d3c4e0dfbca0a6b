"""Aggregate figures for leaders: counts only, never a child, small numbers hidden so they cannot be worked out.

Each table (plans by need, plans by age) adds up to the published total, so hiding only the counts under
5 would let a reader subtract: `core.disclosure.protect` also hides the next smallest count where needed
(docs/dashboard.md, "Small numbers in the public view"). Every hidden count, and its share, reads "not shown".
"""

from django.db.models import Count
from django.utils import timezone

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.core.disclosure import HIDDEN, SUPPRESS_BELOW, Series, protect
from sendhub.core.schoolyear import birth_dates_for_ages
from sendhub.people.models import Child, Need
from sendhub.plans.models import EHCPlan, PlanStatus

AGE_BANDS = [("Under 5", 0, 4), ("5 to 10", 5, 10), ("11 to 15", 11, 15), ("16 to 19", 16, 19), ("20 to 25", 20, 25)]


def suppress(count: int) -> str:
    """A count on its own (no total it adds up to): under 5 shows as 'fewer than 5'."""
    return "fewer than 5" if 0 < count < SUPPRESS_BELOW else f"{count:,}"


def protected_table(labels: list[str], counts: list[int]) -> list[dict]:
    """Rows of a table whose counts add up to a published total: each count and its share of the total,
    or "not shown" for those `protect` hides (under 5, and the next smallest so none can be subtracted)."""
    total = sum(counts)
    protection = protect([Series.count(counts)])
    rows = []
    for i, (label, count) in enumerate(zip(labels, counts)):
        hidden = i in protection.hidden or (protection.whole_hidden and count > 0)
        rows.append({"label": label, "count": HIDDEN if hidden else f"{count:,}",
                     "share": "" if hidden or not total or protection.whole_hidden else f"{100 * count / total:.1f}%"})
    return rows


def area_figures(organisation) -> dict:
    today = timezone.localdate()
    children = Child.objects.all()
    if organisation is not None and organisation.kind == "local_authority":
        children = children.filter(local_authority=organisation)
    plans = EHCPlan.objects.filter(status=PlanStatus.ACTIVE, child__in=children.values("pk"))
    by_need = dict(plans.values_list("child__primary_need").annotate(n=Count("pk")).values_list("child__primary_need", "n"))
    total = sum(by_need.values())
    need_labels = [label for _, label in Need.choices] + ["Not recorded yet"]
    need_counts = [by_need.get(code, 0) for code, _ in Need.choices]
    need_counts.append(total - sum(need_counts))  # plans whose need is not recorded: part of the total too
    age_labels, age_counts = [], []
    for label, youngest, oldest in AGE_BANDS:
        earliest, latest = birth_dates_for_ages(today, youngest, oldest)
        age_labels.append(label)
        age_counts.append(plans.filter(child__date_of_birth__gte=earliest, child__date_of_birth__lte=latest).count())
    age_labels.append("Other ages")
    age_counts.append(total - sum(age_counts))
    year_start = today.replace(month=1, day=1)
    requests = EHCNeedsAssessment.objects.filter(child__in=children.values("pk"), request_received_on__gte=year_start)
    return {
        "scope": str(organisation) if organisation else "the whole partnership",
        "plans_total": suppress(total),
        "by_need": [{"need": r["label"], "count": r["count"], "share": r["share"]}
                    for r in protected_table(need_labels, need_counts) if r["label"] != "Not recorded yet"
                    or need_counts[-1]],
        "by_age": [{"band": r["label"], "count": r["count"]}
                   for r in protected_table(age_labels, age_counts) if r["label"] != "Other ages" or age_counts[-1]],
        "requests_this_year": suppress(requests.count()),
        "as_of": today,
    }
