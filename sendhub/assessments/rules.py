import rules

from sendhub.accounts.models import Role
from sendhub.people.rules import can_see_child

REQUESTING_ROLES = {Role.FAMILY, Role.YOUNG_PERSON, Role.SENCO, Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE,
                    Role.CASEWORKER, Role.TEAM_MANAGER}


@rules.predicate
def may_request_for(user, child) -> bool:
    """Anyone who may see the child and has a part in their support may ask for an assessment."""
    return user.is_authenticated and user.role in REQUESTING_ROLES and can_see_child(user, child)


rules.add_perm("assessments.request_assessment", may_request_for)
