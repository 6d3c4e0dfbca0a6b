"""Thin views: the dashboard, its public view, exports, drill-down, targets, disagreements and the Big Plan."""

import rules

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.audit.models import AuditAction
from sendhub.audit.services import channel_of, record, record_children_shown, record_view
from sendhub.core import exports
from sendhub.core.pdf import render_pdf
from sendhub.sen2.selectors import live_vs_published
from sendhub.web.child_access import require_perm
from sendhub.web.forms import apply_service_errors

from . import charts, definitions as d, selectors, services
from .forms import ActionForm, AreaForm, ComparatorForm, DisagreementForm, FilterForm, TargetForm
from .models import DashboardSnapshot, Disagreement, Trajectory


def _preparing(request, *, public: bool = False) -> HttpResponse:
    """No snapshot yet: say so plainly (the refresh task has been queued; a page never computes one)."""
    response = render(request, "dashboard/preparing.html", {"public": public}, status=503)
    response["Retry-After"] = "600"
    return response


def _freshness(snapshot) -> dict:
    return {"snapshot": snapshot, "stale": selectors.is_stale(snapshot)}


def _months(snapshot: DashboardSnapshot) -> list[str]:
    return selectors.months_of(snapshot)


def _with_charts(figs, *, public: bool):
    for fig in figs:
        fig.chart = charts.chart_for(fig, public=public)
    return figs


def _dashboard_data(request):
    snapshot = selectors.latest_snapshot()
    scope = selectors.scope_of(request.user)
    months = _months(snapshot)
    form = FilterForm(request.GET or None, months=months)
    filters = form.filters(local_authority=scope.pk if scope else None)
    shown_months = sorted(filters.months)
    figs = selectors.figures(snapshot, filters, months=shown_months)
    return snapshot, scope, form, filters, figs


@login_required
def dashboard(request):
    require_perm(request, "dashboard.view_dashboard")
    if selectors.current_snapshot() is None:
        return _preparing(request)
    snapshot, scope, form, filters, figs = _dashboard_data(request)
    _with_charts(figs, public=False)
    groups = [(group, [f for f in figs if f.metric.group == group]) for group in d.GROUPS]
    return render(request, "dashboard/dashboard.html", {
        **_freshness(snapshot), "scope": scope, "form": form, "groups": groups,
        "waits": selectors.wait_rows(snapshot, local_authority=filters.local_authority),
        "can_drill": rules.has_perm("dashboard.drill_down", request.user),
        "can_set_targets": rules.has_perm("dashboard.set_targets", request.user),
        "query": request.GET.urlencode(),
        "comparison": live_vs_published(scope, snapshot.as_of.year - 1) if scope else None,
    })


def _table(figs, *, public: bool) -> list[list]:
    rows = [["Figure", "Month", "Value", "Numerator", "Denominator", "Definition"]]
    for fig in figs:
        for r in fig.rows:
            if public:
                rows.append([fig.metric.public_title, r.label, r.shown, "", "", fig.metric.definition])
            else:
                rows.append([fig.metric.title, r.label, "" if r.value is None else r.value, r.numerator, r.denominator,
                             fig.metric.definition])
        rows.append([fig.metric.public_title if public else fig.metric.title, "Whole period",
                     fig.shown if public else ("" if fig.value is None else fig.value),
                     "" if public else fig.numerator, "" if public else fig.denominator, fig.metric.definition])
    return rows


def _computed_line(snapshot) -> list[str]:
    return [f"Figures as of {snapshot.computed_at:%Y-%m-%d %H:%M} UTC, from case data up to {snapshot.as_of}"]


@login_required
def export(request, fmt: str):
    require_perm(request, "dashboard.view_dashboard")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if selectors.current_snapshot() is None:
        return _preparing(request)
    snapshot, scope, form, filters, figs = _dashboard_data(request)
    rows = _table(figs, public=False)
    record(actor=request.user, action=AuditAction.EXPORT, channel=channel_of(request), obj=snapshot,
           summary=f"Downloaded the partnership dashboard as {fmt.upper()}", path=request.path)
    if fmt == "csv":
        return exports.csv_response([_computed_line(snapshot), *rows], "partnership-dashboard.csv")
    waits = [["Service", "Provider", "Waiting", "Median wait (weeks)", "92nd percentile wait (weeks)",
              "Within the standard"]]
    for w in selectors.wait_rows(snapshot, local_authority=filters.local_authority):
        waits.append([w.service, w.provider, w.waiting, w.median_weeks, w.p92_weeks, w.within_standard])
    return exports.xlsx_response([("Figures", [_computed_line(snapshot), *rows]), ("Waiting lists", waits)],
                                 "partnership-dashboard.xlsx")


def _public_data(snapshot):
    filters, months = selectors.public_filters(snapshot)
    return filters, months, selectors.figures(snapshot, filters, public=True, months=months)


def public(request):
    snapshot = selectors.public_snapshot()
    if snapshot is None:
        return _preparing(request, public=True)
    filters, months, figs = _public_data(snapshot)
    _with_charts(figs, public=True)
    groups = [(group, [f for f in figs if f.metric.group == group]) for group in d.GROUPS]
    return render(request, "dashboard/public.html", {
        "snapshot": snapshot, "groups": groups, "first_month": selectors.month_label(months[0]),
        "last_month": selectors.month_label(months[-1]), "waits": selectors.wait_rows(snapshot, local_authority=None, public=True),
    })


def public_csv(request):
    snapshot = selectors.public_snapshot()
    if snapshot is None:
        return _preparing(request, public=True)
    filters, months, figs = _public_data(snapshot)
    rows = _table(figs, public=True)
    rows.append([])
    rows.append(["Waiting list", "Provider", "Waiting", "Median wait (weeks)", "92nd percentile wait (weeks)",
                 "Within the standard"])
    for w in selectors.wait_rows(snapshot, local_authority=None, public=True):
        rows.append([w.service, w.provider, w.waiting, w.median_weeks, w.p92_weeks, w.within_standard])
    return exports.csv_response([_computed_line(snapshot), *rows], "send-figures.csv")


@login_required
def drill_down(request, metric: str):
    require_perm(request, "dashboard.drill_down")
    if metric not in d.BY_KEY:
        raise Http404
    snapshot = selectors.current_snapshot()
    if snapshot is None:
        return _preparing(request)
    scope = selectors.scope_of(request.user)
    form = FilterForm(request.GET or None, months=_months(snapshot))
    filters = form.filters(local_authority=scope.pk if scope else None)
    cases = selectors.drill_down(request.user, metric, filters, as_of=snapshot.as_of)
    record_children_shown(request=request, children=[child for child, _ in cases],
                          summary=f"Saw in the cases behind the figure: {d.BY_KEY[metric].title}")
    return render(request, "dashboard/drill_down.html", {
        "metric": d.BY_KEY[metric], "cases": cases, "form": form, "snapshot": snapshot,
        "met": sum(1 for _, f in cases if f.in_numerator), "query": request.GET.urlencode(),
        "can_record": rules.has_perm("dashboard.record_disagreements", request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    require_perm(request, "dashboard.view_dashboard")
    can_set = rules.has_perm("dashboard.set_targets", request.user)
    scope = selectors.scope_of(request.user)
    comparator_form, target_form = ComparatorForm(prefix="comparator"), TargetForm(prefix="target")
    if request.method == "POST":
        require_perm(request, "dashboard.set_targets")
        if "comparator-metric" in request.POST:
            comparator_form = ComparatorForm(request.POST, prefix="comparator")
            if comparator_form.is_valid():
                try:
                    services.add_comparator(actor=request.user, request=request, **comparator_form.cleaned_data)
                    return redirect(reverse("dashboard:targets") + "#comparators")
                except ValidationError as error:
                    apply_service_errors(comparator_form, error)
        else:
            target_form = TargetForm(request.POST, prefix="target")
            if target_form.is_valid():
                try:
                    services.set_target(actor=request.user, request=request, local_authority=scope,
                                        **target_form.cleaned_data)
                    return redirect(reverse("dashboard:targets") + "#trajectories")
                except ValidationError as error:
                    apply_service_errors(target_form, error)
    return render(request, "dashboard/targets.html", {
        "comparators": selectors.comparators_for(scope), "can_set": can_set, "scope": scope,
        "trajectories": Trajectory.objects.filter(local_authority=scope),
        "comparator_form": comparator_form, "target_form": target_form,
        "error_form": comparator_form if comparator_form.errors else target_form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def disagreement(request, assessment_pk: int):
    from sendhub.clock.views import get_case_or_404

    assessment = get_case_or_404(request, "assessment", assessment_pk)  # a child you may not see: 404, audited
    require_perm(request, "dashboard.record_disagreement", assessment)
    current = Disagreement.objects.filter(assessment=assessment).first()
    if request.method == "POST":
        form = DisagreementForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.record_disagreement(actor=request.user, assessment=assessment, request=request,
                                             expected_version=version, **data)
                return redirect(reverse("web:child", args=[assessment.child_id]))
            except ValidationError as error:
                apply_service_errors(form, error)
                current = Disagreement.objects.filter(assessment=assessment).first()
    else:
        initial = {"version": current.version} if current else {"version": 0}
        if current:
            initial.update({name: getattr(current, name) for name in services.DISAGREEMENT_FIELDS})
        form = DisagreementForm(initial=initial)
        record_view(request=request, child=assessment.child, obj=assessment,
                    summary="Opened the mediation and appeal record")
    return render(request, "dashboard/disagreement.html", {"assessment": assessment, "form": form, "current": current})


def _big_plan(snapshot, scope):
    filters = d.Filters(months=frozenset(_months(snapshot)[-3:]), local_authority=scope.pk if scope else None)
    figs = {f.metric.key: f for f in selectors.figures(snapshot, filters, months=sorted(filters.months))}
    areas = []
    for area in selectors.areas_for(scope).prefetch_related("actions"):
        actions = []
        for action in area.actions.all():
            measures = [figs[k] for k in action.metrics if k in figs]
            actions.append({"action": action, "measures": measures, "rag": d.worst(f.rag for f in measures)})
        areas.append({"area": area, "actions": actions, "rag": d.worst(a["rag"] for a in actions)})
    return areas, filters


@login_required
def big_plan(request):
    require_perm(request, "dashboard.view_big_plan")
    snapshot = selectors.current_snapshot()
    if snapshot is None:
        return _preparing(request)
    areas, filters = _big_plan(snapshot, selectors.scope_of(request.user))
    months = [selectors.month_label(m) for m in sorted(filters.months)]
    return render(request, "dashboard/big_plan.html", {
        "areas": areas, "snapshot": snapshot, "months": months,
        "can_manage": rules.has_perm("dashboard.manage_big_plan", request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def area_new(request):
    require_perm(request, "dashboard.manage_big_plan")
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_area(actor=request.user, request=request, **form.cleaned_data)
            return redirect("dashboard:big-plan")
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(request, "dashboard/area_form.html", {"form": form})


@login_required
def big_plan_report(request):
    require_perm(request, "dashboard.view_big_plan")
    snapshot = selectors.current_snapshot()
    if snapshot is None:
        return _preparing(request)
    scope = selectors.scope_of(request.user)
    areas, filters = _big_plan(snapshot, scope)
    pdf = render_pdf("dashboard/big_plan_report.html", {
        "areas": areas, "snapshot": snapshot, "scope": scope,
        "months": [selectors.month_label(m) for m in sorted(filters.months)]})
    record(actor=request.user, action=AuditAction.EXPORT, channel=channel_of(request), obj=snapshot,
           summary="Downloaded the Big Plan progress report", path=request.path)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="big-plan-progress-report.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int | None = None):
    require_perm(request, "dashboard.manage_big_plan")
    scope = selectors.scope_of(request.user)
    action = get_object_or_404(selectors.actions_for(scope), pk=pk) if pk else None  # another council's: not found
    if request.method == "POST":
        form = ActionForm(request.POST, areas=selectors.areas_for(scope))
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.save_action(actor=request.user, action=action, expected_version=version, request=request, **data)
                return redirect("dashboard:big-plan")
            except ValidationError as error:
                apply_service_errors(form, error)
                if action is not None:
                    action.refresh_from_db()
    elif action is not None:
        form = ActionForm(areas=selectors.areas_for(scope), initial={"version": action.version, "area": action.area_id, "title": action.title,
                                   "owner": action.owner, "quarter": action.quarter, "status": action.status,
                                   "evidence": action.evidence, "metrics": action.metrics})
    else:
        form = ActionForm(areas=selectors.areas_for(scope), initial={"area": request.GET.get("area")})
    return render(request, "dashboard/action_form.html", {"form": form, "action": action})
