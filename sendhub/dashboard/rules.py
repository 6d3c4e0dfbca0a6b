"""Who may see and change what on the dashboard. Deny by default; check with `rules.has_perm`."""

import rules

from sendhub.accounts.models import Role
from sendhub.people.rules import is_caseworker_for_child, is_local_authority_caseworker

AREA_FIGURE_ROLES = {Role.PARTNERSHIP_LEADER, Role.TEAM_MANAGER, Role.QA_OFFICER, Role.CASEWORKER}
DRILL_DOWN_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER, Role.QA_OFFICER}  # council staff; leaders never
TARGET_ROLES = {Role.PARTNERSHIP_LEADER, Role.TEAM_MANAGER}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def sees_area_figures(user) -> bool:
    return _active(user) and user.role in AREA_FIGURE_ROLES


@rules.predicate
def is_council_staff(user) -> bool:
    return (_active(user) and user.role in DRILL_DOWN_ROLES and user.organisation is not None
            and user.organisation.kind == "local_authority")


@rules.predicate
def sets_targets(user) -> bool:
    return _active(user) and user.role in TARGET_ROLES


@rules.predicate
def records_disagreements(user, assessment) -> bool:
    return assessment is not None and is_caseworker_for_child(user, assessment.child)


rules.add_perm("dashboard.view_dashboard", sees_area_figures)
rules.add_perm("dashboard.drill_down", is_council_staff)
rules.add_perm("dashboard.set_targets", sets_targets)
rules.add_perm("dashboard.view_big_plan", sees_area_figures)
rules.add_perm("dashboard.manage_big_plan", sets_targets)
rules.add_perm("dashboard.record_disagreement", records_disagreements)
rules.add_perm("dashboard.record_disagreements", is_local_authority_caseworker)  # the links; each record is checked above
