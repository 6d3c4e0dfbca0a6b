"""How each person is reached (recorded by the caseworker) and the council's post tray."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from sendhub.audit.models import AuditAction
from sendhub.audit.services import channel_of, record, record_children_shown, record_denied
from sendhub.people import services as people_services
from sendhub.people.models import FamilyMember
from sendhub.web.child_access import get_child_or_404, require_perm
from sendhub.web.forms import apply_service_errors

from . import deliveries as delivery_services
from .forms import PostedForm, RoutesForm
from .models import Delivery
from .selectors import post_tray as tray_for


def _edit_routes(request, child, person, name: str):
    form = RoutesForm(request.POST or None, initial={field: getattr(person, field)
                                                     for field in people_services.ROUTE_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            people_services.set_contact_routes(actor=request.user, person=person, values=form.cleaned_data,
                                               request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"How {name} receives letters and plans has been saved")
            return redirect("manage:child-family", pk=child.pk)
    return render(request, "messaging/routes.html", {
        "child": child, "name": name, "form": form, "has_account": people_services.has_own_account(person)},
        status=400 if form.errors else 200)


@login_required
def member_routes(request, pk: int, member_pk: int):
    child = get_child_or_404(request, pk, audit_summary="Opened how a family member is reached")
    require_perm(request, "people.change_child", child)
    member = get_object_or_404(FamilyMember.objects.select_related("user"), pk=member_pk, child=child)
    return _edit_routes(request, child, member, member.full_name)


@login_required
def young_person_routes(request, pk: int):
    child = get_child_or_404(request, pk, audit_summary="Opened how the young person is reached")
    require_perm(request, "people.change_child", child)
    return _edit_routes(request, child, child, child.full_name)


def _require_tray(request):
    import rules

    if not rules.has_perm("messaging.work_post_tray", request.user):
        raise PermissionDenied


@login_required
def post_tray(request):
    """Packs waiting to be posted for this council: print each, post it, then mark it posted with the date."""
    _require_tray(request)
    tray = tray_for(request.user)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("only"):
        data.setlist("deliveries", [data["only"]])
    today = timezone.localdate()
    form = PostedForm(data, tray=tray, initial={"posted_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            done = delivery_services.mark_posted(actor=request.user, deliveries=form.cleaned_data["deliveries"],
                                                 posted_on=form.cleaned_data["posted_on"], request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{len(done)} marked as posted on {done[0].posted_on:%-d %B %Y}"
                              if len(done) > 1 else done[0].status_text())
            return redirect("messaging:post-tray")
    waiting = list(tray)
    record_children_shown(request=request, children=waiting, summary="Saw on the post tray")
    return render(request, "messaging/post_tray.html", {"waiting": waiting, "form": form, "today": today},
                  status=400 if form.errors else 200)


@login_required
def print_pack(request, pk: int):
    """One addressed PDF: the letter, then the plan. Only packs on this person's council's tray."""
    _require_tray(request)
    delivery = tray_for(request.user).filter(pk=pk).select_related("child__local_authority").first()
    if delivery is None:
        record_denied(request=request, object_type=Delivery._meta.label, object_id=str(pk))
        raise Http404("No pack found")
    record(actor=request.user, action=AuditAction.EXPORT, channel=channel_of(request), obj=delivery,
           child=delivery.child, summary=f"Printed the pack for {delivery.recipient_name}: {delivery.what.lower()}",
           path=request.path)
    response = HttpResponse(delivery_services.pack_pdf(delivery), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="pack-{delivery.pk}.pdf"'
    return response
