"""What a letter template can see: plain values, built from the models by one presenter per letter kind.

A template never receives a model. If it did, `{{ child.involvements.all.0.professional.password }}` would
walk from the child to a professional's password hash (issue 15, finding 5). Each presenter copies the few
values its letters need into strings, dates and small dicts; `VARIABLES` lists the dotted names a template
of that kind may use, and a template using any other name is refused when it is saved (sandbox.py).
"""

from dataclasses import dataclass
from collections.abc import Callable, Mapping
from typing import Any


class Named(dict):
    """A dict of plain values that prints as its name: `{{ local_authority }}` and `{{ local_authority.email }}`."""

    def __str__(self) -> str:
        return str(self.get("name", ""))


CHILD = {
    "child": "the child's or young person's full name",
    "child.full_name": "the child's or young person's full name",
    "child.given_name": "their first name",
    "child.family_name": "their last name",
    "child.preferred_name": "the name they like to be called, if recorded",
}
LOCAL_AUTHORITY = {
    "local_authority": "the council's name",
    "local_authority.name": "the council's name",
    "local_authority.email": "the council's SEND team email address, if recorded",
    "local_authority.telephone": "the council's SEND team telephone number, if recorded",
}
CONTACT = {
    "contact": "who to contact: the caseworker's name and 'your caseworker', or 'the SEND team' when none is allocated",
    "contact.telephone": "the SEND team's telephone number, if recorded",
    "contact.email": "the SEND team's email address, if recorded",
}
DECISION = {
    "requester_name": "who the letter is addressed to",
    "decision_date": "the date of the decision",
    "letter_date": "the date of the letter",
    "reasons": "the reasons for the decision, as the caseworker wrote them",
    "mediation_by": "the last day to contact a mediation adviser",
    "appeal_by": "the last day to appeal",
}


def _child(child) -> Named:
    return Named(name=child.full_name, full_name=child.full_name, given_name=child.given_name,
                 family_name=child.family_name, preferred_name=child.preferred_name)


def _local_authority(organisation) -> Named:
    return Named(name=organisation.name, email=organisation.email, telephone=organisation.telephone)


def _contact(child) -> Named:
    """The named person the family contacts (portal.family.contact_for: the same on the tracker and home)."""
    from sendhub.portal.family import contact_for

    contact = contact_for(child)
    return Named(name=f"{contact.name}, your caseworker," if contact.named else contact.name,
                 telephone=contact.telephone, email=contact.email)


def _plain(child, facts: Mapping[str, Any], names) -> dict:
    """The child, the council, the named contact and the listed facts: nothing else reaches the template."""
    return {"child": _child(child), "local_authority": _local_authority(facts["local_authority"]),
            "contact": _contact(child), **{name: facts.get(name) for name in names}}


def _decision(child, facts: Mapping[str, Any]) -> dict:
    return _plain(child, facts, DECISION)


def present_assessment_decision(child, facts: Mapping[str, Any]) -> dict:
    """A refusal to assess or to issue a plan: the request's date as well as the decision's."""
    return {**_decision(child, facts), "request_date": facts.get("request_date")}


def present_review_decision(child, facts: Mapping[str, Any]) -> dict:
    """The council's decision after an annual review: the meeting's date as well as the decision's."""
    return {**_decision(child, facts), "meeting_date": facts.get("meeting_date")}


LETTER = {
    "requester_name": "who the letter is addressed to",
    "letter_date": "the date of the letter",
}
ACKNOWLEDGEMENT = {
    **LETTER,
    "request_date": "the date the request for an assessment was received",
    "requested_by": "who asked for the assessment ('you' when the family asked)",
    "decide_by": "the last day for the council's decision whether to assess (6 weeks, from the statutory clock)",
}
TO_ASSESS = {
    **LETTER,
    "request_date": "the date the request for an assessment was received",
    "decision_date": "the date of the decision",
    "reasons": "the reasons for the decision, as the caseworker wrote them (may be empty)",
    "final_plan_by": "the last day to send the final plan (20 weeks, from the statutory clock)",
}
PLAN = {
    **LETTER,
    "issued_on": "the day this version of the plan was issued",
    "version_number": "the version's number",
}
FIFTEEN_DAYS = {
    "comment_by": "the family's last day to comment and ask for a school: the same date every page shows",
}
APPEAL = {
    "mediation_by": "the last day to contact a mediation adviser",
    "appeal_by": "the last day to appeal (or 1 month after a mediation certificate, if later)",
    "review_by": "the last day for the next annual review meeting (from the statutory clock)",
}
INVITATION = {
    **LETTER,
    "meeting_date": "the date of the review meeting",
    "setting": "the school or setting holding the meeting, if recorded",
}


def presenter(names):
    return lambda child, facts: _plain(child, facts, names)


@dataclass(frozen=True)
class LetterKind:
    variables: dict[str, str]  # dotted name -> what it is, shown to whoever edits the template
    present: Callable[[Any, Mapping[str, Any]], dict]


ASSESSMENT_DECISION = LetterKind({**CHILD, **LOCAL_AUTHORITY, **CONTACT, **DECISION,
                                  "request_date": "the date the request for an assessment was received"},
                                 present_assessment_decision)
REVIEW_DECISION = LetterKind({**CHILD, **LOCAL_AUTHORITY, **CONTACT, **DECISION,
                              "meeting_date": "the date of the review meeting, if there was one"},
                             present_review_decision)

def _kind(*groups: dict) -> LetterKind:
    names = {name: text for group in groups for name, text in group.items()}
    return LetterKind({**CHILD, **LOCAL_AUTHORITY, **CONTACT, **names}, presenter(list(names)))


KINDS: dict[str, LetterKind] = {
    "request-acknowledgement": _kind(ACKNOWLEDGEMENT),
    "decision-to-assess": _kind(TO_ASSESS),
    "draft-plan": _kind(PLAN, FIFTEEN_DAYS, {"final_plan_by": TO_ASSESS["final_plan_by"]}),
    "final-plan": _kind(PLAN, APPEAL),
    "amendment-notice": _kind(PLAN, FIFTEEN_DAYS, {
        "amended_plan_by": "the last day to send the amended plan (8 weeks, from the statutory clock)"}),
    "amended-plan": _kind(PLAN, APPEAL),
    "review-invitation": _kind(INVITATION),
    "decision-not-to-assess": ASSESSMENT_DECISION,
    "decision-not-to-issue-plan": ASSESSMENT_DECISION,
    "review-maintain": REVIEW_DECISION,
    "review-amend": REVIEW_DECISION,
    "review-cease": REVIEW_DECISION,
}
