import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from sendhub.accounts.models import Role
from sendhub.audit.models import AuditAction
from sendhub.audit.services import channel_of, record
from sendhub.web.child_access import get_child_or_404
from sendhub.web.forms import apply_service_errors

from . import services
from .forms import RequestForm
from .models import EvidenceDocument


@login_required
def request_assessment(request, child_pk: int):
    child = get_child_or_404(request, child_pk, audit_summary="Opened the request for an assessment")
    if not rules.has_perm("assessments.request_assessment", request.user, child):
        raise PermissionDenied
    chooses = request.user.role in {Role.CASEWORKER, Role.TEAM_MANAGER}
    must_tell = services.REQUESTER_FOR_ROLE.get(request.user.role) in services.EVIDENCE_REQUIRED
    form = RequestForm(request.POST or None, request.FILES or None, requester_chooses=chooses,
                       family_must_be_told=must_tell)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.request_assessment(
                actor=request.user, child=child, needs=data["needs"], support_so_far=data["support_so_far"],
                views=data["views"], files=data["evidence"], requested_by=data.get("requested_by") or None,
                family_told=data.get("told_family", False), request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Your request has been sent. The council must decide whether to assess "
                                      "within 6 weeks: the date is shown below.")
            return redirect("clock:assessment", pk=assessment.pk)
    return render(request, "assessments/request.html", {"form": form, "child": child})


def _send_document(request, assessment, document):
    """Documents are part of the child's record: the same scoping, and every download audited."""
    if document is None:
        raise Http404("No document found")
    record(actor=request.user, action=AuditAction.EXPORT, channel=channel_of(request), obj=document,
           child=assessment.child, summary=f"Downloaded {document.original_name}", path=request.path)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)


@login_required
def evidence_download(request, pk: int, doc_pk: int):
    from sendhub.clock.views import get_case_or_404

    assessment = get_case_or_404(request, "assessment", pk)
    return _send_document(request, assessment, EvidenceDocument.objects.filter(pk=doc_pk, assessment=assessment).first())


@login_required
def advice_attachment_download(request, pk: int, doc_pk: int):
    from sendhub.clock.views import get_case_or_404

    from .models import AdviceAttachment

    assessment = get_case_or_404(request, "assessment", pk)
    return _send_document(request, assessment,
                          AdviceAttachment.objects.filter(pk=doc_pk, advice__assessment=assessment).first())


@login_required
def ask_for_advice(request, pk: int):
    from django.db.models import Q

    from sendhub.accounts.models import User
    from sendhub.clock.views import get_case_or_404
    from sendhub.organisations.models import Team
    from sendhub.people.rules import is_caseworker_for_child

    from .forms import AdviceRequestForm

    assessment = get_case_or_404(request, "assessment", pk)
    if not is_caseworker_for_child(request.user, assessment.child):
        raise PermissionDenied
    la = assessment.child.local_authority
    area = Q(organisation=la) | Q(organisation__local_authority=la)
    people = (User.objects.filter(area, is_active=True,
                                  role__in=[Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE, Role.SENCO, Role.CASEWORKER])
              .select_related("organisation").order_by("role", "full_name"))
    teams = Team.objects.filter(Q(organisation=la) | Q(organisation__local_authority=la)).select_related("organisation")
    form = AdviceRequestForm(request.POST or None, people=people, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_advice(actor=request.user, assessment=assessment, source=data["source"],
                                    asked_of=data["asked_of"], asked_of_team=data["asked_of_team"],
                                    message=data["message"], requested_on=data["requested_on"], request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Advice requested. They have 6 weeks: the date is shown below.")
            return redirect("clock:assessment", pk=assessment.pk)
    return render(request, "assessments/ask_for_advice.html", {"form": form, "assessment": assessment})


@login_required
def advice_workspace(request):
    from sendhub.audit.services import record_children_shown

    from .selectors import advice_visible_to, with_deadlines

    asked = with_deadlines(advice_visible_to(request.user).order_by("given_on", "requested_on"))
    record_children_shown(request=request, children=[a.assessment for a in asked], summary="Saw in advice asked of me")
    return render(request, "assessments/advice_workspace.html", {
        "waiting": [a for a in asked if a.given_on is None], "given": [a for a in asked if a.given_on]})


@login_required
def give_advice(request, pk: int):
    from sendhub.audit.services import record_denied, record_view

    from .forms import GiveAdviceForm
    from .models import AdviceRequest
    from .selectors import advice_visible_to, with_deadlines

    # Only a request asked of this person about a child they may see now (ADR 2): anything else is
    # "not found", and the attempt is audited like every other refusal.
    advice = next(iter(with_deadlines(advice_visible_to(request.user).filter(pk=pk))), None)
    if advice is None:
        record_denied(request=request, object_type=AdviceRequest._meta.label, object_id=str(pk))
        raise Http404("No advice request found")
    record_view(request=request, child=advice.assessment.child, obj=advice, summary="Opened a request for advice")
    form = GiveAdviceForm(request.POST or None, request.FILES or None) if advice.given_on is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.give_advice(actor=request.user, advice=advice, needs=data["needs"], outcomes=data["outcomes"],
                                 provision=data["provision"], files=data["attachments"], request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Thank you: your advice has been sent to the caseworker.")
            return redirect("assessments:advice")
    return render(request, "assessments/give_advice.html", {
        "advice": advice, "form": form,
        "evidence": advice.assessment.evidence.all()})
