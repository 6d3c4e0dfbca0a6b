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


# -- Issue 14: a letter for every statutory step ------------------------------------------------------
# Each says what has happened, what happens next and by when (dates from the statutory clock, never
# counted here), the family's rights and time limits where they apply, and who to contact.

_CONTACT = _REVIEW_CONTACT

_PLAN_APPEAL_RIGHTS = """

## If you disagree with the plan

You have the right to appeal to the First-tier Tribunal (Special Educational Needs and Disability) against:

- the description of {{ child.given_name }}'s special educational needs (section B)
- the special educational provision (section F)
- the school or other institution named, or that no school or institution is named (section I)

When you appeal about any of these, you can also ask the Tribunal to make recommendations about the health and social care parts of the plan (sections C, D, G, H1 and H2). These powers were first tested in the national trial. The Tribunal's recommendations about health and social care are not binding, but the health service and the council must answer them in writing.

## Time limits

You must appeal within 2 months of the date of this letter, by {{ appeal_by|date:"j F Y" }}, or within 1 month of the date on your mediation certificate, whichever is later.

## Mediation

Before you appeal, you must contact a mediation adviser, by {{ mediation_by|date:"j F Y" }}, and think about whether to try mediation. The adviser will give you a certificate, which you need to appeal. You do not need to do this if you only want to appeal about the school or institution named in section I. Mediation is free and independent of the council. You can also ask for mediation about the health and social care parts of the plan.

## Help and advice

Your local SEND Information, Advice and Support Service (SENDIASS) gives free, impartial and confidential advice about the plan, about mediation and about appealing. The council's independent disagreement resolution service can help you settle a disagreement without going to the Tribunal; using it does not affect your right to appeal."""

REQUEST_ACKNOWLEDGEMENT = """Dear {{ requester_name }},

We received a request from {{ requested_by }} on {{ request_date|date:"j F Y" }} for an education, health and care (EHC) needs assessment for {{ child.full_name }}.

## What happens next

We are now considering whether an EHC needs assessment is needed. We will look at the information we have been sent, and we may ask {{ child.given_name }}'s school or setting and the professionals who know {{ child.given_name }} for more.

We must tell you our decision within 6 weeks of receiving the request, by {{ decide_by|date:"j F Y" }}.

## Your right to give your views

You have the right to tell us your views, in writing or by talking to us, and to send us any evidence you think we should see, such as reports from professionals. Please do this as soon as you can, so that we can take it into account before we decide.

## If we decide not to assess

We will explain why, tell you what support is available without an EHC plan, and tell you how to appeal if you disagree.""" + _CONTACT

DECISION_TO_ASSESS = """Dear {{ requester_name }},

We have considered the request for an education, health and care (EHC) needs assessment for {{ child.full_name }}, received on {{ request_date|date:"j F Y" }}.

On {{ decision_date|date:"j F Y" }} we decided to carry out an EHC needs assessment.
{% if reasons %}
## Why we made this decision

{{ reasons }}
{% endif %}
## What the assessment involves

An EHC needs assessment finds out what {{ child.given_name }}'s special educational needs are, and what support {{ child.given_name }} needs to achieve the outcomes that matter to {{ child.given_name }} and to you. We will ask for advice and information from:

- you, and {{ child.given_name }}
- {{ child.given_name }}'s school, college or early years setting
- an educational psychologist
- health professionals, such as {{ child.given_name }}'s doctor or therapists
- social care
- anyone else whose advice we need, such as a specialist teacher for hearing or vision

The professionals we ask have 6 weeks to send us their advice.

## Your right to give your own advice

You have the right to give us your own advice and information, and {{ child.given_name }}'s views, wishes and feelings. You can send us reports from anyone who knows {{ child.given_name }}, and you can ask us to seek advice from a particular person: we must consider any reasonable request. We will talk to you during the assessment and take your views, and {{ child.given_name }}'s, into account.

## What happens next

If we decide to issue an EHC plan, we will first send you a draft. You will have 15 days to comment on it and to ask for a particular school or college to be named. We must send you the final plan within 20 weeks of receiving the request, by {{ final_plan_by|date:"j F Y" }}.

If, after the assessment, we decide not to issue an EHC plan, we will tell you why and how to appeal.""" + _CONTACT

DRAFT_PLAN = """Dear {{ requester_name }},

With this letter is the draft education, health and care (EHC) plan for {{ child.full_name }}, sent on {{ issued_on|date:"j F Y" }}. It is a draft: nothing in it is final until you have had your say.

## Your 15 days to comment

You have 15 days, beginning with the day we sent the draft, to tell us what you think of it. The last day is {{ comment_by|date:"l j F Y" }}. You can comment on any section, in writing, online or by talking to us.

## Your right to ask for a particular school or college

You have the right to ask for a particular school, college or other institution to be named in section I of the plan, by {{ comment_by|date:"j F Y" }}. You can ask for:

- a maintained school or maintained nursery school (mainstream or special)
- an academy or free school (mainstream or special)
- a further education or sixth form college
- a non-maintained special school
- an independent school or specialist post-16 institution approved under section 41 of the Children and Families Act 2014

We must consult the school or college you ask for, and name it unless it would be unsuitable for {{ child.given_name }}'s age, ability, aptitude or special educational needs, or {{ child.given_name }} going there would affect the efficient education of other children or would not be an efficient use of resources. Information about the schools and colleges available is in {{ local_authority }}'s local offer.

You can also tell us about a school or college that is not one of these kinds, such as another independent school. We must consider it, but we do not have to name it.

## Your right to a meeting

You can ask us to arrange a meeting with an officer of the council to talk about the draft plan. Ask within the 15 days.

## What happens next

When we have considered your comments, we will send you the final plan. We must do this within 20 weeks of receiving the request for the assessment, by {{ final_plan_by|date:"j F Y" }}. We will not send the final plan before your 15 days have ended unless you tell us you are happy for us to do so.

When you receive the final plan, you will be able to appeal against what it says, and against the school or college it names or does not name.""" + _CONTACT

FINAL_PLAN = """Dear {{ requester_name }},

With this letter is the final education, health and care (EHC) plan for {{ child.full_name }}, issued on {{ issued_on|date:"j F Y" }}.

## What happens next

The school, college or other institution named in section I must admit {{ child.given_name }}, and we must make sure that the special educational provision in section F is made. The health provision in section G must be arranged by the health service.

The plan will be reviewed at a meeting at least once a year. The first review must be held by {{ review_by|date:"j F Y" }}. You will be invited to the meeting and asked for your views and {{ child.given_name }}'s.""" + _PLAN_APPEAL_RIGHTS + _CONTACT

AMENDMENT_NOTICE = """Dear {{ requester_name }},

After the annual review of {{ child.full_name }}'s education, health and care (EHC) plan, we decided to amend the plan. With this letter, sent on {{ issued_on|date:"j F Y" }}, are the changes we propose, with the plan as it is now.

## Your 15 days to comment

You have 15 days, beginning with the day we sent this notice, to tell us what you think of the proposed changes. The last day is {{ comment_by|date:"l j F Y" }}.

## Your right to ask for a particular school or college

You have the right to ask for a particular school, college or other institution to be named in the plan, by {{ comment_by|date:"j F Y" }}. We must consult it, and name it unless it would be unsuitable for {{ child.given_name }}, or {{ child.given_name }} going there would affect the efficient education of other children or would not be an efficient use of resources. Information about the schools and colleges available is in {{ local_authority }}'s local offer.

## Your right to a meeting

You can ask us to arrange a meeting with an officer of the council to talk about the proposed changes. Ask within the 15 days.

## What happens next

If we decide to go ahead with the changes, we must send you the amended plan within 8 weeks of sending you this notice, by {{ amended_plan_by|date:"j F Y" }}. If we decide not to make the changes, we will tell you why.

When you receive the amended plan, you will be able to appeal against what it says, and against the school or college it names.""" + _CONTACT

AMENDED_PLAN = """Dear {{ requester_name }},

With this letter is {{ child.full_name }}'s amended education, health and care (EHC) plan, issued on {{ issued_on|date:"j F Y" }}. It replaces the plan as it was before the annual review.

## What happens next

The school, college or other institution named in section I must admit {{ child.given_name }}, and we must make sure that the special educational provision in section F is made.

The plan will be reviewed again at a meeting at least once a year. The next review must be held by {{ review_by|date:"j F Y" }}.""" + _PLAN_APPEAL_RIGHTS + _CONTACT

REVIEW_INVITATION = """Dear {{ requester_name }},

You are invited to the annual review meeting of {{ child.full_name }}'s education, health and care (EHC) plan on {{ meeting_date|date:"l j F Y" }}{% if setting %}, held by {{ setting }}{% endif %}.

We must give you at least 2 weeks' notice of the meeting. The people who work with {{ child.given_name }} are invited too.

## Before the meeting

Please tell us what you think about how the plan is working, and what you and {{ child.given_name }} hope for. {{ child.given_name }}'s own views are important: they can write them, draw them, record them or tell someone. You can send your views online or tell your caseworker. The advice and information sent for the review will be shared with everyone invited at least 2 weeks before the meeting.

Please tell us whether you can come. If the date is difficult for you, contact us as soon as you can.

## What happens next

Within 2 weeks of the meeting, a report of the meeting will be sent to you and to everyone invited. Within 4 weeks of the meeting, we must tell you whether we will keep the plan as it is, change it, or stop it. We will write to you with the reasons and, where you can, how to appeal.""" + _CONTACT

DEFAULTS.update({
    "request-acknowledgement": ("We have received the request for an EHC needs assessment", REQUEST_ACKNOWLEDGEMENT),
    "decision-to-assess": ("Our decision to carry out an EHC needs assessment", DECISION_TO_ASSESS),
    "draft-plan": ("The draft EHC plan: your 15 days to comment", DRAFT_PLAN),
    "final-plan": ("The final EHC plan and your right to appeal", FINAL_PLAN),
    "amendment-notice": ("Proposed changes to the EHC plan: your 15 days to comment", AMENDMENT_NOTICE),
    "amended-plan": ("The amended EHC plan and your right to appeal", AMENDED_PLAN),
    "review-invitation": ("Invitation to the annual review meeting", REVIEW_INVITATION),
})
