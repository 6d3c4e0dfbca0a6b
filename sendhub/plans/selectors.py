from django.db.models import Q, QuerySet

from sendhub.accounts.models import Role
from sendhub.people.selectors import children_visible_to

from .models import PlanVersion


def visible_versions(user) -> QuerySet[PlanVersion]:
    """Issued plans of the children this person may see (the same rule as the child's record), and, for a
    SENCO, every version sent to their school or setting because it is named in the plan."""
    seen = Q(child__in=children_visible_to(user).values("pk"))
    if user.is_authenticated and user.is_active and user.role == Role.SENCO and user.organisation_id:
        from sendhub.messaging.models import Delivery

        seen |= Q(pk__in=Delivery.objects.filter(organisation_id=user.organisation_id, version__isnull=False)
                  .values("version"))
    return PlanVersion.objects.filter(seen)
