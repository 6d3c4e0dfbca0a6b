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


@rules.predicate
def may_see_advice_request(user, advice) -> bool:
    """Defined as the scoped queryset, so the object check and the advice lists can never disagree."""
    from .selectors import advice_visible_to

    return advice is not None and advice_visible_to(user).filter(pk=advice.pk).exists()


rules.add_perm("assessments.view_advice_request", may_see_advice_request)
