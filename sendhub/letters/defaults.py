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

Contact the SEND team at {{ local_authority }}{% if local_authority.email %} by email at {{ local_authority.email }}{% endif %}{% if local_authority.telephone %} or by telephone on {{ local_authority.telephone }}{% endif %}.

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
