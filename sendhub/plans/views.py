from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from sendhub.assessments.selectors import with_deadlines
from sendhub.audit.services import record_children_shown, record_denied, record_view
from sendhub.clock.rules import child_of
from sendhub.clock.views import get_case_or_404
from sendhub.messaging import moments
from sendhub.messaging.models import Notification
from sendhub.people.rules import can_see_child, is_caseworker_for_child
from sendhub.web.child_access import get_child_or_404
from sendhub.web.forms import apply_service_errors

from . import services
from .compare import compare
from .forms import IssueForm, SectionForm
from .models import SECTION_TITLES, SECTIONS, DraftComment, PlanVersion
from .selectors import visible_versions


def _drafting_case(request, kind: str, pk: int):
    case = get_case_or_404(request, kind, pk)
    if not is_caseworker_for_child(request.user, child_of(case)):
        raise PermissionDenied
    return case


NAMES_SETTING = {"final", "amended"}


@login_required
def workspace(request, kind: str, pk: int):
    from sendhub.organisations.models import Organisation, OrganisationKind

    case = _drafting_case(request, kind, pk)
    child = child_of(case)
    drafts = services.drafts_for(case)
    kinds = services.issuable_kinds(case, kind)
    names_setting = any(value in NAMES_SETTING for value, _ in kinds)
    previous = services.latest_version(child)
    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL).filter(
        Q(local_authority=child.local_authority) | Q(pk=child.setting_id)).order_by("name")
    form = IssueForm(request.POST or None, kinds=kinds, schools=schools, names_setting=names_setting,
                     initial={"named_setting": (previous.named_setting_id if previous and previous.named_setting_id
                                                else child.setting_id)}) if kinds else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = services.issue_version(actor=request.user, case=case, kind=data["kind"],
                                                 issued_on=data["issued_on"],
                                                 family_agreed_early=data["family_agreed_early"],
                                                 named_setting=data.get("named_setting"),
                                                 confirmed_unreachable=data["confirmed_unreachable"], request=request)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                letter = version.letters.first()
                messages.success(request, f"{version.get_kind_display()} issued as version {version.number}"
                                 + (f". Its covering letter, “{letter.title}”, has been written." if letter else ""))
                return redirect("plans:version", pk=version.pk)
    planned = []
    if kinds:
        chosen = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
        issue_kind = chosen.get("kind") or kinds[0][0]
        setting = (chosen.get("named_setting") if "named_setting" in chosen
                   else schools.filter(pk=form["named_setting"].initial).first() if names_setting else None)
        planned = services.planned_recipients(child, kind=issue_kind, named_setting=setting)
        what = dict(kinds).get(issue_kind, "").split(",")[0]
        record_view(request=request, child=child, summary="Saw who will receive the plan and how")
    comments: dict[str, list] = {}
    for comment in DraftComment.objects.filter(**{f"version__{kind}": case}).select_related("author", "version"):
        comments.setdefault(comment.section, []).append(comment)
    checks = _draft_checks(case)
    rows = [(code, title, drafts[code], comments.get(code, []), checks.get(code, [])) for code, title, _ in SECTIONS]
    return render(request, "plans/workspace.html", {
        "case": case, "kind": kind, "child": child, "rows": rows, "form": form, "general": comments.get("", []),
        "check_count": sum(len(v) for v in checks.values()),
        "planned": planned, "warnings": [(r, r.warning(what.lower().removeprefix("the ")))
                                         for r in planned if not r.routes],
        "issuing": (what.lower().removeprefix("the ") if kinds else "")})


def _draft_checks(case) -> dict:
    """The automatic quality checks on the draft as it is now, by section (sendhub.quality): never blocking."""
    from sendhub.quality.checklist import by_section
    from sendhub.quality.checks import check_draft

    return by_section(check_draft(case))


@login_required
def edit_section(request, kind: str, pk: int, code: str):
    case = _drafting_case(request, kind, pk)
    if code not in SECTION_TITLES:
        raise Http404("No such section")
    draft = services.drafts_for(case)[code]
    form = SectionForm(request.POST or None, initial={"text": draft.text, "version": draft.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_section(actor=request.user, case=case, section=code, text=form.cleaned_data["text"],
                                  expected_version=form.cleaned_data["version"], request=request)
        except services.SectionConflict as error:
            form.add_error(None, str(error))
            conflict = services.drafts_for(case)[code]
        else:
            found = len(_draft_checks(case).get(code, []))
            messages.success(request, f"Section {code} saved" + (
                f". The quality checks found {found} thing{'s' if found != 1 else ''} to look at in it: see below"
                if found else ""))
            return redirect("plans:workspace", kind=kind, pk=pk)
    sources = next(s for c, _, s in SECTIONS if c == code)
    advice = [a for a in with_deadlines(case.advice_requests.filter(given_on__isnull=False))
              if a.source in sources] if kind == "assessment" else []
    return render(request, "plans/edit_section.html", {
        "case": case, "kind": kind, "child": child_of(case), "code": code, "title": SECTION_TITLES[code],
        "form": form, "advice": advice, "conflict": conflict, "checks": _draft_checks(case).get(code, []),
        "preparing_for_adulthood": code == "E" and child_of(case).year_group() >= 9})


def _child_of_plans_or_404(request, child_pk: int, *, audit_summary: str):
    """The child whose plan versions this person may read: a child they may see, or, for a SENCO whose school is
    named in the plan, the child of the versions sent to the school (and only those versions are then listed).
    Anyone else gets not found, audited as for the child's record."""
    sent = visible_versions(request.user).filter(child_id=child_pk).select_related("child").first()
    if sent is not None and not can_see_child(request.user, sent.child):
        record_view(request=request, child=sent.child, summary=audit_summary)
        return sent.child
    return get_child_or_404(request, child_pk, audit_summary=audit_summary)


@login_required
def version_list(request, child_pk: int):
    child = _child_of_plans_or_404(request, child_pk, audit_summary="Looked at the plan's versions")
    versions = list(visible_versions(request.user).filter(child=child).select_related("issued_by"))
    return render(request, "plans/versions.html", {"child": child, "versions": versions})


@login_required
def version_detail(request, pk: int):
    from sendhub.accounts.models import Role
    from sendhub.organisations.models import Organisation, OrganisationKind

    from .forms import CommentForm, SchoolForm

    version = visible_versions(request.user).filter(pk=pk).select_related("child__local_authority", "issued_by").first()
    if version is None:
        record_denied(request=request, object_type=PlanVersion._meta.label, object_id=str(pk))
        raise Http404("No plan found")
    record_view(request=request, child=version.child, obj=version, summary=f"Read the plan: {version}")
    from sendhub.messaging.deliveries import mark_opened
    from sendhub.messaging.selectors import deliveries_of, deliveries_to

    mark_opened(user=request.user, version=version)
    mine = deliveries_to(request.user).filter(version=version)
    Notification.objects.filter(recipient=request.user, link=f"/plans/{version.pk}/", read_at__isnull=True).update(
        read_at=timezone.now())
    if request.method == "POST" and request.POST.get("action") == "acknowledge":
        mine.filter(acknowledged_at__isnull=True).update(acknowledged_at=timezone.now())
        messages.success(request, "Thank you for confirming you have read this plan")
        return redirect("plans:version", pk=version.pk)
    window = services.comment_window(version)
    today = timezone.localdate()
    family_may_respond = (request.user.role in {Role.FAMILY, Role.YOUNG_PERSON} and window is not None
                          and window[0] <= today <= window[1])
    action = request.POST.get("action") if request.method == "POST" else None
    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL,
                                          local_authority=version.child.local_authority).order_by("name")
    comment_form = CommentForm(request.POST if action == "comment" else None, sections=SECTIONS)
    school_form = SchoolForm(request.POST if action == "school" else None, schools=schools)
    bound = {"comment": comment_form, "school": school_form}.get(action)
    if action and bound is None:
        raise PermissionDenied
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        try:
            if action == "comment":
                saved = services.comment_on_draft(actor=request.user, version=version, section=data["section"],
                                                  text=data["text"], request=request)
                what = "Thank you: your comment has been"
            else:
                saved = services.request_school(actor=request.user, version=version, school=data["school"],
                                                school_name=data["school_name"], reason=data["reason"], request=request)
                what = "Your request for a school or college has been"
            # say who it reached (the caseworker by name, or the SEND team): never "your caseworker" when none
            messages.success(request, f"{what} sent to {saved.told}" if saved.told else
                             f"{what} saved with the plan. {moments.contact_line(version.child)}")
        except ValidationError as error:
            apply_service_errors(bound, error)
        else:
            return redirect("plans:version", pk=version.pk)
    previous = (visible_versions(request.user).filter(child=version.child, number__lt=version.number)
                .order_by("-number").first())
    return render(request, "plans/version.html", {
        "version": version, "previous": previous, "window": window,
        # a refused comment stays on screen with its error, so nothing typed is lost
        "family_may_respond": family_may_respond or (bound is not None and bool(bound.errors)),
        "comment_form": comment_form, "school_form": school_form, "error_form": bound if action else None,
        "comments": version.comments.select_related("author"),
        "school_requests": version.school_requests.select_related("school", "author"), "today": today,
        "my_delivery": mine.first(),
        "deliveries": deliveries_of(version=version) if is_caseworker_for_child(
            request.user, version.child) else None})


@login_required
def plans_naming_me(request):
    """Every plan version sent to this person, or to the school or setting they are SENCO of because the plan
    names it, newest first, with a link to what changed."""
    from sendhub.messaging.selectors import deliveries_to

    deliveries = list(deliveries_to(request.user).filter(version__in=visible_versions(request.user))
                      .exclude(route="none").select_related("version__child").order_by("-created_at", "-id"))
    seen: set[int] = set()
    deliveries = [d for d in deliveries if not (d.version_id in seen or seen.add(d.version_id))]
    record_children_shown(request=request, children=[d.version for d in deliveries], summary="Saw in plans sent to me")
    return render(request, "plans/mine.html", {"deliveries": deliveries})


@login_required
def compare_versions(request, child_pk: int):
    child = _child_of_plans_or_404(request, child_pk, audit_summary="Compared versions of the plan")
    versions = {v.number: v for v in visible_versions(request.user).filter(child=child)}
    try:
        old, new = versions[int(request.GET.get("a", ""))], versions[int(request.GET.get("b", ""))]
    except (KeyError, ValueError):
        return render(request, "plans/versions.html", {
            "child": child, "versions": sorted(versions.values(), key=lambda v: -v.number),
            "compare_error": "Select two versions of the plan to compare"}, status=400)
    if old.number > new.number:
        old, new = new, old
    changes = compare(old.sections, new.sections, [(c, t) for c, t, _ in SECTIONS])
    return render(request, "plans/compare.html", {"child": child, "old": old, "new": new, "changes": changes,
                                                  "today": timezone.localdate()})


@login_required
def version_pdf(request, pk: int):
    from django.conf import settings
    from django.http import HttpResponse

    from sendhub.audit.models import AuditAction
    from sendhub.audit.services import channel_of, record
    from sendhub.core.pdf import render_pdf

    version = visible_versions(request.user).filter(pk=pk).select_related("child__local_authority").first()
    if version is None:
        record_denied(request=request, object_type=PlanVersion._meta.label, object_id=str(pk))
        raise Http404("No plan found")
    record(actor=request.user, action=AuditAction.EXPORT, channel=channel_of(request), obj=version,
           child=version.child, summary=f"Downloaded the plan: {version}", path=request.path)
    response = HttpResponse(render_pdf("plans/print.html", {"version": version,
                                                            "partnership_name": settings.PARTNERSHIP_NAME}),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ehc-plan-version-{version.number}.pdf"'
    return response
