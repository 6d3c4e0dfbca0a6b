from django.db.models import QuerySet

from sendhub.people.selectors import children_visible_to

from .models import PlanVersion


def visible_versions(user) -> QuerySet[PlanVersion]:
    """Issued plans of the children this person may see (the same rule as the child's record)."""
    return PlanVersion.objects.filter(child__in=children_visible_to(user).values("pk"))
