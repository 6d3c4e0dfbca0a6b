"""Plan quality pages: the monthly sample, audits section by section, moderation, the family's view, the council's
checks and rubric, and the quality figures. Object permission on every page; every read of a plan audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

import rules

from sendhub.audit.services import record_children_shown, record_denied, record_view
from sendhub.dashboard.definitions import month_key
from sendhub.plans.models import SECTION_TITLES, SECTIONS, PlanVersion
from sendhub.plans.selectors import visible_versions
from sendhub.web.child_access import require_perm
from sendhub.web.forms import apply_service_errors

from . import checklist, grading, selectors, services
from .checks import settings_for
from .forms import AuditForm, FamilyViewForm, ModerationForm, ModeratorForm, SettingsForm
from .models import Audit, AuditStatus, CheckRun, Sample, SampleItem


def _council(request):
    return request.user.organisation


@login_required
def sample(request):
    """This month's sample for the QA officer: draw it, then audit each plan."""
    require_perm(request, "quality.view_quality")
    la, month = _council(request), month_key(timezone.localdate())
    if request.method == "POST":
        require_perm(request, "quality.audit_plans")
        services.make_sample(local_authority=la, month=month, actor=request.user)
        messages.success(request, f"The sample for {timezone.localdate():%B %Y} is ready")
        return redirect("quality:sample")
    current = Sample.objects.filter(local_authority=la, month=month).first()
    items = []
    if current:
        items = list(current.items.select_related("version__child__setting", "version__issued_by"))
        audits = {a.version_id: a for a in Audit.objects.filter(version__in=[i.version_id for i in items])}
        items = [(item, audits.get(item.version_id)) for item in items]
        record_children_shown(request=request, children=[i.version.child for i, _ in items],
                              summary="Saw in the plan quality sample")
    return render(request, "quality/sample.html", {
        "sample": current, "items": items, "month": timezone.localdate(), "settings": settings_for(la),
        "earlier": Sample.objects.filter(local_authority=la).exclude(month=month)[:12]})


@login_required
def start(request, version_pk: int):
    require_perm(request, "quality.audit_plans")
    if request.method != "POST":
        raise PermissionDenied
    version = visible_versions(request.user).filter(pk=version_pk).select_related("child__local_authority").first()
    if version is None or version.child.local_authority_id != request.user.organisation_id:
        record_denied(request=request, object_type=PlanVersion._meta.label, object_id=str(version_pk))
        raise Http404("No plan found")
    item = (SampleItem.objects.filter(version=version, sample__local_authority=request.user.organisation)
            .order_by("-sample__month").first())
    audit = services.start_audit(actor=request.user, version=version, sample_item=item, request=request)
    return redirect("quality:audit", pk=audit.pk)


@login_required
def audit_list(request):
    from sendhub.people.rules import is_local_authority_caseworker

    user = request.user
    if not (rules.has_perm("quality.view_quality", user) or is_local_authority_caseworker(user)
            or user.plan_moderations.exists()):
        raise PermissionDenied
    audits = list(selectors.audits_visible_to(user)[:200])
    record_children_shown(request=request, children=[a.version.child for a in audits], summary="Saw in plan audits")
    return render(request, "quality/audits.html", {"audits": audits})


def _audit_or_404(request, pk: int) -> Audit:
    audit = (Audit.objects.filter(pk=pk).select_related("version__child__local_authority", "version__issued_by",
                                                        "auditor", "moderator", "local_authority").first())
    if audit is None or not rules.has_perm("quality.view_audit", request.user, audit):
        record_denied(request=request, object_type=Audit._meta.label, object_id=str(pk))
        raise Http404("No audit found")
    if audit.status == AuditStatus.IN_PROGRESS and not rules.has_perm("quality.view_quality", request.user):
        record_denied(request=request, object_type=Audit._meta.label, object_id=str(pk))
        raise Http404("No audit found")
    return audit


@login_required
def audit_detail(request, pk: int):
    audit = _audit_or_404(request, pk)
    version = audit.version
    record_view(request=request, child=version.child, obj=audit, summary=f"Read the quality audit of {version}")
    can_grade = audit.status == AuditStatus.IN_PROGRESS and rules.has_perm("quality.grade_audit", request.user, audit)
    can_moderate = audit.status == AuditStatus.COMPLETED and rules.has_perm("quality.moderate_audit", request.user, audit)
    is_auditor = audit.auditor_id == request.user.pk
    saved = settings_for(audit.local_authority)
    grades = {g.section: g for g in audit.section_grades.all()}
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {"to_change": audit.to_change, "version": audit.version_number}
    initial |= {f"grade_{c}": g.grade for c, g in grades.items()} | {f"comment_{c}": g.comment for c, g in grades.items()}
    form = AuditForm(request.POST if action in {"save", "complete"} else None, initial=initial,
                     guidance=saved.guidance())
    moderator_form = ModeratorForm(request.POST if action == "moderator" else None,
                                   people=services.moderators_for(audit))
    moderation_form = ModerationForm(request.POST if action == "moderate" else None)
    bound = {"save": form, "complete": form, "moderator": moderator_form, "moderate": moderation_form}.get(action)
    if action == "family":
        if not is_auditor:
            raise PermissionDenied
        try:
            services.ask_family_view(actor=request.user, audit=audit, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The family have been asked for their view of the plan")
        return redirect("quality:audit", pk=audit.pk)
    if action and bound is None:
        raise PermissionDenied
    if action in {"save", "complete"} and not can_grade:
        raise PermissionDenied
    if action == "moderator" and not (is_auditor and audit.status == AuditStatus.COMPLETED):
        raise PermissionDenied
    if action == "moderate" and not can_moderate:
        raise PermissionDenied
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        try:
            if action in {"save", "complete"}:
                services.save_audit(actor=request.user, audit=audit,
                                    grades={c: data[f"grade_{c}"] for c, _, _ in SECTIONS},
                                    comments={c: data[f"comment_{c}"] for c, _, _ in SECTIONS},
                                    to_change=data["to_change"], complete=action == "complete",
                                    expected_version=data["version"], request=request)
                messages.success(request, "Audit completed: the caseworker has been told" if action == "complete"
                                 else "Audit saved")
            elif action == "moderator":
                services.ask_moderator(actor=request.user, audit=audit, moderator=data["moderator"], request=request)
                messages.success(request, f"{data['moderator'].full_name} has been asked to moderate the audit")
            else:
                services.moderate(actor=request.user, audit=audit, agrees=data["agrees"], grade=data["grade"],
                                  comment=data["comment"], request=request)
                messages.success(request, "Moderation recorded: the auditor and the caseworker can see it")
        except services.StaleEdit as error:
            bound.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(bound, error)
        else:
            return redirect("quality:audit", pk=audit.pk)
    run = CheckRun.objects.filter(version=version).first()
    problems = run.problems_by_section() if run else {}
    titles = {rule.key: rule.title for rule in checklist.RULES}
    weights = audit.weights or saved.weights()
    sections = [(code, title, version.sections.get(code, ""), grades.get(code),
                 [{**p, "title": titles.get(p["rule"], "")} for p in problems.get(code, [])], weights.get(code, 0))
                for code, title, _ in SECTIONS]
    return render(request, "quality/audit.html", {
        "audit": audit, "version": version, "child": version.child, "sections": sections, "form": form,
        "can_grade": can_grade, "can_moderate": can_moderate, "is_auditor": is_auditor,
        "moderator_form": moderator_form, "moderation_form": moderation_form, "error_form": bound,
        "run": run})


@login_required
def family_view(request, pk: int):
    audit = Audit.objects.filter(pk=pk, family_view_asked_at__isnull=False).select_related("version__child").first()
    if audit is None or not services.may_give_family_view(request.user, audit):
        record_denied(request=request, object_type=Audit._meta.label, object_id=str(pk))
        raise Http404("No request found")
    record_view(request=request, child=audit.version.child, obj=audit, summary="Opened the request for their view of the plan")
    form = FamilyViewForm(request.POST or None, initial={"text": audit.family_view})
    if request.method == "POST" and form.is_valid():
        try:
            services.give_family_view(actor=request.user, audit=audit, text=form.cleaned_data["text"], request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Thank you: your view has been sent to the council's quality team")
            return redirect("plans:version", pk=audit.version_id)
    return render(request, "quality/family_view.html", {"audit": audit, "form": form, "child": audit.version.child})


@login_required
def quality_settings(request):
    """The council's checks and rubric, each explained; QA officers and team managers change them."""
    require_perm(request, "quality.view_quality")
    saved = settings_for(_council(request))
    weights, guidance = saved.weights(), saved.guidance()
    initial = {"disabled_rules": saved.disabled_rules, "watch_words": "\n".join(saved.watch_words),
               "sample_size": saved.sample_size, "random_share": saved.random_share, "version": saved.version}
    initial |= {f"weight_{c}": w for c, w in weights.items()} | {f"guidance_{c}": g for c, g in guidance.items()}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require_perm(request, "quality.change_settings")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_settings(
                    actor=request.user, local_authority=_council(request), disabled_rules=data["disabled_rules"],
                    watch_words=data["watch_words"].splitlines(), sample_size=data["sample_size"],
                    random_share=data["random_share"],
                    rubric={c: {"weight": data[f"weight_{c}"], "guidance": data[f"guidance_{c}"]} for c, _, _ in SECTIONS},
                    expected_version=data["version"], request=request)
            except services.StaleEdit as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Saved. Drafts and newly issued plans use these settings now; plans "
                                          "issued earlier are checked again in the background within a few minutes.")
                return redirect("quality:settings")
    return render(request, "quality/settings.html", {"form": form, "rules": checklist.RULES,
                                                     "grades": grading.GRADES})


@login_required
def figures(request):
    """Plan quality figures for the council: no child is named."""
    if not (rules.has_perm("quality.view_quality", request.user)
            or rules.has_perm("dashboard.view_dashboard", request.user)):
        raise PermissionDenied
    from sendhub.dashboard.selectors import scope_of

    la = scope_of(request.user)
    data = selectors.figures(la)
    big_plan = (selectors.big_plan_actions(la) if rules.has_perm("dashboard.view_big_plan", request.user) else [])
    return render(request, "quality/figures.html", {"data": data, "titles": SECTION_TITLES, "scope": la,
                                                    "big_plan": big_plan})
