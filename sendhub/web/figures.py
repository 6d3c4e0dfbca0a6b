"""Aggregate figures for leaders: counts only, never a child, small numbers suppressed."""

from django.db.models import Count
from django.utils import timezone

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.core.schoolyear import birth_dates_for_ages
from sendhub.people.models import Child, Need
from sendhub.plans.models import EHCPlan, PlanStatus

SUPPRESS_BELOW = 5
AGE_BANDS = [("Under 5", 0, 4), ("5 to 10", 5, 10), ("11 to 15", 11, 15), ("16 to 19", 16, 19), ("20 to 25", 20, 25)]


def suppress(count: int) -> str:
    """Published statistics about children show counts under 5 as 'fewer than 5'."""
    return "fewer than 5" if 0 < count < SUPPRESS_BELOW else f"{count:,}"


def area_figures(organisation) -> dict:
    today = timezone.localdate()
    children = Child.objects.all()
    if organisation is not None and organisation.kind == "local_authority":
        children = children.filter(local_authority=organisation)
    plans = EHCPlan.objects.filter(status=PlanStatus.ACTIVE, child__in=children.values("pk"))
    by_need = dict(plans.values_list("child__primary_need").annotate(n=Count("pk")).values_list("child__primary_need", "n"))
    total = sum(by_need.values())
    need_rows = [
        {"need": label, "count": suppress(by_need.get(code, 0)),
         "share": f"{100 * by_need.get(code, 0) / total:.1f}%" if total and by_need.get(code, 0) >= SUPPRESS_BELOW else ""}
        for code, label in Need.choices
    ]
    age_rows = []
    for label, youngest, oldest in AGE_BANDS:
        earliest, latest = birth_dates_for_ages(today, youngest, oldest)
        count = plans.filter(child__date_of_birth__gte=earliest, child__date_of_birth__lte=latest).count()
        age_rows.append({"band": label, "count": suppress(count)})
    year_start = today.replace(month=1, day=1)
    requests = EHCNeedsAssessment.objects.filter(child__in=children.values("pk"), request_received_on__gte=year_start)
    return {
        "scope": str(organisation) if organisation else "the whole partnership",
        "plans_total": suppress(total),
        "by_need": need_rows,
        "by_age": age_rows,
        "requests_this_year": suppress(requests.count()),
        "as_of": today,
    }
