"""Who may do what in an annual review (rules' autodiscovery loads this). Deny by default."""

import rules

from sendhub.accounts.models import Role
from sendhub.people.rules import can_see_child, is_caseworker_for_child
from sendhub.people.selectors import LOCAL_AUTHORITY_ROLES


def _child(obj):
    """A review round, a plan, or a child."""
    if obj is None:
        return None
    if hasattr(obj, "plan"):
        return obj.plan.child
    if hasattr(obj, "child"):
        return obj.child
    return obj


@rules.predicate
def is_senco_at_setting(user, obj) -> bool:
    child = _child(obj)
    return (user.is_authenticated and user.role == Role.SENCO and child is not None
            and child.setting_id is not None and child.setting_id == user.organisation_id)


@rules.predicate
def is_council_caseworker(user, obj) -> bool:
    return is_caseworker_for_child(user, _child(obj))


@rules.predicate
def sees_child(user, obj) -> bool:
    return can_see_child(user, _child(obj))


@rules.predicate
def takes_part(user, obj) -> bool:
    """The family, the young person and every professional who can see the child send views or advice."""
    return (user.is_authenticated and user.role in {Role.FAMILY, Role.YOUNG_PERSON, Role.HEALTH_PROFESSIONAL,
                                                     Role.SOCIAL_CARE, Role.SENCO, Role.CASEWORKER, Role.TEAM_MANAGER}
            and can_see_child(user, _child(obj)))


@rules.predicate
def is_family_of(user, obj) -> bool:
    return user.is_authenticated and user.role in {Role.FAMILY, Role.YOUNG_PERSON} and can_see_child(user, _child(obj))


@rules.predicate
def works_for_council(user) -> bool:
    return (user.is_authenticated and user.role in LOCAL_AUTHORITY_ROLES and user.organisation is not None
            and user.organisation.kind == "local_authority")


@rules.predicate
def is_team_manager(user) -> bool:
    return works_for_council(user) and user.role == Role.TEAM_MANAGER


@rules.predicate
def is_school_senco(user) -> bool:
    return user.is_authenticated and user.role == Role.SENCO and user.organisation_id is not None


@rules.predicate
def is_in_referral_team(user, referral) -> bool:
    return (referral is not None and user.is_authenticated
            and user.teams.filter(pk=referral.team_id).exists())


@rules.predicate
def sees_review_figures(user) -> bool:
    return works_for_council(user) or (user.is_authenticated and user.role == Role.PARTNERSHIP_LEADER)


runs_review = is_senco_at_setting | is_council_caseworker
rules.add_perm("reviews.view_review", takes_part | is_senco_at_setting | (works_for_council & sees_child))
rules.add_perm("reviews.run_review", runs_review)
rules.add_perm("reviews.contribute", takes_part)
rules.add_perm("reviews.decide", is_council_caseworker)
rules.add_perm("reviews.request_early_review", is_family_of)
rules.add_perm("reviews.answer_early_review", is_council_caseworker)
rules.add_perm("reviews.raise_placement_concern", runs_review)
rules.add_perm("reviews.view_school_reviews", is_school_senco)
rules.add_perm("reviews.view_priority_queue", works_for_council)
rules.add_perm("reviews.change_weights", is_team_manager)
rules.add_perm("reviews.refer_for_transition", is_council_caseworker)
rules.add_perm("reviews.update_transition", is_council_caseworker | is_in_referral_team)
rules.add_perm("reviews.view_transitions", works_for_council)
rules.add_perm("reviews.view_figures", sees_review_figures)
