"""Who may add to a child's "All about me" (rules' autodiscovery loads this). Deny by default."""

import rules

from sendhub.accounts.models import Role
from sendhub.people.rules import can_see_child


@rules.predicate
def is_family_or_young_person(user, child) -> bool:
    return user.is_authenticated and user.role in {Role.FAMILY, Role.YOUNG_PERSON} and can_see_child(user, child)


rules.add_perm("portal.add_all_about_me", is_family_or_young_person)
