"""Who may do what with plan quality (rules' autodiscovery loads this). Deny by default; check with `rules.has_perm`.

The automatic checks themselves are in `checklist.py`.
"""

import rules

from sendhub.accounts.models import Role
from sendhub.people.rules import is_caseworker_for_child

QA_ROLES = {Role.QA_OFFICER, Role.TEAM_MANAGER}
# Who a QA officer may ask to moderate an audit: a second auditor from another agency or the council.
MODERATOR_ROLES = {Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE, Role.QA_OFFICER, Role.TEAM_MANAGER}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _council_of(user):
    organisation = getattr(user, "organisation", None)
    return organisation if organisation is not None and organisation.kind == "local_authority" else None


@rules.predicate
def is_quality_lead(user) -> bool:
    """A QA officer or SEND team manager of a council: audits, samples, the rubric and the checks' settings."""
    return _active(user) and user.role in QA_ROLES and _council_of(user) is not None


@rules.predicate
def audits_for_this_council(user, audit) -> bool:
    return is_quality_lead(user) and audit is not None and audit.local_authority_id == user.organisation_id


@rules.predicate
def is_the_auditor(user, audit) -> bool:
    return _active(user) and audit is not None and audit.auditor_id == user.pk and audits_for_this_council(user, audit)


@rules.predicate
def is_the_moderator(user, audit) -> bool:
    return _active(user) and audit is not None and audit.moderator_id == user.pk


@rules.predicate
def is_caseworker_for_audited_child(user, audit) -> bool:
    return audit is not None and is_caseworker_for_child(user, audit.version.child)


rules.add_perm("quality.view_quality", is_quality_lead)
rules.add_perm("quality.change_settings", is_quality_lead)
rules.add_perm("quality.audit_plans", is_quality_lead)
rules.add_perm("quality.view_audit", audits_for_this_council | is_the_moderator | is_caseworker_for_audited_child)
rules.add_perm("quality.grade_audit", is_the_auditor)
rules.add_perm("quality.moderate_audit", is_the_moderator)
