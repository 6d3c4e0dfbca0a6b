"""Writes for plan quality: the council's settings and rubric, audits, moderation, the family's view and the
monthly sample. Each is one keyword-only function in a transaction, audited."""

from __future__ import annotations

import random
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change
from sendhub.plans.models import SECTION_CODES

from . import checklist, grading
from .checks import settings_for
from .models import Audit, AuditStatus, QualitySettings, Sample, SampleItem, SectionGrade

GRADE_KEYS = set(grading.POINTS)


class StaleEdit(Exception):
    """Someone else saved this after it was opened."""


def save_settings(*, actor, local_authority, disabled_rules: list[str], watch_words: list[str], sample_size: int,
                  random_share: int, rubric: dict[str, dict], expected_version: int, request=None) -> QualitySettings:
    unknown = set(disabled_rules) - set(checklist.BY_KEY)
    if unknown:
        raise ValidationError({"disabled_rules": "Select checks from the list"})
    if not 1 <= sample_size <= 200:
        raise ValidationError({"sample_size": "The sample size must be between 1 and 200 plans a month"})
    if not 0 <= random_share <= 100:
        raise ValidationError({"random_share": "The share picked at random must be between 0 and 100 per cent"})
    cleaned = {}
    for code in SECTION_CODES:
        row = rubric.get(code) or {}
        weight = row.get("weight")
        if not isinstance(weight, int) or not 0 <= weight <= 10:
            raise ValidationError({f"weight_{code}": f"The weight of section {code} must be a whole number from 0 to 10"})
        cleaned[code] = {"weight": weight, "guidance": (row.get("guidance") or "").strip()}
    if not any(row["weight"] for row in cleaned.values()):
        raise ValidationError("At least one section must have a weight above 0")
    words = sorted({w.strip().lower() for w in watch_words if w.strip()})
    with transaction.atomic():
        saved, _ = QualitySettings.objects.select_for_update().get_or_create(local_authority=local_authority)
        if saved.version != expected_version:
            raise StaleEdit("Someone else changed these settings after you opened this page. Nothing has been saved.")
        before = {"disabled_rules": saved.disabled_rules, "watch_words": saved.watch_words,
                  "sample_size": saved.sample_size, "random_share": saved.random_share, "rubric": saved.rubric}
        saved.disabled_rules, saved.watch_words = sorted(disabled_rules), words
        saved.sample_size, saved.random_share, saved.rubric = sample_size, random_share, cleaned
        saved.version += 1
        saved.updated_by, saved.updated_at = actor, timezone.now()
        saved.save()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=saved, before=before,
                      after={"disabled_rules": saved.disabled_rules, "watch_words": words, "sample_size": sample_size,
                             "random_share": random_share, "rubric": cleaned},
                      summary="Changed the plan quality checks, rubric or sample size", request=request)
        if before["disabled_rules"] != saved.disabled_rules or before["watch_words"] != words:
            from .tasks import backfill_checks

            # Earlier plans are checked again with the new settings, so the figures count the same checks.
            transaction.on_commit(lambda: backfill_checks.enqueue(local_authority.pk))
    return saved


def start_audit(*, actor, version, sample_item=None, request=None) -> Audit:
    """Open an audit of an issued version by this QA officer (or return the one they already started)."""
    from sendhub.people.selectors import children_visible_to

    if not children_visible_to(actor).filter(pk=version.child_id).exists():
        raise PermissionDenied
    existing = Audit.objects.filter(version=version, auditor=actor).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            audit = Audit.objects.create(version=version, local_authority=version.child.local_authority,
                                         auditor=actor, sample_item=sample_item)
    except IntegrityError:
        return Audit.objects.get(version=version, auditor=actor)
    record_change(actor=actor, action=AuditAction.CREATE, obj=audit, child=version.child,
                  summary=f"Started a quality audit of {version}", request=request)
    return audit


def save_audit(*, actor, audit: Audit, grades: dict[str, str], comments: dict[str, str], to_change: str,
               complete: bool, expected_version: int, request=None) -> Audit:
    """Save the section grades and comments; completing needs a grade for every section that carries weight."""
    bad = {code for code, grade in grades.items() if grade and (code not in SECTION_CODES or grade not in GRADE_KEYS)}
    if bad:
        raise ValidationError({f"grade_{sorted(bad)[0]}": "Select a grade"})
    weights = settings_for(audit.local_authority).weights()
    if complete:
        missing = [code for code in SECTION_CODES if weights.get(code) and not grades.get(code)]
        if missing:
            raise ValidationError({f"grade_{code}": f"Grade section {code}" for code in missing})
        weak = [code for code in SECTION_CODES if grades.get(code) in {grading.REQUIRES_IMPROVEMENT, grading.INADEQUATE}
                and not (comments.get(code) or "").strip()]
        if weak:
            raise ValidationError({f"comment_{code}": f"Say what should change in section {code}" for code in weak})
        if not to_change.strip() and any(grades.get(c) != grading.OUTSTANDING for c in SECTION_CODES if grades.get(c)):
            raise ValidationError({"to_change": "Tell the caseworker what to change, or that nothing needs to"})
    with transaction.atomic():
        locked = Audit.objects.select_for_update().get(pk=audit.pk)
        if locked.status != AuditStatus.IN_PROGRESS:
            raise ValidationError("This audit has been completed: it can no longer be changed")
        if locked.version_number != expected_version:
            raise StaleEdit("This audit was saved by someone else after you opened it. Nothing has been saved.")
        for code in SECTION_CODES:
            grade, comment = grades.get(code) or "", (comments.get(code) or "").strip()
            if grade:
                SectionGrade.objects.update_or_create(audit=locked, section=code,
                                                      defaults={"grade": grade, "comment": comment})
            else:
                SectionGrade.objects.filter(audit=locked, section=code).delete()
        locked.to_change = to_change.strip()
        locked.version_number += 1
        if complete:
            locked.grade, score = grading.overall({c: g for c, g in grades.items() if g}, weights)
            locked.score, locked.weights = score, weights
            locked.status, locked.completed_at = AuditStatus.COMPLETED, timezone.now()
        locked.save()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=locked, child=locked.version.child,
                      after={"grades": {c: g for c, g in grades.items() if g}, "completed": complete},
                      summary=("Completed" if complete else "Saved") + f" a quality audit of {locked.version}",
                      request=request)
    if complete:
        _tell_caseworker(locked)
    return locked


def _tell_caseworker(audit: Audit) -> None:
    from sendhub.messaging.services import notify

    notify(recipients=[audit.version.issued_by], child=audit.version.child,
           subject="A plan you issued has been audited", link=f"/quality/audits/{audit.pk}/",
           body=f"{audit.version} for {audit.version.child} was audited: {grading.LABELS[audit.final_grade]}. "
                "See the grades and what to change.",
           email_body="A plan you issued has been audited. Sign in to sendhub to see the result.")


def moderators_for(audit: Audit):
    from sendhub.accounts.models import User
    from django.db.models import Q

    from .rules import MODERATOR_ROLES

    la = audit.local_authority
    return (User.objects.filter(is_active=True, role__in=MODERATOR_ROLES)
            .filter(Q(organisation=la) | Q(organisation__local_authority=la)).exclude(pk=audit.auditor_id)
            .select_related("organisation").order_by("full_name"))


def ask_moderator(*, actor, audit: Audit, moderator, request=None) -> Audit:
    from sendhub.messaging.services import notify

    if audit.status != AuditStatus.COMPLETED:
        raise ValidationError("Complete the audit before asking for it to be moderated")
    if moderator is None or not moderators_for(audit).filter(pk=moderator.pk).exists():
        raise ValidationError({"moderator": "Select someone from the list"})
    with transaction.atomic():
        Audit.objects.filter(pk=audit.pk).update(moderator=moderator)
        audit.refresh_from_db()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=audit, child=audit.version.child,
                      after={"moderator": moderator.full_name},
                      summary=f"Asked {moderator.full_name} to moderate the audit of {audit.version}", request=request)
        notify(recipients=[moderator], child=audit.version.child, subject="Please moderate a plan audit",
               link=f"/quality/audits/{audit.pk}/",
               body=f"{actor.full_name} asks you to moderate their audit of {audit.version} for {audit.version.child}.",
               email_body="You have been asked to moderate an EHC plan audit. Sign in to sendhub to see it.")
    return audit


def moderate(*, actor, audit: Audit, agrees: bool | None, grade: str, comment: str, request=None) -> Audit:
    if agrees is None:
        raise ValidationError({"agrees": "Say whether you agree with the auditor's grade"})
    if not agrees and grade not in GRADE_KEYS:
        raise ValidationError({"grade": "Select the grade you would give"})
    if not comment.strip():
        raise ValidationError({"comment": "Enter your comments"})
    with transaction.atomic():
        locked = Audit.objects.select_for_update().get(pk=audit.pk)
        if locked.moderator_id != actor.pk:
            raise PermissionDenied
        if locked.status != AuditStatus.COMPLETED:
            raise ValidationError("This audit has already been moderated")
        locked.moderator_agrees, locked.moderated_grade = agrees, "" if agrees else grade
        locked.moderator_comment, locked.moderated_at = comment.strip(), timezone.now()
        locked.status = AuditStatus.MODERATED
        locked.save()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=locked, child=locked.version.child,
                      after={"agrees": agrees, "grade": locked.final_grade},
                      summary=f"Moderated the audit of {locked.version}", request=request)
    _tell_caseworker(locked)
    return locked


def ask_family_view(*, actor, audit: Audit, request=None) -> Audit:
    from sendhub.messaging.services import notify
    from sendhub.plans.services import recipients_of

    family = [person for person, _ in recipients_of(audit.version.child)
              if getattr(person, "role", "") in {"family", "young_person"}]
    if not family:
        raise ValidationError("No one in the family has an account to be asked")
    with transaction.atomic():
        Audit.objects.filter(pk=audit.pk).update(family_view_asked_at=timezone.now())
        audit.refresh_from_db()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=audit, child=audit.version.child,
                      summary="Asked the family for their view of the plan", request=request)
        notify(recipients=family, child=audit.version.child, subject="What do you think of the plan?",
               link=f"/quality/audits/{audit.pk}/your-view",
               body=f"{audit.local_authority} checks the quality of EHC plans. Tell us what you think of "
                    f"{audit.version.child.given_name}'s plan: what works, and what is missing or unclear.",
               email_body="The council would like your view of an EHC plan. Sign in to sendhub to answer.")
    return audit


def may_give_family_view(user, audit: Audit) -> bool:
    """Only the child's own family or the young person give the family's view: staff who can see the child
    cannot write it for them (deny by default)."""
    from sendhub.accounts.models import Role
    from sendhub.people.rules import can_see_child

    return (audit.family_view_asked_at is not None and getattr(user, "role", None) in {Role.FAMILY, Role.YOUNG_PERSON}
            and can_see_child(user, audit.version.child))


def give_family_view(*, actor, audit: Audit, text: str, request=None) -> Audit:
    if not may_give_family_view(actor, audit):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": "Enter your view of the plan"})
    with transaction.atomic():
        Audit.objects.filter(pk=audit.pk).update(family_view=text.strip(), family_view_by=actor,
                                                 family_view_at=timezone.now())
        audit.refresh_from_db()
        record_change(actor=actor, action=AuditAction.UPDATE, obj=audit, child=audit.version.child,
                      summary="Gave their view of the plan for its quality audit", request=request)
    return audit


def make_sample(*, local_authority, month: str, actor=None, today: date | None = None) -> Sample:
    """The month's sample for one council (once: asking again returns the month's sample)."""
    from .selectors import sample_candidates

    existing = Sample.objects.filter(local_authority=local_authority, month=month).first()
    if existing:
        return existing
    saved = settings_for(local_authority)
    picks = pick_sample(sample_candidates(local_authority, today=today or timezone.localdate()),
                        size=saved.sample_size, random_share=saved.random_share,
                        seed=f"{local_authority.pk}-{month}")
    with transaction.atomic():
        sample = Sample.objects.create(local_authority=local_authority, month=month, created_by=actor)
        SampleItem.objects.bulk_create([SampleItem(sample=sample, version_id=version_id, reasons=reasons)
                                        for version_id, reasons in picks])
        if actor is not None:
            record_change(actor=actor, action=AuditAction.CREATE, obj=sample,
                          summary=f"Drew the plan quality sample for {month} ({len(picks)} plans)")
    return sample


def pick_sample(candidates: list[dict], *, size: int, random_share: int, seed: str) -> list[tuple[int, list[str]]]:
    """Risk first, then random: the risk-based part takes the plans with most risks (then oldest); the random part
    takes one plan in turn from each team and phase, so every team and phase is seen. Deterministic for a seed."""
    rng = random.Random(seed)
    random_size = round(size * random_share / 100)
    risky = sorted((c for c in candidates if c["risks"]), key=lambda c: (-len(c["risks"]), c["issued_on"], c["id"]))
    chosen = [(c["id"], list(c["risks"])) for c in risky[: size - random_size]]
    taken = {pk for pk, _ in chosen}
    strata: dict[tuple[str, str], list[dict]] = {}
    for c in candidates:
        if c["id"] not in taken:
            strata.setdefault((c["team"], c["phase"]), []).append(c)
    for group in strata.values():
        rng.shuffle(group)
    order = sorted(strata)
    rng.shuffle(order)
    while len(chosen) < size and any(strata[k] for k in order):
        for key in order:
            if strata[key] and len(chosen) < size:
                c = strata[key].pop()
                chosen.append((c["id"], ["Picked at random", *c["risks"]]))
    return chosen


def draw_all_samples(*, month: str, today: date | None = None) -> int:
    """The month's sample for every council without one. Returns how many were drawn."""
    from sendhub.organisations.models import Organisation, OrganisationKind

    drawn = 0
    for la in Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY).exclude(
            pk__in=Sample.objects.filter(month=month).values("local_authority")):
        make_sample(local_authority=la, month=month, today=today)
        drawn += 1
    return drawn
