"""Waiting lists: clinicians manage their provider's lists, families see their child's place, leaders see figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from sendhub.audit.services import record_children_shown, record_denied, record_view
from sendhub.organisations.models import HealthService
from sendhub.web.child_access import get_child_or_404, require_perm
from sendhub.web.forms import apply_service_errors

from . import selectors, services
from .forms import DateForm, DischargeForm, ImportForm, NewReferralForm, RemoveForm, TransferForm, TriageForm, WhatIfForm
from .models import Referral

PAGE_SIZE = 100


def _service_or_404(request, pk: int) -> HealthService:
    service = selectors.services_managed_by(request.user).filter(pk=pk).first()
    if service is None:
        record_denied(request=request, object_type=HealthService._meta.label, object_id=str(pk))
        raise Http404("No waiting list found")
    return service


def _referral_or_404(request, pk: int) -> Referral:
    referral = selectors.referral_for_clinician(request.user, pk)
    if referral is None:
        record_denied(request=request, object_type=Referral._meta.label, object_id=str(pk))
        raise Http404("No referral found")
    return referral


# --------------------------------------------------------------------------- clinicians


@login_required
def lists(request):
    require_perm(request, "waits.manage_lists")
    services_ = list(selectors.services_managed_by(request.user))
    figures = {f.service.pk: f for f in selectors.list_figures(services_)} if services_ else {}
    return render(request, "waits/lists.html", {
        "provider": selectors.provider_of(request.user),
        "rows": [(s, figures.get(s.pk)) for s in services_]})


@login_required
def waiting_list(request, pk: int):
    service = _service_or_404(request, pk)
    ordered = selectors.waiting_list_order(service)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [pk for pk, _ in page.object_list]
    by_pk = Referral.objects.select_related("child").in_bulk(ids)
    rows = [(by_pk[pk], placement) for pk, placement in page.object_list if pk in by_pk]
    record_children_shown(request=request, children=[r for r, _ in rows],
                          summary=f"Saw on the waiting list for {service.name}")
    return render(request, "waits/waiting_list.html", {"service": service, "page": page, "rows": rows,
                                                       "today": timezone.localdate()})


@login_required
def referral_detail(request, pk: int):
    referral = _referral_or_404(request, pk)
    record_view(request=request, child=referral.child, obj=referral,
                summary=f"Looked at referral {referral.reference} to {referral.service.name}")
    placement = selectors.placements([referral]).get(referral.pk)
    return render(request, "waits/referral_detail.html", {
        "referral": referral, "placement": placement, "events": selectors.events_of(referral),
        "actions": _available_actions(referral)})


ACTIONS = {
    "triage": ("Triage", services.triage),
    "first-appointment": ("Record the first appointment (clock stop)", services.first_appointment),
    "treatment": ("Record the start of treatment", services.start_treatment),
    "discharge": ("Discharge", services.discharge),
    "remove": ("Remove from the list", services.remove),
    "transfer": ("Move to another pathway", services.transfer),
}


def _available_actions(referral: Referral) -> list[tuple[str, str]]:
    if referral.waiting:
        names = ["triage", "first-appointment", "transfer", "remove"]
    elif referral.seen_on and not referral.discharged_on:
        names = (["treatment"] if not referral.treatment_started_on else []) + ["discharge"]
    else:
        names = []
    return [(name, ACTIONS[name][0]) for name in names]


def _action_form(action: str, referral: Referral, data):
    initial = {"version": referral.version, "on": timezone.localdate()}
    if action == "triage":
        return TriageForm(data, initial={**initial, "priority": referral.priority, "note": referral.triage_note})
    if action == "discharge":
        return DischargeForm(data, initial=initial, label="Date of discharge")
    if action == "remove":
        return RemoveForm(data, initial=initial, label="Date removed")
    if action == "transfer":
        others = HealthService.objects.filter(provider_id=referral.service.provider_id).exclude(pk=referral.service_id)
        return TransferForm(data, initial=initial, label="Date of the move", services=others)
    label = {"first-appointment": "Date of the first appointment", "treatment": "Date treatment started"}[action]
    return DateForm(data, initial=initial, label=label)


@login_required
def referral_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404("No such action")
    referral = _referral_or_404(request, pk)
    title, service_function = ACTIONS[action]
    form = _action_form(action, referral, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service_function(actor=request.user, referral=referral, request=request, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{title}: saved for referral {referral.reference}")
            return redirect("waits:referral", pk=referral.pk)
    record_view(request=request, child=referral.child, obj=referral, summary=f"Opened '{title}' for {referral.reference}")
    return render(request, "waits/action.html", {"referral": referral, "form": form, "title": title, "action": action})


@login_required
def new_referral(request, pk: int):
    service = _service_or_404(request, pk)
    form = NewReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:  # the child is found by NHS number and date of birth together, and named only once both match
            referral = services.add_referral(
                actor=request.user, service=service, nhs_number=data["nhs_number"],
                date_of_birth=data["date_of_birth"], reference=data["reference"], priority=data["priority"],
                referred_on=data["referred_on"], received_on=data["received_on"], request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} added to {service.name}")
            return redirect("waits:referral", pk=referral.pk)
    return render(request, "waits/new_referral.html", {"service": service, "form": form})


@login_required
def import_list(request):
    require_perm(request, "waits.manage_lists")
    provider = selectors.provider_of(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_list(actor=request.user, provider=provider, content=upload,
                                          filename=upload.name, request=request)
        except services.ImportRefused as refused:
            result = refused.result
            form.add_error("file", result.refused or f"Nothing was imported: {len(result.errors)} "
                                                      f"problem{'s' if len(result.errors) != 1 else ''} in the file "
                                                      "are listed below. Correct them and upload the file again.")
        else:
            messages.success(request, f"{result.rows} referrals imported ({result.waiting} waiting)")
            return redirect("waits:lists")
    return render(request, "waits/import.html", {
        "form": form, "result": result, "provider": provider, "columns": services.IMPORT_COLUMNS,
        "services": selectors.services_managed_by(request.user)})


# --------------------------------------------------------------------------- families


@login_required
def family_referral(request, child_pk: int, pk: int):
    child = get_child_or_404(request, child_pk, audit_summary="Looked at a referral's place on a waiting list")
    referral = child.referrals.select_related("service", "service__provider").filter(pk=pk).first()
    if referral is None:
        record_denied(request=request, object_type=Referral._meta.label, object_id=str(pk))
        raise Http404("No referral found")
    from sendhub.portal.selectors import local_offer_link

    (figures,) = selectors.list_figures([referral.service])
    return render(request, "waits/family_referral.html", {
        "child": child, "wait": selectors.family_wait(referral), "referral": referral, "figures": figures,
        "local_offer": local_offer_link(child, while_waiting=True), "today": timezone.localdate(),
        "staff_link": reverse("waits:referral", kwargs={"pk": referral.pk})
        if selectors.services_managed_by(request.user).filter(pk=referral.service_id).exists() else ""})


# --------------------------------------------------------------------------- figures


@login_required
def figures(request):
    require_perm(request, "waits.view_figures")
    rows = selectors.list_figures(selectors.services_for_figures(request.user).order_by("provider__name", "name"))
    return render(request, "waits/figures.html", {"rows": rows, "today": timezone.localdate()})


@login_required
def service_figures(request, pk: int):
    service = get_object_or_404(selectors.services_for_figures(request.user), pk=pk)
    require_perm(request, "waits.view_service_figures", service)
    (current,) = selectors.list_figures([service])
    form = WhatIfForm(request.GET if request.GET else None, clinicians=service.clinicians)
    what_if = None
    if form.is_bound and form.is_valid():
        multiplier = selectors.multiplier_for(service, extra_clinicians=form.cleaned_data.get("extra_clinicians"),
                                              percent=form.cleaned_data.get("percent"))
        what_if = selectors.what_if(service, multiplier)
    return render(request, "waits/service_figures.html", {
        "service": service, "figures": current, "form": form, "what_if": what_if,
        "rows": list(zip(current.forecast, (what_if or current).what_if_forecast, strict=False))})



@login_required
def service_details(request, pk: int | None = None):
    """Add a waiting list, or change one's standard, help while waiting, contact and clinicians."""
    from .forms import ServiceForm

    require_perm(request, "waits.manage_lists")
    provider = selectors.provider_of(request.user)
    service = _service_or_404(request, pk) if pk else None
    initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS} | {"version": service.version} \
        if service else {}
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            saved = services.save_service(actor=request.user, provider=provider, service=service, values=data,
                                          expected_version=version, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{saved.name}: details saved")
            return redirect("waits:list", pk=saved.pk)
    return render(request, "waits/service_details.html", {"form": form, "service": service, "provider": provider})
