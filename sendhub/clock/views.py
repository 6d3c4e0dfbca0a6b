from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from sendhub.assessments.forms import DecisionForm
from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.assessments.selectors import with_deadlines
from sendhub.assessments.services import decisions_open, record_decision
from sendhub.audit.services import record_children_shown, record_denied, record_view
from sendhub.messaging.models import Notification
from sendhub.people.models import InvolvementRole
from sendhub.people.rules import is_caseworker_for_child
from sendhub.people.selectors import children_visible_to
from sendhub.plans.services import issuable_kinds
from sendhub.reviews.models import AnnualReview
from sendhub.web.child_access import require_perm
from sendhub.web.forms import apply_service_errors

from . import services
from .cases import deadline_rows
from .forms import RecordEventForm
from .models import Reminder
from .rules import child_of, recordable_types
from .selectors import deadline_queue

CASE_MODELS = {"assessment": EHCNeedsAssessment, "review": AnnualReview}
RELATED = {"assessment": ["child__setting", "requested_by_user"], "review": ["plan__child__setting"]}


def get_case_or_404(request, kind: str, pk: int):
    """A case exists for a person only if its child does (same scoping as the child's record)."""
    model = CASE_MODELS[kind]
    visible = children_visible_to(request.user).values("pk")
    child_filter = {"child__in": visible} if kind == "assessment" else {"plan__child__in": visible}
    case = (model.objects.filter(pk=pk, **child_filter).select_related(*RELATED[kind])
            .prefetch_related("events__recorded_by", *(["evidence"] if kind == "assessment" else [])).first())
    if case is None:
        record_denied(request=request, object_type=model._meta.label, object_id=str(pk))
        raise Http404("No case found")
    record_view(request=request, child=child_of(case), obj=case, summary=f"Looked at the {kind} deadlines")
    return case


@login_required
def case_detail(request, kind: str, pk: int):
    case = get_case_or_404(request, kind, pk)
    Reminder.objects.filter(recipient=request.user, read_at__isnull=True, **{kind: case}).update(
        read_at=timezone.now())  # opening the case is acting on its reminders
    Notification.objects.filter(recipient=request.user, read_at__isnull=True, link=request.path).update(
        read_at=timezone.now())
    allowed = recordable_types(request.user, case)
    decisions = (decisions_open(case) if kind == "assessment"
                 and is_caseworker_for_child(request.user, case.child) else [])
    action = request.POST.get("action", "record") if request.method == "POST" else None
    if action and not (allowed if action == "record" else decisions):
        raise PermissionDenied
    form = RecordEventForm(request.POST if action == "record" else None, allowed_types=allowed) if allowed else None
    decision_form = DecisionForm(request.POST if action == "decide" else None, choices=decisions) if decisions else None
    bound = form if action == "record" else decision_form
    if action and bound.is_valid():
        try:
            if action == "record":
                services.record_what_happened(actor=request.user, case=case, request=request,
                                              **bound.cleaned_data)
                messages.success(request, "Recorded. The deadlines below have been worked out again.")
            else:
                data = bound.cleaned_data
                letter = record_decision(actor=request.user, assessment=case, decision=data["decision"],
                                         reasons=data["reasons"], decided_on=data["decided_on"], request=request)
                messages.success(request, "Decision recorded" + (f": the letter “{letter.title}” has been written."
                                                                 if letter else "."))
        except ValidationError as error:
            apply_service_errors(bound, error)
        else:
            return redirect(request.path)
    return render(request, "clock/case_detail.html", {
        "case": case, "kind": kind, "child": child_of(case), "form": form, "decision_form": decision_form,
        "error_form": bound if action else None,
        "deadlines": deadline_rows(case), "events": case.events.all(), "today": timezone.localdate(),
        "letters": case.letters.all() if kind == "assessment" else [],
        "advice_requests": with_deadlines(case.advice_requests.select_related("asked_of", "asked_of_team")
                                          .prefetch_related("attachments")) if kind == "assessment" else [],
        "can_draft_plan": bool(issuable_kinds(case, kind)) and is_caseworker_for_child(request.user, child_of(case)),
        "can_ask_for_advice": kind == "assessment" and case.outcome == "open"
        and is_caseworker_for_child(request.user, case.child),
        "show": {"source": "advice_requested" in allowed, "exception": "exception" in allowed},
    })


@login_required
def queue(request):
    """The caseworker's queue: every open case, by the next statutory date, filtered as they need."""
    from sendhub.accounts.models import Role, User
    from sendhub.organisations.models import Organisation, OrganisationKind
    from sendhub.people.models import Need

    from .cases import STAGES

    require_perm(request, "clock.view_queue")
    user = request.user
    children = children_visible_to(user)
    filters = {key: request.GET.get(key, "") for key in ("stage", "setting", "need", "caseworker")}
    if user.role == Role.CASEWORKER and "caseworker" not in request.GET:
        filters["caseworker"] = str(user.pk)  # a caseworker starts from their own cases
    if filters["setting"].isdigit():
        children = children.filter(setting_id=int(filters["setting"]))
    if filters["need"] in Need.values:
        children = children.filter(primary_need=filters["need"])
    if filters["caseworker"].isdigit():
        children = children.filter(involvements__professional_id=int(filters["caseworker"]),
                                   involvements__role=InvolvementRole.CASEWORKER,
                                   involvements__ended_on__isnull=True).distinct()
    show = request.GET.get("show", "4weeks")
    rows = deadline_queue(children, overdue_only=show == "overdue", within_days=28 if show == "4weeks" else None,
                          stage=filters["stage"] if filters["stage"] in STAGES else "")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    record_children_shown(request=request, children=page.object_list, summary="Saw in the deadlines list")
    is_la = user.role in {Role.CASEWORKER, Role.TEAM_MANAGER, Role.QA_OFFICER}
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "clock/queue.html", {
        "page": page, "show": show, "count": len(rows), "filters": filters, "stages": STAGES.items(),
        "needs": Need.choices, "query": query.urlencode(),
        "settings": Organisation.objects.filter(kind=OrganisationKind.SCHOOL, local_authority=user.organisation)
        .order_by("name") if is_la else [],
        "caseworkers": User.objects.filter(role=Role.CASEWORKER, organisation=user.organisation, is_active=True)
        .order_by("full_name") if is_la else [],
    })
