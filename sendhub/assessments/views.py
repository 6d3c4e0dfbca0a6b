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


@login_required
def evidence_download(request, pk: int, doc_pk: int):
    """Documents are part of the child's record: the same scoping, and every download audited."""
    from sendhub.clock.views import get_case_or_404

    assessment = get_case_or_404(request, "assessment", pk)
    document = EvidenceDocument.objects.filter(pk=doc_pk, assessment=assessment).first()
    if document is None:
        raise Http404("No document found")
    record(actor=request.user, action=AuditAction.EXPORT, channel=channel_of(request), obj=document,
           child=assessment.child, summary=f"Downloaded {document.original_name}", path=request.path)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)
