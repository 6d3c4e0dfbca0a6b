"""The letters sendhub ships with; a council edits its own copies in the support admin site."""

DECISION_NOT_TO_ASSESS = """Dear {{ requester_name }},

We have carefully considered the request for an education, health and care (EHC) needs assessment for {{ child.full_name }}, received on {{ request_date|date:"j F Y" }}.

On {{ decision_date|date:"j F Y" }} we decided not to carry out an EHC needs assessment at this time.

## Why we made this decision

{{ reasons }}

## Support that is available without an EHC plan

{{ child.given_name }}'s school or setting must keep giving special educational needs (SEN) support, and review it with you at least three times a year. They can ask for advice from specialist services, such as educational psychology, speech and language therapy or the specialist teaching team, without an EHC plan. You can find services for children and young people with SEND in {{ local_authority }}'s local offer.

## If you disagree with this decision

You can ask us to look at the decision again by contacting us. You also have the right to appeal to the First-tier Tribunal (Special Educational Needs and Disability).

Before you appeal, you must contact a mediation adviser to get a certificate, and you can choose to go to mediation. You must do this within 2 months of the date of this letter, by {{ mediation_by|date:"j F Y" }}. Mediation is free and independent of the council.

You must appeal within 2 months of the date of this letter, by {{ appeal_by|date:"j F Y" }}, or within 1 month of the date on your mediation certificate, whichever is later.

## Who to contact

Contact {{ contact }} at {{ local_authority }}{% if contact.email %} by email at {{ contact.email }}{% endif %}{% if contact.telephone %} or by telephone on {{ contact.telephone }}{% endif %}.

Your local SEND Information, Advice and Support Service (SENDIASS) gives free, impartial and confidential advice to families and young people.

Yours sincerely,

The SEND team, {{ local_authority }}
"""

DECISION_NOT_TO_ISSUE_PLAN = DECISION_NOT_TO_ASSESS.replace(
    'we decided not to carry out an EHC needs assessment at this time.',
    'we decided not to issue an EHC plan after the assessment. We will send you the information and advice '
    'we gathered during the assessment.',
)

DEFAULTS = {
    "decision-not-to-assess": ("Our decision not to carry out an EHC needs assessment", DECISION_NOT_TO_ASSESS),
    "decision-not-to-issue-plan": ("Our decision not to issue an EHC plan", DECISION_NOT_TO_ISSUE_PLAN),
}


_REVIEW_OPENING = """Dear {{ requester_name }},

Thank you for taking part in the annual review of {{ child.full_name }}'s education, health and care (EHC) plan{% if meeting_date %}, at the meeting on {{ meeting_date|date:"j F Y" }}{% endif %}. We have read the review report and the advice and views that were sent.

"""

_REVIEW_CONTACT = """

## Who to contact

Contact {{ contact }} at {{ local_authority }}{% if contact.email %} by email at {{ contact.email }}{% endif %}{% if contact.telephone %} or by telephone on {{ contact.telephone }}{% endif %}.

Your local SEND Information, Advice and Support Service (SENDIASS) gives free, impartial and confidential advice to families and young people.

Yours sincerely,

The SEND team, {{ local_authority }}
"""

_APPEAL_RIGHTS = """

## If you disagree with this decision

You have the right to appeal to the First-tier Tribunal (Special Educational Needs and Disability).

Before you appeal, you must contact a mediation adviser to get a certificate, and you can choose to go to mediation. You must do this within 2 months of the date of this letter, by {{ mediation_by|date:"j F Y" }}. Mediation is free and independent of the council.

You must appeal within 2 months of the date of this letter, by {{ appeal_by|date:"j F Y" }}, or within 1 month of the date on your mediation certificate, whichever is later."""

REVIEW_MAINTAIN = _REVIEW_OPENING + """On {{ decision_date|date:"j F Y" }} we decided to keep the plan as it is.

## Why we made this decision

{{ reasons }}

The plan stays in place and will be reviewed again within 12 months of the review meeting.""" + _APPEAL_RIGHTS.replace(
    "this decision", "this decision or with what the plan says") + _REVIEW_CONTACT

REVIEW_AMEND = _REVIEW_OPENING + """On {{ decision_date|date:"j F Y" }} we decided to amend the plan.

## Why we made this decision

{{ reasons }}

## What happens next

We will send you the proposed changes to the plan. You will have at least 15 days to tell us what you think of them and to ask for a particular school or college to be named. We must send you the amended plan within 8 weeks of sending you the proposed changes.

When you receive the amended plan you will be able to appeal against what it says, or against the school or college it names.""" + _REVIEW_CONTACT

REVIEW_CEASE = _REVIEW_OPENING + """On {{ decision_date|date:"j F Y" }} we decided to stop maintaining {{ child.given_name }}'s EHC plan.

## Why we made this decision

{{ reasons }}

## What this means

The plan stays in place while you can still appeal and, if you appeal, until the appeal has been decided. {{ child.given_name }}'s school or college must keep giving special educational needs (SEN) support. You can find services for children and young people with SEND in {{ local_authority }}'s local offer.""" + _APPEAL_RIGHTS + _REVIEW_CONTACT

DEFAULTS.update({
    "review-maintain": ("Our decision after the annual review: keeping the EHC plan", REVIEW_MAINTAIN),
    "review-amend": ("Our decision after the annual review: amending the EHC plan", REVIEW_AMEND),
    "review-cease": ("Our decision after the annual review: ceasing the EHC plan", REVIEW_CEASE),
})
