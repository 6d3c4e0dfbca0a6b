"""Drafting a plan section by section, and issuing versions that never change afterwards."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change
from sendhub.clock import timescales as clock
from sendhub.clock.cases import clock_case
from sendhub.messaging import moments
from sendhub.reviews.models import AnnualReview

from .models import SECTION_CODES, PlanVersion, SectionDraft, VersionKind


class SectionConflict(Exception):
    """Someone else saved this section after it was opened."""


# Which statutory event issuing each kind of version records, and on which kind of case.
EVENT_FOR = {
    (VersionKind.DRAFT, "assessment"): "draft_plan_sent",
    (VersionKind.FINAL, "assessment"): "final_plan_issued",
    (VersionKind.PROPOSED, "review"): "amendment_notice_sent",
    (VersionKind.AMENDED, "review"): "amended_plan_issued",
}


def case_kind(case) -> str:
    return "assessment" if isinstance(case, EHCNeedsAssessment) else "review"


def _child(case):
    return case.child if isinstance(case, EHCNeedsAssessment) else case.plan.child


def drafts_for(case) -> dict[str, SectionDraft]:
    """Every section's working copy, starting from the last issued version's text."""
    field = case_kind(case)
    existing = {d.section: d for d in SectionDraft.objects.filter(**{field: case})}
    missing = [code for code in SECTION_CODES if code not in existing]
    if missing:
        base = latest_version(_child(case))
        start = base.sections if base else {}
        SectionDraft.objects.bulk_create(
            [SectionDraft(**{field: case}, section=code, text=start.get(code, "")) for code in missing],
            ignore_conflicts=True)
        existing = {d.section: d for d in SectionDraft.objects.filter(**{field: case})}
    return existing


def latest_version(child) -> PlanVersion | None:
    return PlanVersion.objects.filter(child=child).order_by("-number").first()


def save_section(*, actor, case, section: str, text: str, expected_version: int, request=None) -> SectionDraft:
    """Save one section unless someone else saved it since `expected_version` was read."""
    if section not in SECTION_CODES:
        raise ValidationError({"section": "No such section"})
    drafts_for(case)
    field = case_kind(case)
    with transaction.atomic():
        updated = SectionDraft.objects.filter(**{field: case}, section=section, version=expected_version).update(
            text=text, version=F("version") + 1, updated_by=actor, updated_at=timezone.now())
        if not updated:
            raise SectionConflict(
                "Someone else saved this section after you opened it. Your text has not been saved: it is shown "
                "below so you can copy it, beside the section as it is now.")
        draft = SectionDraft.objects.get(**{field: case}, section=section)
        record_change(actor=actor, action=AuditAction.UPDATE, obj=draft, child=_child(case),
                      summary=f"Drafted section {section} of the plan", request=request)
        return draft


def issue_version(*, actor, case, kind: str, issued_on: date, family_agreed_early: bool = False,
                  named_setting=None, confirmed_unreachable: bool = False, request=None) -> PlanVersion:
    """Freeze the drafted sections as the next numbered version, record its statutory event, write its
    covering letter (letters.services.covering_letter: the 15 days, or the right to appeal) and send both,
    as one pack, to everyone entitled by their own routes (distribute). Refused while someone entitled has
    no way to be reached, unless `confirmed_unreachable`."""
    from sendhub.clock.services import record_event
    from sendhub.letters.services import covering_letter
    from sendhub.portal.family import last_day_from_not_before

    event = EVENT_FOR.get((kind, case_kind(case)))
    if event is None:
        raise ValidationError({"kind": "That kind of plan cannot be issued at this stage"})
    if kind == VersionKind.FINAL and not family_agreed_early:
        not_before = next((d for d in clock.compute_deadlines(clock_case(case), issued_on)
                           if d.key == "final_not_before"), None)
        if not_before is not None and issued_on < not_before.due:
            raise ValidationError(
                f"The family have until {last_day_from_not_before(not_before.due):%-d %B %Y} to comment on the draft. "
                f"The final plan can be issued from {not_before.due:%-d %B %Y}, or earlier only if the family agree.")
    if kind == VersionKind.AMENDED and not family_agreed_early:
        proposed = (PlanVersion.objects.filter(review=case, kind=VersionKind.PROPOSED).order_by("-number").first())
        if proposed is not None and issued_on < proposed.issued_on + timedelta(days=COMMENT_DAYS):
            last = proposed.issued_on + timedelta(days=COMMENT_DAYS - 1)
            raise ValidationError(
                f"The family have until {last:%-d %B %Y} to comment on the proposed amendments. The amended plan "
                f"can be issued from {last + timedelta(days=1):%-d %B %Y}, or earlier only if the family agree.")
    if named_setting is not None and named_setting.kind != "school":
        raise ValidationError({"named_setting": "Select a school, college or setting"})
    drafts = drafts_for(case)
    sections = {code: drafts[code].text for code in SECTION_CODES}
    if not any(text.strip() for text in sections.values()):
        raise ValidationError("Write the plan before issuing it: every section is empty")
    child = _child(case)
    missing = unreachable_for(child, kind=kind, named_setting=named_setting)
    if missing and not confirmed_unreachable:
        raise ValidationError({"confirmed_unreachable": "Add how to reach " + ", ".join(r.name for r in missing)
                               + ", or confirm you are issuing it knowing they will not receive it"})
    with transaction.atomic():
        record_event(actor=actor, case=case, type=event, date=issued_on,
                     family_agreed_early=family_agreed_early and kind == VersionKind.FINAL,
                     note="The family agreed to it being issued before their 15 days ended"
                     if family_agreed_early else "", request=request)
        number = (PlanVersion.objects.filter(child=child).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                version = PlanVersion.objects.create(
                    child=child, number=number, kind=kind, sections=sections, issued_on=issued_on, issued_by=actor,
                    named_setting=named_setting,
                    assessment=case if isinstance(case, EHCNeedsAssessment) else None,
                    review=case if isinstance(case, AnnualReview) else None)
        except IntegrityError as error:
            raise ValidationError("Another version was issued at the same moment: reload and try again") from error
        record_change(actor=actor, action=AuditAction.CREATE, obj=version, child=child,
                      after={"kind": kind, "number": number}, summary=f"Issued {version}", request=request)
        letter = covering_letter(version=version, actor=actor)  # every issued version has its letter, in this transaction
        from sendhub.quality.checks import check_version

        check_version(version)  # the automatic quality checks, kept with the version; they never block issuing
        distribute(version, letter, actor=actor, request=request)
        return version


def issuable_kinds(case, kind: str) -> list[tuple[str, str]]:
    """What may be issued next, from what has happened on the case."""
    happened = {e.type for e in case.events.all()}
    if kind == "assessment":
        if case.outcome != "open" or "decision_to_issue_plan" not in happened:
            return []
        if "draft_plan_sent" not in happened:
            return [(VersionKind.DRAFT, "The draft plan, to the family for their 15 days")]
        return [(VersionKind.FINAL, "The final plan")]
    decided_amend = any(e.type == "la_decision" and e.outcome == "amend" for e in case.events.all())
    if case.closed_on or not decided_amend:
        return []
    if "amendment_notice_sent" not in happened:
        return [(VersionKind.PROPOSED, "The proposed amendments, to the family for their 15 days")]
    return [(VersionKind.AMENDED, "The amended plan")]


COMMENT_DAYS = 15  # SEND Regulations 2014 reg 13(1) and 22(2): at least 15 days beginning with the day sent


def comment_window(version) -> tuple[date, date] | None:
    """The family's 15 days on a draft or on proposed amendments: first and last day, inclusive.

    The last day comes from the one place every family-facing page asks (portal.family.comment_last_day,
    from the statutory clock), so the plan page, the tracker and the home page give the same day."""
    from sendhub.portal.family import comment_last_day

    if version.kind not in {VersionKind.DRAFT, VersionKind.PROPOSED}:
        return None
    last = comment_last_day(version)
    return (version.issued_on, last) if last else None


def _check_family_window(actor, version, today: date) -> None:
    from sendhub.accounts.models import Role
    from sendhub.people.selectors import children_visible_to

    if actor.role not in {Role.FAMILY, Role.YOUNG_PERSON} or not children_visible_to(actor).filter(
            pk=version.child_id).exists():
        raise ValidationError("Only the child's family or the young person can comment on the draft")
    window = comment_window(version)
    if window is None:
        raise ValidationError("Comments are taken on a draft plan or proposed amendments only")
    if not window[0] <= today <= window[1]:
        raise ValidationError(f"The time to comment on this draft ended on {window[1]:%-d %B %Y}. "
                              "Contact your caseworker if you still want to say something.")


def comment_on_draft(*, actor, version, section: str, text: str, request=None):
    from .models import DraftComment

    _check_family_window(actor, version, timezone.localdate())
    if section and section not in SECTION_CODES:
        raise ValidationError({"section": "Select a section of the plan"})
    if not (text or "").strip():
        raise ValidationError({"text": "Enter your comment"})
    with transaction.atomic():
        comment = DraftComment.objects.create(version=version, section=section, text=text.strip(), author=actor)
        record_change(actor=actor, action=AuditAction.CREATE, obj=comment, child=version.child,
                      summary=f"Commented on section {section or 'the whole plan'} of the draft", request=request)
        comment.told = moments.family_responded(response=comment, actor=actor)  # who it went to, for the family
        return comment


def request_school(*, actor, version, school=None, school_name: str = "", reason: str = "", request=None):
    from .models import SchoolRequest

    _check_family_window(actor, version, timezone.localdate())
    if school is None and not (school_name or "").strip():
        raise ValidationError({"school": "Select a school or college, or enter its name"})
    with transaction.atomic():
        wish = SchoolRequest.objects.create(version=version, school=school, school_name=(school_name or "").strip(),
                                            reason=(reason or "").strip(), author=actor)
        record_change(actor=actor, action=AuditAction.CREATE, obj=wish, child=version.child,
                      summary=f"Asked for {school or school_name} to be named in the plan", request=request)
        wish.told = moments.family_responded(response=wish, actor=actor)  # who it went to, for the family
        return wish


def recipients_of(child) -> list[tuple[object, str]]:
    """Who must receive every version: the family (as far as the young person allows), the young person,
    and every professional or team member with an active Involvement."""
    from sendhub.people.models import Involvement
    from sendhub.people.selectors import children_visible_to

    people: dict[int, tuple[object, str]] = {}
    for member in child.family_members.select_related("user"):
        if member.user and children_visible_to(member.user).filter(pk=child.pk).exists():
            people.setdefault(member.user.pk, (member.user, f"{member.get_relationship_display()} of the child"))
    if child.account_id:
        people.setdefault(child.account_id, (child.account, "The young person"))
    for involvement in (Involvement.objects.active().filter(child=child)
                        .select_related("professional").prefetch_related("team__members")):
        why = involvement.get_role_display()
        if involvement.professional:
            people.setdefault(involvement.professional.pk, (involvement.professional, why))
        if involvement.team:
            for member in involvement.team.members.all():
                people.setdefault(member.pk, (member, f"{why} ({involvement.team.name})"))
    return [pair for pair in people.values() if pair[0].is_active]


def planned_recipients(child, *, kind: str, named_setting=None) -> list:
    """Who will receive a version of this kind if it is issued now, and how (messaging.selectors.Recipient)."""
    from sendhub.messaging.selectors import entitled_recipients

    return entitled_recipients(child, version=PlanVersion(child=child, kind=kind, named_setting=named_setting))


def unreachable_for(child, *, kind: str, named_setting=None) -> list:
    from sendhub.messaging.selectors import unreachable

    return unreachable(planned_recipients(child, kind=kind, named_setting=named_setting))


def distribute(version, letter=None, *, actor=None, request=None) -> list:
    """Send an issued version, the same day, to everyone who must have it, each by their own route, with its
    covering letter (when given) in the same pack; record each delivery (messaging.deliveries.deliver)."""
    from sendhub.messaging.deliveries import deliver
    from sendhub.portal.family import by_day

    window = comment_window(version)  # the notice of a draft gives the family's last day, as every page does
    return deliver(child=version.child, version=version, letter=letter, actor=actor or version.issued_by,
                   request=request, subject=f"{version.get_kind_display()} issued",
                   body=f"{version.get_kind_display()} (version {version.number}) has been issued by "
                        f"{version.child.local_authority} for a child or young person you are involved with."
                        + (f" The family's comments {by_day(window[1])} (the last day)." if window else ""))
