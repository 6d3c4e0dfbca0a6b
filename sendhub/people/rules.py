"""Object permissions for children's records (loaded by rules' autodiscovery).

Check them with `rules.has_perm`, never `user.has_perm`: Django lets a superuser pass every
`user.has_perm`, and no one passes these without a reason.
"""

import rules

from sendhub.accounts.models import Role

from .selectors import AGE_OF_OWN_CONSENT, children_visible_to


@rules.predicate
def can_see_child(user, child) -> bool:
    return child is not None and children_visible_to(user).filter(pk=child.pk).exists()


@rules.predicate
def is_local_authority_caseworker(user) -> bool:
    return (
        user.is_authenticated
        and user.role in {Role.CASEWORKER, Role.TEAM_MANAGER}
        and user.organisation is not None
        and user.organisation.kind == "local_authority"
    )


@rules.predicate
def is_caseworker_for_child(user, child) -> bool:
    return is_local_authority_caseworker(user) and child is not None and child.local_authority_id == user.organisation_id


@rules.predicate
def is_the_young_person_of_consent_age(user, child) -> bool:
    return child is not None and child.account_id == user.pk and child.age() >= AGE_OF_OWN_CONSENT


@rules.predicate
def is_partnership_leader(user) -> bool:
    return user.is_authenticated and user.role in {Role.PARTNERSHIP_LEADER, Role.TEAM_MANAGER}


rules.add_perm("people.view_child", can_see_child)
rules.add_perm("people.add_child", is_local_authority_caseworker)
rules.add_perm("people.change_child", is_caseworker_for_child)
rules.add_perm("people.manage_involvements", is_caseworker_for_child)
rules.add_perm("people.set_sharing_consent", is_the_young_person_of_consent_age)
rules.add_perm("people.view_area_figures", is_partnership_leader)


@rules.predicate
def works_with_children(user) -> bool:
    return user.is_authenticated and user.role in {
        Role.CASEWORKER, Role.TEAM_MANAGER, Role.QA_OFFICER, Role.SENCO, Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE,
    }


rules.add_perm("people.view_child_list", works_with_children)
