"""Who is told what at each moment of a case: the one place that decides it (docs/communications.md,
"Who is told what").

Each service calls one function here inside its own transaction, so a message exists only if what it
reports was saved (`notify` queues the emails once the transaction commits).

The rules every message follows:

- **Only those allowed to know are told.** Everyone is checked against the same rule as the child's
  record (`children_visible_to`): a parent a young person of 16 or over has shut out, or a professional
  whose involvement has ended, is not told.
- **The in-app message names the child** in its first words ("Mark Archer: …") and `Notification.child`
  records who it is about. The subject and the email never name the child (the subject is emailed too).
- **Family messages say who to contact** (`portal.family.contact_for`): the caseworker by name, or the
  SEND team with its telephone and email.
- **Dates come from the statutory clock** (`clock.compute_deadlines`), never counted here.
- **"The council" is the allocated caseworker, or the SEND team when none is allocated** (`case_holders`):
  the members of the team named on the child's caseworker involvement; failing that the council's SEND
  team managers (who allocate new work); failing that every caseworker of the council. So nothing sent
  to "the council" lands nowhere, and a family is told truthfully who received it.
"""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone

from sendhub.accounts.models import Role, User

from .services import notify

COUNCIL_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER}
FAMILY_ROLES = {Role.FAMILY, Role.YOUNG_PERSON}


# -- Who -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Holders:
    """The people who hold a child's case at the council, and how a family is told who they are."""

    people: list
    named: bool  # True: the allocated caseworker(s); False: the SEND team

    @property
    def description(self) -> str:
        if self.named:
            names = " and ".join(p.full_name for p in self.people)
            return f"{names}, your caseworker" if len(self.people) == 1 else f"{names}, your caseworkers"
        return "the SEND team"


def _active(queryset) -> list:
    return list(queryset.filter(is_active=True).distinct().order_by("full_name", "pk"))


def send_team(child) -> list:
    """The council's SEND team for this child (see the module's docstring for the order)."""
    from sendhub.people.models import Involvement, InvolvementRole

    council = User.objects.filter(organisation_id=child.local_authority_id, role__in=COUNCIL_ROLES)
    teams = (Involvement.objects.active().filter(child=child, role=InvolvementRole.CASEWORKER, team__isnull=False)
             .values("team"))
    return (_active(council.filter(teams__in=teams)) or _active(council.filter(role=Role.TEAM_MANAGER))
            or _active(council.filter(role=Role.CASEWORKER)))


def case_holders(child) -> Holders:
    """The allocated caseworker(s) (active caseworker involvements naming an active person), else the team."""
    from sendhub.people.models import Involvement, InvolvementRole

    ids = (Involvement.objects.active().filter(child=child, role=InvolvementRole.CASEWORKER,
                                               professional__isnull=False).values("professional"))
    allocated = _active(User.objects.filter(pk__in=ids))
    return Holders(allocated, True) if allocated else Holders(send_team(child), False)


def family_of(child) -> list:
    """The family's and the young person's accounts (who may see the child is checked when telling)."""
    people = [m.user for m in child.family_members.select_related("user") if m.user_id]
    if child.account_id:
        people.append(child.account)
    return people


def school_of(child) -> list:
    """The SENCOs of the child's school or setting."""
    if not child.setting_id:
        return []
    return _active(User.objects.filter(role=Role.SENCO, organisation_id=child.setting_id))


def may_know(people, child) -> list:
    """Those of `people` who may see the child's record now, each once, in the order given."""
    from sendhub.people.selectors import children_visible_to

    seen, out = set(), []
    for person in people:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        if children_visible_to(person).filter(pk=child.pk).exists():
            out.append(person)
    return out


# -- How ------------------------------------------------------------------------------------------------

def _day(day: date | None) -> str:
    """A date as every family-facing page writes it: 'Tuesday 15 December 2026'."""
    from sendhub.portal.family import long_day

    return long_day(day) if day else ""


def contact_line(child) -> str:
    """Who the family contacts, as every family message ends."""
    from sendhub.portal.family import contact_for

    contact = contact_for(child)
    ways = [f"telephone {contact.telephone}" if contact.telephone else "",
            f"email {contact.email}" if contact.email else ""]
    ways = [w for w in ways if w]
    return f"Who to contact: {contact.who}" + (f" ({', '.join(ways)})." if ways else ".")


def _tell(people, *, child, subject: str, text: str, email: str, link: str, family: bool = False,
          exclude=()) -> list:
    """Tell each person allowed to know: the in-app message names the child, the email does not."""
    skip = {p.pk for p in exclude if p is not None}
    people = [p for p in may_know(people, child) if p.pk not in skip]
    if not people:
        return []
    contact = f" {contact_line(child)}" if family else ""
    return notify(recipients=people, child=child, subject=subject, link=link,
                  body=f"{child.full_name}: {text}{contact}", email_body=f"{email}{contact}")


def _tracker(child) -> str:
    return reverse("portal:tracker", kwargs={"child_pk": child.pk})


def _case(assessment) -> str:
    return reverse("clock:assessment", kwargs={"pk": assessment.pk})


def _split(people) -> tuple[list, list]:
    """Family and young person accounts, then everyone else."""
    people = [p for p in people if p is not None]
    return [p for p in people if p.role in FAMILY_ROLES], [p for p in people if p.role not in FAMILY_ROLES]


def due(case, key: str, *, start: date | None = None) -> date | None:
    """The clock's due date for `key` on an assessment or review, read afresh (events just recorded count)."""
    from sendhub.clock import timescales as clock
    from sendhub.clock.cases import clock_case

    fresh = type(case).objects.get(pk=case.pk)
    as_of = max(timezone.localdate(), start or date.min)
    return next((d.due for d in clock.compute_deadlines(clock_case(fresh), as_of)
                 if d.key == key and (start is None or d.start == start)), None)


def _requester(assessment):
    user = assessment.requested_by_user
    return user if user is not None and user.role not in COUNCIL_ROLES else None


WHO_ASKED = {"parent": "The child's parent or carer", "young_person": "The young person",
             "school": "The child's school", "professional": "A professional working with the child"}


def _who_asked(assessment) -> str:
    user = _requester(assessment)
    if user is None:
        return WHO_ASKED.get(assessment.requested_by, "Someone")
    if user.role in FAMILY_ROLES:
        return user.full_name
    where = f", {user.organisation.name}" if user.organisation_id else ""
    return f"{user.full_name} ({user.job_title or user.get_role_display()}{where})"


# -- The moments ----------------------------------------------------------------------------------------

def request_received(*, assessment, actor) -> list:
    """A request for an EHC needs assessment: the council is told and must decide within 6 weeks; the
    requester and the family get an acknowledgement; the school is told the council is considering an
    assessment (SEND Regulations 2014 reg 4(1))."""
    child = assessment.child
    by = due(assessment, "decision_whether_to_assess")
    on = _day(assessment.request_received_on)
    requester = _requester(assessment)
    holders = case_holders(child)
    sent = _tell(holders.people, child=child, subject="New request for an EHC needs assessment",
                 text=f"{_who_asked(assessment)} asked for an EHC needs assessment on {on}. "
                      f"Decide whether to assess by {_day(by)} (within 6 weeks)."
                      + ("" if holders.named else " No caseworker is allocated yet."),
                 email="A new request for an EHC needs assessment has arrived. "
                       f"The decision whether to assess is due by {_day(by)}.",
                 link=_case(assessment), exclude=[actor])
    next_step = (f"The council must decide whether to carry out an assessment by {_day(by)}, "
                 "and will tell you, the family and the school.")
    if requester is not None:
        sent += _tell([requester], child=child, subject="Your request for an EHC needs assessment has been received",
                      text=f"the council received your request for an EHC needs assessment on {on}. {next_step}",
                      email=f"The council received your request for an EHC needs assessment on {on}. "
                            f"It must decide whether to assess by {_day(by)}.",
                      link=_tracker(child) if requester.role in FAMILY_ROLES else _case(assessment),
                      family=requester.role in FAMILY_ROLES)
    family_text = (f"{_who_asked(assessment)} asked the council for an EHC needs assessment on {on}. The council "
                   f"must decide whether to carry out an assessment by {_day(by)} and will write to you.")
    sent += _tell(family_of(child), child=child, subject="A request for an EHC needs assessment", text=family_text,
                  email="The council has received a request for an EHC needs assessment for your child. It must "
                        f"decide whether to assess by {_day(by)}.",
                  link=_tracker(child), family=True, exclude=[requester])
    sent += _tell(school_of(child), child=child, subject="A request for an EHC needs assessment for a pupil",
                  text=f"{_who_asked(assessment)} asked the council for an EHC needs assessment on {on}. The council "
                       f"is considering it and must decide by {_day(by)}: it may ask the school for information.",
                  email="The council is considering a request for an EHC needs assessment for a pupil. "
                        f"It must decide by {_day(by)}.",
                  link=_case(assessment), exclude=[requester])
    return sent


ON_ASSESSING = "Decision on the request for an EHC needs assessment"
ON_ISSUING = "Decision on whether to issue an EHC plan"
DECISION_WORDS = {  # the subject is emailed, so it says a decision was made, not what it was
    "decision_to_assess": (ON_ASSESSING,
                           "the council has decided to carry out an EHC needs assessment. It will ask for advice "
                           "from the family, the school and the professionals who know the child. If a plan is "
                           "needed, the final EHC plan must be issued by {final}."),
    "decision_not_to_assess": (ON_ASSESSING,
                               "the council has decided not to carry out an EHC needs assessment. The decision "
                               "letter gives the reasons, the right to appeal and how to ask for mediation."),
    "decision_to_issue_plan": (ON_ISSUING,
                               "after the assessment the council has decided to issue an EHC plan. It will send a "
                               "draft plan for comments first; the final plan must be issued by {final}."),
    "decision_not_to_issue_plan": (ON_ISSUING,
                                   "after the assessment the council has decided not to issue an EHC plan. The "
                                   "decision letter gives the reasons, the right to appeal and how to ask for "
                                   "mediation."),
}


def decision_made(*, assessment, decision: str, actor, letter=None) -> list:
    """A decision whether to assess or whether to issue a plan: the family, the requester and the school."""
    child = assessment.child
    subject, words = DECISION_WORDS[decision]
    text = words.format(final=_day(due(assessment, "final_plan")))
    email = f"{subject}: the council has made its decision. Sign in to read it."
    family, others = _split([*family_of(child), _requester(assessment)])
    sent = _tell(family, child=child, subject=subject, text=text, email=email, family=True, exclude=[actor],
                 link=reverse("letters:letter", kwargs={"pk": letter.pk}) if letter else _tracker(child))
    sent += _tell([*others, *school_of(child)], child=child, subject=subject, text=text, email=email,
                  link=_case(assessment), exclude=[actor])
    return sent


def advice_asked(*, advice, actor) -> list:
    """Advice asked of a professional (or every member of a team), with its due date from the clock."""
    from sendhub.clock.cases import SOURCE_LABELS

    child = advice.assessment.child
    by = due(advice.assessment, f"advice:{advice.source}", start=advice.requested_on)
    people = [advice.asked_of] if advice.asked_of_id else list(advice.asked_of_team.members.all())
    kind = SOURCE_LABELS.get(advice.source, "Other").lower()
    return _tell(people, child=child, subject="Advice asked of you for an EHC needs assessment",
                 text=f"{actor.full_name} asked for your {kind} advice for an EHC needs assessment. Please send it by "
                      f"{_day(by)} (within 6 weeks of being asked). {advice.message}",
                 email=f"The council has asked for your {kind} advice for an EHC needs assessment, due by {_day(by)}.",
                 link=reverse("assessments:give-advice", kwargs={"pk": advice.pk}), exclude=[actor])


def advice_given(*, advice, actor) -> list:
    """Advice received: the caseworker (or the team when none is allocated) can use it in the draft."""
    from sendhub.clock.cases import SOURCE_LABELS

    child = advice.assessment.child
    kind = SOURCE_LABELS.get(advice.source, "Other").lower()
    return _tell(case_holders(child).people, child=child, subject="Advice received for an EHC needs assessment",
                 text=f"{actor.full_name} sent their {kind} advice for the assessment.",
                 email=f"{kind.capitalize()} advice for an EHC needs assessment has been received.",
                 link=_case(advice.assessment), exclude=[actor])


def family_responded(*, response, actor) -> str:
    """A family's comment on a draft (or proposed amendments), or their request for a school: the
    caseworker, or the SEND team when none is allocated.

    Returns who was told, as the family's confirmation says it ("Priya Caseworker, your caseworker", "the
    SEND team"), or "" when nobody could be told (the family is then not told it was sent)."""
    version = response.version
    child = version.child
    draft = version.get_kind_display().lower()
    if hasattr(response, "section"):
        subject = f"A comment from the family on the {draft}"
        part = f"section {response.section}" if response.section else "the whole plan"
        text = f"{actor.full_name} commented on {part} of the {draft} (version {version.number})."
    else:
        subject = f"The family asked for a school or college in the {draft}"
        text = (f"{actor.full_name} asked for {response.school or response.school_name} to be named in the plan "
                f"(the {draft}, version {version.number}).")
    holders = case_holders(child)
    sent = _tell(holders.people, child=child, subject=subject, text=text,
                 email=f"{subject}. Sign in to read it.",
                 link=reverse("plans:version", kwargs={"pk": version.pk}), exclude=[actor])
    if not sent:
        return ""
    return Holders([n.recipient for n in sent], True).description if holders.named else holders.description


def review_invited(*, review, people, actor) -> list:
    """Each person invited to an annual review meeting (reg 20(2)), asked to reply and send their views."""
    child = review.plan.child
    meeting = _day(review.meeting_on)
    family, others = _split(people)
    words = dict(subject="Invitation to an annual review meeting",
                 text=f"you are invited to the annual review of the EHC plan on {meeting}. Please say whether you "
                      "can come, and send your advice, information or views before the meeting.",
                 email=f"You are invited to an annual review meeting on {meeting}. Sign in to see the details, say "
                       "whether you can come and send your views.",
                 link=reverse("reviews:detail", kwargs={"pk": review.pk}))
    return (_tell(family, child=child, family=True, exclude=[actor], **words)
            + _tell(others, child=child, exclude=[actor], **words))


def invitation_answered(*, invitation, actor) -> list:
    """A reply to a review invitation: whoever sent the invitations and the caseworker (or the team)."""
    review = invitation.review
    child = review.plan.child
    coming = "can come" if invitation.attending == "yes" else "cannot come"
    meeting = _day(invitation.meeting_on)
    return _tell([invitation.sent_by, *case_holders(child).people], child=child,
                 subject=f"Reply to a review invitation: {coming}",
                 text=f"{actor.full_name} {coming} to the annual review meeting on {meeting}.",
                 email=f"Someone invited to an annual review meeting on {meeting} replied: they {coming}.",
                 link=reverse("reviews:detail", kwargs={"pk": review.pk}), exclude=[actor])


def early_review_requested(*, asked, actor) -> list:
    """A request for an early review of the plan: the caseworker, or the SEND team when none is allocated."""
    child = asked.plan.child
    return _tell(case_holders(child).people, child=child, subject="Request for an early annual review",
                 text=f"{actor.full_name} asked for an early review of the plan: {asked.reason}",
                 email="Someone has asked for an early annual review. Sign in to answer.",
                 link=reverse("reviews:priority"), exclude=[actor])


def early_review_answered(*, asked, actor, review=None) -> list:
    """The council's answer to a request for an early review: whoever asked, and the school when it agreed
    (the school arranges the meeting)."""
    child = asked.plan.child
    if asked.status == "agreed":
        text = (f"the council agreed to review the plan early: the meeting will be held by {_day(asked.review_by)}. "
                f"{asked.answer}")
    else:
        text = f"the council did not agree to an early review of the plan. {asked.answer}"
    link = (reverse("reviews:detail", kwargs={"pk": review.pk}) if review
            else reverse("web:child", kwargs={"pk": child.pk}))
    words = dict(text=text, link=link, exclude=[actor],
                 email="The council has answered the request for an early annual review. Sign in to read it.")
    asker = asked.requested_by
    sent = _tell([asker], child=child, subject="Your request for an early review", family=asker.role in FAMILY_ROLES,
                 **words)
    if asked.status == "agreed":
        sent += _tell(school_of(child), child=child, subject="An early annual review has been agreed",
                      **{**words, "exclude": [actor, asker]})
    return sent


def review_report_sent(*, review, actor) -> list:
    """The review report sent (reg 20(8)): everyone invited, with the date the council must decide by."""
    child = review.plan.child
    by = due(review, "la_review_decision")
    from sendhub.reviews.services import invitees

    family, others = _split([person for person, _ in invitees(child)])
    words = dict(subject="Annual review report sent", link=reverse("reviews:detail", kwargs={"pk": review.pk}),
                 text=f"the report of the annual review meeting has been sent to the council. The council must "
                      f"tell you its decision by {_day(by)} (within 4 weeks of the meeting).",
                 email=f"An annual review report has been sent to the council. It must decide by {_day(by)}. "
                       "Sign in to read the report.", exclude=[actor])
    return _tell(family, child=child, family=True, **words) + _tell(others, child=child, **words)


REVIEW_DECISION_WORDS = {
    "maintain": "the council has decided after the annual review to keep the EHC plan as it is.",
    "amend": "the council has decided after the annual review to change the EHC plan. It will send the proposed "
             "changes for comments first.",
    "cease": "the council has decided after the annual review to stop maintaining the EHC plan.",
}


def review_decided(*, review, outcome: str, actor, letter) -> list:
    """The council's decision after an annual review (reg 20(10)): everyone invited; the letter has the
    reasons and, where they apply, the rights of appeal."""
    from sendhub.reviews.services import invitees

    child = review.plan.child
    family, others = _split([person for person, _ in invitees(child)])
    words = dict(subject="The council's decision after the annual review",
                 text=f"{REVIEW_DECISION_WORDS[outcome]} The letter gives the reasons and what you can do if you "
                      "disagree.",
                 email="The council has made its decision after an annual review. Sign in to read the letter.",
                 link=reverse("letters:letter", kwargs={"pk": letter.pk}), exclude=[actor])
    return _tell(family, child=child, family=True, **words) + _tell(others, child=child, **words)
