"""Reminders before statutory deadlines fall due, to the person who has to act.

- the caseworker (an active caseworker involvement) for every open deadline of the case;
- the professional whose advice is due (involvements whose role gives that kind of advice, and the
  SENCO for education advice);
- the SENCO of the child's setting when the annual review report is due, when the meeting needs a date
  (six weeks before the review is due) and when the invitations must go (2 weeks before the meeting).
"""

from datetime import date

from django.db import transaction

from sendhub.accounts.models import Role, User
from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.people.models import Child, Involvement, InvolvementRole

from sendhub.messaging.services import notify

from .models import Reminder
from .selectors import deadline_queue

ADVICE_ROLES = {
    "health": {InvolvementRole.DESIGNATED_CLINICAL_OFFICER, InvolvementRole.PAEDIATRICIAN,
               InvolvementRole.SPEECH_LANGUAGE_THERAPIST, InvolvementRole.OCCUPATIONAL_THERAPIST,
               InvolvementRole.PHYSIOTHERAPIST, InvolvementRole.CAMHS},
    "social_care": {InvolvementRole.SOCIAL_WORKER},
    "educational_psychology": {InvolvementRole.EDUCATIONAL_PSYCHOLOGIST},
    "education": {InvolvementRole.SPECIALIST_TEACHER},
    "other": set(),
}


def _recipients(key: str, child: Child, involvements: list[Involvement], sencos: dict[int, list[User]],
                asked: dict[str, list[User]]) -> list[User]:
    people = [i.professional for i in involvements if i.role == InvolvementRole.CASEWORKER and i.professional]
    if key.startswith("advice:"):
        source = key.split(":", 1)[1]
        if asked.get(source):
            # The people the advice was asked of, while they can still see the child: a reminder names the
            # child, so someone whose involvement has ended (and who no longer sees the record) is not chased.
            involved = {i.professional_id for i in involvements if i.professional_id}
            involved |= {m.pk for i in involvements if i.team_id for m in i.team.members.all()}
            involved |= {s.pk for s in sencos.get(child.setting_id, [])}
            people += [p for p in asked[source] if p.pk in involved]
        else:
            people += [i.professional for i in involvements
                       if i.role in ADVICE_ROLES.get(source, set()) and i.professional]
            if source == "education":
                people += sencos.get(child.setting_id, [])
    if key == "review_report":
        people += sencos.get(child.setting_id, [])
    unique = {p.pk: p for p in people if p.is_active}
    return list(unique.values())


def plan_reminders(*, as_of: date, within_days: int) -> list[Reminder]:
    """Unsaved reminders for every open deadline due within `within_days` of `as_of` (not yet overdue)."""
    rows = deadline_queue(Child.objects.all(), as_of=as_of)
    child_ids = {row.child.pk for row in rows}
    involvements: dict[int, list[Involvement]] = {}
    for involvement in (Involvement.objects.active(as_of).filter(child_id__in=child_ids)
                        .select_related("professional", "team").prefetch_related("team__members")):
        involvements.setdefault(involvement.child_id, []).append(involvement)
    sencos: dict[int, list[User]] = {}
    for senco in User.objects.filter(role=Role.SENCO, is_active=True, organisation__isnull=False):
        sencos.setdefault(senco.organisation_id, []).append(senco)
    asked_of = _advice_asked_of(rows)
    week = "{}-W{:02d}".format(*as_of.isocalendar()[:2])
    reminders = []
    for row in rows:
        for item in row.open_deadlines:
            deadline = item.deadline
            days = (deadline.due - as_of).days
            if deadline.status == "due" and days <= within_days:
                key = deadline.key
                when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
                message = (f"{item.label} for {row.child.full_name} is due {when}, on {deadline.due:%-d %B %Y} "
                           f"({deadline.rule}). {deadline.explanation}").strip()
            elif deadline.status == "overdue" and deadline.key.startswith("advice:"):
                key = f"chase:{deadline.key}:{week}"  # overdue advice is chased once a week
                message = (f"{item.label} for {row.child.full_name} was due on {deadline.due:%-d %B %Y} and has not "
                           f"been received ({deadline.rule}). Please send it now.")
            else:
                continue
            asked = asked_of.get(row.case.pk, {}) if isinstance(row.case, EHCNeedsAssessment) else {}
            for person in _recipients(deadline.key, row.child, involvements.get(row.child.pk, []), sencos, asked):
                reminders.append(Reminder(
                    recipient=person, child=row.child, deadline_key=key, due=deadline.due, message=message,
                    assessment=row.case if isinstance(row.case, EHCNeedsAssessment) else None,
                    review=None if isinstance(row.case, EHCNeedsAssessment) else row.case,
                ))
    reminders += _school_steps(rows, sencos, as_of=as_of, within_days=within_days)
    return reminders


SCHEDULE_AHEAD_DAYS = 42  # ask the school for a meeting date six weeks before the review is due


def _school_steps(rows, sencos: dict[int, list[User]], *, as_of: date, within_days: int) -> list[Reminder]:
    """The SENCO's own steps before the meeting: set its date, then invite everyone 2 weeks ahead (reg 20(4))."""
    from datetime import timedelta

    from sendhub.reviews.models import ReviewInvitation

    reviews = [row for row in rows if row.kind == "review" and row.child.setting_id in sencos
               and not any(e.type == "review_meeting" for e in row.case.events.all())]
    invited = set(ReviewInvitation.objects.filter(review_id__in=[r.case.pk for r in reviews])
                  .values_list("review_id", "meeting_on"))
    out = []
    for row in reviews:
        review = row.case
        meeting = next((d for d in row.deadlines if d.deadline.key in {"annual_review", "early_years_review"}
                        and d.is_open), None)
        if review.meeting_on is None and meeting is not None and (meeting.deadline.due - as_of).days <= SCHEDULE_AHEAD_DAYS:
            key, due = "school:schedule", meeting.deadline.due
            message = (f"Set the date of {row.child.full_name}'s annual review meeting: it must be held by "
                       f"{due:%-d %B %Y}, and the invitations must go 2 weeks before it.")
        elif review.meeting_on is not None and (review.pk, review.meeting_on) not in invited:
            due = review.meeting_on - timedelta(days=14)
            if not 0 <= (due - as_of).days <= within_days:
                continue
            key = "school:invite"
            message = (f"Send the invitations for {row.child.full_name}'s annual review meeting on "
                       f"{review.meeting_on:%-d %B %Y} by {due:%-d %B %Y}, at least 2 weeks before (SEND Regs 2014 "
                       "reg 20(4)).")
        else:
            continue
        for senco in sencos[row.child.setting_id]:
            out.append(Reminder(recipient=senco, child=row.child, deadline_key=key, due=due, message=message,
                                review=review))
    return out


def raise_reminders(*, as_of: date, within_days: int) -> list[int]:
    """Save the reminders not raised before and return their ids; running twice a day raises nothing new."""
    planned = plan_reminders(as_of=as_of, within_days=within_days)
    with transaction.atomic():
        existing = set(Reminder.objects.filter(deadline_key__in={r.deadline_key for r in planned},
                                               due__in={r.due for r in planned}).values_list(
            "recipient_id", "assessment_id", "review_id", "deadline_key", "due"))
        new = [r for r in planned
               if (r.recipient_id, r.assessment_id, r.review_id, r.deadline_key, r.due) not in existing]
        Reminder.objects.bulk_create(new, batch_size=1000)
        for reminder in new:
            case = (f"/assessments/{reminder.assessment_id}/" if reminder.assessment_id else
                    f"/reviews/{reminder.review_id}/annual-review/" if reminder.deadline_key.startswith("school:")
                    else f"/reviews/{reminder.review_id}/")
            notify(recipients=[reminder.recipient], child=reminder.child, link=case,
                   subject=f"{'Overdue' if reminder.deadline_key.startswith('chase:') else 'Due'}: "
                           f"{reminder.due:%-d %B %Y}",
                   body=reminder.message,
                   email_body="A statutory deadline is due for a child or young person you work with.")
    return [r.pk for r in new]


def _advice_asked_of(rows) -> dict[int, dict[str, list[User]]]:
    """For each assessment in the queue: who has open advice requests, by source (teams expanded)."""
    from sendhub.assessments.models import AdviceRequest

    ids = [row.case.pk for row in rows if isinstance(row.case, EHCNeedsAssessment)]
    result: dict[int, dict[str, list[User]]] = {}
    for advice in (AdviceRequest.objects.filter(assessment_id__in=ids, given_on__isnull=True)
                   .select_related("asked_of").prefetch_related("asked_of_team__members")):
        people = [advice.asked_of] if advice.asked_of else list(advice.asked_of_team.members.all())
        result.setdefault(advice.assessment_id, {}).setdefault(advice.source, []).extend(people)
    return result
