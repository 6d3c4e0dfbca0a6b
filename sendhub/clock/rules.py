"""Who may see a case's deadlines and who may record what happened (rules' autodiscovery loads this)."""

import rules

from sendhub.accounts.models import Role
from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.people.rules import can_see_child, is_caseworker_for_child

from .models import ASSESSMENT_TYPES, REVIEW_TYPES

# The school runs the review meeting and sends the report; the council records everything else.
SCHOOL_RECORDS = ["review_meeting", "review_report_sent"]
# Decisions on an assessment are made with their reasons (and letter) through the decision form.
DECISION_TYPES = {"decision_to_assess", "decision_not_to_assess", "decision_to_issue_plan",
                  "decision_not_to_issue_plan"}
# One route per statutory decision (issue 14): each of these is recorded only by the service that also writes
# the family's letter, never through "Record what happened". The value says where it is recorded.
OWN_ROUTE = {
    **{kind: "the decision form on this assessment's page (“Make the decision”)" for kind in DECISION_TYPES},
    "draft_plan_sent": "the plan's drafting page (“Draft the plan”), which issues the draft with its letter",
    "final_plan_issued": "the plan's drafting page (“Draft the plan”), which issues the final plan with its letter",
    "la_decision": "the annual review's page (“The council's decision”), which writes the decision letter",
    "amendment_notice_sent": "the plan's drafting page (“Draft the amendments”), which sends the proposed "
                             "changes with their letter",
    "amended_plan_issued": "the plan's drafting page (“Draft the amendments”), which issues the amended plan "
                           "with its letter",
}


def child_of(case):
    return case.child if isinstance(case, EHCNeedsAssessment) else case.plan.child


def recordable_types(user, case) -> list[str]:
    child = child_of(case)
    if is_caseworker_for_child(user, child):
        types = ASSESSMENT_TYPES if isinstance(case, EHCNeedsAssessment) else REVIEW_TYPES
        return [t for t in types if t not in OWN_ROUTE]
    if (user.is_authenticated and user.role == Role.SENCO and child.setting_id is not None
            and child.setting_id == user.organisation_id and not isinstance(case, EHCNeedsAssessment)):
        return SCHOOL_RECORDS
    return []


@rules.predicate
def can_see_case(user, case) -> bool:
    return case is not None and can_see_child(user, child_of(case))


@rules.predicate
def can_record_on_case(user, case) -> bool:
    return case is not None and bool(recordable_types(user, case))


@rules.predicate
def works_a_queue(user) -> bool:
    return user.is_authenticated and user.role in {Role.CASEWORKER, Role.TEAM_MANAGER, Role.QA_OFFICER, Role.SENCO}


rules.add_perm("clock.view_case", can_see_case)
rules.add_perm("clock.record_event", can_record_on_case)
rules.add_perm("clock.view_queue", works_a_queue)
