"""Write a letter from the council's template, keep it as sent, and print it as an accessible PDF."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from sendhub.core.pdf import render_pdf

from . import sandbox
from .defaults import DEFAULTS
from .presenters import KINDS
from .models import Letter, LetterTemplate


def template_for(key: str) -> LetterTemplate:
    """The council's edited template, or the shipped default the first time it is needed."""
    title, body = DEFAULTS[key]
    template, _ = LetterTemplate.objects.get_or_create(key=key, defaults={"title": title, "body": body})
    return template


def to_html(text: str) -> str:
    """Blank lines make paragraphs, '## ' makes a heading and lines that all start '- ' make a bulleted
    list; everything is escaped exactly once."""
    blocks = []
    for block in [b.strip() for b in escape(text).split("\n\n") if b.strip()]:
        lines = block.split("\n")
        if block.startswith("## "):
            blocks.append(f'<h2 class="govuk-heading-m">{block[3:]}</h2>')
        elif all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{line[2:]}</li>" for line in lines)
            blocks.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
        else:
            blocks.append(f'<p class="govuk-body">{block.replace(chr(10), "<br>")}</p>')
    return "\n".join(blocks)


def write_letter(*, key: str, child, context: dict, actor, assessment=None, review=None, version=None,
                 send: bool = True, request=None) -> Letter:
    """Write the letter of kind `key` from the council's template, keep it, and send it to the family.

    `context` holds the facts the caller knows (dates, reasons, the local authority); the kind's presenter
    turns them and the child into plain values, and only those reach the sandboxed template.

    Sending: every letter goes at once to each parent or carer entitled and to the young person, each by
    their own route (messaging.deliveries.deliver), so a new kind of letter is delivered without more code.
    A plan version's covering letter (written with `version=`) is not sent here: `plans.services.issue_version`
    passes it to `distribute(version, letter)`, which sends both as one pack. `send=False` keeps any other
    letter unsent (nothing then says it was sent).
    """
    template = template_for(key)
    text = sandbox.render(key, template.body, KINDS[key].present(child, context))
    with transaction.atomic():
        letter = Letter.objects.create(child=child, assessment=assessment, review=review, version=version,
                                       template_key=key, title=template.title, body_html=to_html(text),
                                       created_by=actor)
        if send and version is None:  # a plan version's covering letter goes with it, in distribute()
            from sendhub.messaging.deliveries import deliver

            # messaging.moments tells each person about the step and links the letter: no second message here
            deliver(child=child, letter=letter, actor=actor, request=request, tell=False)
        return letter


def letter_pdf(letter: Letter) -> bytes:
    return render_pdf("letters/print.html", {"letter": letter, "partnership_name": settings.PARTNERSHIP_NAME})


# -- The letter for each statutory step (issue 14) ----------------------------------------------------
# Each function below is called by the service that records its step, inside that step's transaction,
# so a step is never recorded without its letter. Every date comes from the statutory clock, from
# portal.family.comment_last_day (the family's 15 days, as every page shows them) or from `appeal_dates`.

# Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008 rule 20 and CFA 2014 s.55: 2 months from the
# notice of the decision, or 1 month from a mediation certificate, whichever is later.
APPEAL_MONTHS = 2


def appeal_dates(letter_date: date) -> dict[str, date]:
    """The last days to contact a mediation adviser and to appeal, from the date of the letter."""
    from sendhub.clock.timescales import add_months

    last = add_months(letter_date, APPEAL_MONTHS)
    return {"mediation_by": last, "appeal_by": last}


YOUNG_PERSON_FROM_YEAR = 12  # over compulsory school age (CFA 2014 s.83(2)): the rights are the young person's


def family_addressee(child) -> str:
    """Who a letter to the family is addressed to: a young person over compulsory school age themselves,
    otherwise everyone with parental responsibility, by name."""
    if child.year_group() >= YOUNG_PERSON_FROM_YEAR:
        return child.full_name
    parents = [m.full_name for m in child.family_members.all() if m.parental_responsibility]
    return " and ".join(parents) if parents else "parent or carer"


def clock_due(case, key: str, as_of: date | None = None) -> date | None:
    """The statutory clock's due date for one deadline on an assessment or review round, or None."""
    from sendhub.clock import timescales as clock
    from sendhub.clock.cases import clock_case

    as_of = as_of or timezone.localdate()
    return next((d.due for d in clock.compute_deadlines(clock_case(case), as_of, explain=False) if d.key == key), None)


def _facts(child, **facts) -> dict:
    return {"requester_name": family_addressee(child), "letter_date": timezone.localdate(),
            "local_authority": child.local_authority, **facts}


def acknowledgement(*, assessment, actor) -> Letter:
    """The family's letter when a request for an assessment is received: the decision is due in 6 weeks."""
    from sendhub.assessments.models import Requester

    child = assessment.child
    asker = assessment.requested_by_user
    if assessment.requested_by in {Requester.PARENT, Requester.YOUNG_PERSON}:
        requested_by = "you"
    elif asker is not None:
        requested_by = f"{asker.full_name}{f' at {asker.organisation}' if asker.organisation_id else ''}"
    else:
        requested_by = assessment.get_requested_by_display().lower()
    return write_letter(key="request-acknowledgement", child=child, actor=actor, assessment=assessment, context=_facts(
        child, request_date=assessment.request_received_on, requested_by=requested_by,
        decide_by=clock_due(assessment, "decision_whether_to_assess")))


DECISION_LETTERS = {
    "decision_to_assess": "decision-to-assess",
    "decision_not_to_assess": "decision-not-to-assess",
    "decision_not_to_issue_plan": "decision-not-to-issue-plan",
}


def decision_letter(*, assessment, decision: str, reasons: str, decided_on: date, actor) -> Letter | None:
    """The family's letter for a decision on an assessment; the decision to issue a plan has none of its
    own (the draft plan's covering letter follows it)."""
    from sendhub.accounts.models import Role

    key = DECISION_LETTERS.get(decision)
    if key is None:
        return None
    child = assessment.child
    asker = assessment.requested_by_user
    requester = asker.full_name if asker and asker.role in {Role.FAMILY, Role.YOUNG_PERSON} else None
    facts = _facts(child, request_date=assessment.request_received_on, decision_date=decided_on,
                   reasons=(reasons or "").strip())
    facts["requester_name"] = requester or facts["requester_name"]
    if key == "decision-to-assess":
        facts["final_plan_by"] = clock_due(assessment, "final_plan")
    else:
        facts.update(appeal_dates(facts["letter_date"]))
    return write_letter(key=key, child=child, actor=actor, assessment=assessment, context=facts)


PLAN_LETTERS = {"draft": "draft-plan", "final": "final-plan", "proposed": "amendment-notice",
                "amended": "amended-plan"}


def _next_review_due(child) -> date | None:
    from sendhub.reviews.models import AnnualReview

    review = (AnnualReview.objects.filter(plan__child=child, plan__status="active", closed_on__isnull=True)
              .select_related("plan__child").order_by("-pk").first())
    return clock_due(review, "annual_review") if review else None


def covering_letter(*, version, actor) -> Letter:
    """The covering letter for an issued plan version: the draft's and the proposed amendments' 15 days
    and the right to ask for a school; the final and amended plans' appeal rights and time limits."""
    from sendhub.portal.family import comment_last_day

    child = version.child
    facts = _facts(child, issued_on=version.issued_on, version_number=version.number)
    if version.kind == "draft":
        facts.update(comment_by=comment_last_day(version), final_plan_by=clock_due(version.assessment, "final_plan"))
    elif version.kind == "proposed":
        facts.update(comment_by=comment_last_day(version), amended_plan_by=clock_due(version.review, "amended_plan"))
    else:
        facts.update(appeal_dates(facts["letter_date"]), review_by=_next_review_due(child))
    return write_letter(key=PLAN_LETTERS[version.kind], child=child, actor=actor, assessment=version.assessment,
                        review=version.review, version=version, context=facts)


def review_invitation(*, review, actor) -> Letter:
    """The family's invitation to the annual review meeting (reg 20: at least 2 weeks' notice)."""
    child = review.plan.child
    return write_letter(key="review-invitation", child=child, actor=actor, review=review, context=_facts(
        child, meeting_date=review.meeting_on, setting=child.setting.name if child.setting_id else ""))
