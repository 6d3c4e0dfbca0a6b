import logging

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.db import DatabaseError, connection
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache


from sendhub.accounts.models import Role
from sendhub.audit.selectors import record_history
from sendhub.audit.services import record_children_shown
from sendhub.people import services as people_services
from sendhub.people.selectors import children_visible_to, latest_sharing_consent, search_children

from sendhub.messaging.models import Notification
from sendhub.messaging.selectors import name_children
from sendhub.portal.family import child_card
from sendhub.portal.selectors import child_cases

from . import figures
from .child_access import get_child_or_404, require_perm
from .child_forms import ChildForm, SharingConsentForm
from .forms import apply_service_errors

logger = logging.getLogger(__name__)


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/start.html")
    user = request.user
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    context = {"notifications": name_children(unread.select_related("child")[:10], user),
               "notification_count": unread.count()}
    if user.role in {Role.FAMILY, Role.YOUNG_PERSON}:
        children = list(children_visible_to(user).select_related("setting", "local_authority").prefetch_related("plans"))
        context["children"] = children
        context["cards"] = [child_card(child, user) for child in children]  # now, next, who, by when, the action
    elif rules.has_perm("people.view_child_list", user):
        context["child_count"] = children_visible_to(user).count()
    if rules.has_perm("messaging.work_post_tray", user):
        from sendhub.messaging.selectors import post_tray

        context["post_waiting"] = post_tray(user).count()
    return render(request, "web/home.html", context)


@login_required
def children(request):
    require_perm(request, "people.view_child_list")
    query = request.GET.get("q", "")
    queryset = search_children(children_visible_to(request.user), query).select_related("setting")
    page = Paginator(queryset.order_by("family_name", "given_name", "pk"), 50).get_page(request.GET.get("page"))
    record_children_shown(request=request, children=page.object_list, summary="Saw in the children list", search=query)
    return render(request, "web/children.html", {"page": page, "query": query,
                                                 "can_add": rules.has_perm("people.add_child", request.user)})


@login_required
def child_detail(request, pk: int):
    child = get_child_or_404(request, pk)
    user = request.user
    context = {
        "child": child,
        "is_staff_view": rules.has_perm("people.view_child_list", user),
        "can_change": rules.has_perm("people.change_child", user, child),
        "can_set_consent": rules.has_perm("people.set_sharing_consent", user, child),
        "can_manage_family_accounts": rules.has_perm("accounts.manage_parents", user, child),
        "can_invite_family": rules.has_perm("accounts.invite_family", user, child),
        "can_request_assessment": rules.has_perm("assessments.request_assessment", user, child)
        and not any(p.status == "active" for p in child.plans.all())
        and not child.assessments.filter(outcome="open").exists(),
        "consent": latest_sharing_consent(child),
        "history": record_history(child)[:50],
        "involvements": [i for i in child.involvements.all() if i.is_active()],
        "family": child.family_members.all(),
        "plans": child.plans.all(),
        "can_ask_early_review": any(p.status == "active" for p in child.plans.all())
        and rules.has_perm("reviews.request_early_review", user, child),
        "can_refer_transition": child.age() >= 14 and rules.has_perm("reviews.refer_for_transition", user, child),
        "cases": child_cases(child),  # the same list, worked out the same way, as the family's tracker
        "referrals": sorted(child.referrals.all(), key=lambda r: (r.seen_on is not None or r.removed_on is not None,
                                                                  r.referred_on)),
        # Where the record came from, when a SEN2 return was imported (sendhub.sen2)
        "sources": child.sen2_sources.filter(model="people.child").select_related("run"),
    }
    if not context["is_staff_view"]:  # the family's status card, the same as on their home page
        context["card"] = child_card(child, user)
    return render(request, "web/child_detail.html", context)


@login_required
def child_add(request):
    require_perm(request, "people.add_child")
    form = ChildForm(request.POST or None, local_authority=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            child = people_services.register_child(actor=request.user, details=form.details(), request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{child.full_name} has been recorded")
            return redirect("web:child", pk=child.pk)
    return render(request, "web/child_form.html", {"form": form, "adding": True})


@login_required
def child_edit(request, pk: int):
    child = get_child_or_404(request, pk, audit_summary="Opened the child's details to change them")
    require_perm(request, "people.change_child", child)
    form = ChildForm(request.POST or None, local_authority=child.local_authority, instance=child)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.update_child(
                actor=request.user, child=child, details=form.details(),
                expected_version=form.cleaned_data["version"], request=request,
            )
        except people_services.ConcurrentEditError as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The child's details have been updated")
            return redirect("web:child", pk=child.pk)
    return render(request, "web/child_form.html", {"form": form, "child": child, "adding": False})


@login_required
def sharing_consent(request, pk: int):
    child = get_child_or_404(request, pk, audit_summary="Opened sharing choices")
    require_perm(request, "people.set_sharing_consent", child)
    current = latest_sharing_consent(child)
    form = SharingConsentForm(request.POST or None, initial={
        "parents_may_view": "yes" if current is None or current.parents_may_view else "no"})
    if request.method == "POST" and form.is_valid():
        try:
            people_services.record_sharing_consent(
                actor=request.user, child=child, parents_may_view=form.cleaned_data["parents_may_view"] == "yes",
                request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Your choice has been saved")
            return redirect("web:child", pk=child.pk)
    return render(request, "web/sharing_consent.html", {"form": form, "child": child})


@login_required
def area_figures(request):
    require_perm(request, "people.view_area_figures")
    organisation = request.user.organisation
    return render(request, "web/area_figures.html", {"figures": figures.area_figures(organisation)})


def council_details() -> dict:
    """The council's details for the privacy notice and accessibility statement, from settings (README: Settings)."""
    from datetime import date

    def day(text: str):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text

    return {
        "name": settings.COUNCIL_NAME, "address": settings.COUNCIL_ADDRESS,
        "send_team_email": settings.COUNCIL_SEND_TEAM_EMAIL, "send_team_telephone": settings.COUNCIL_SEND_TEAM_TELEPHONE,
        "dpo_name": settings.COUNCIL_DPO_NAME, "dpo_email": settings.COUNCIL_DPO_EMAIL,
        "dpo_address": settings.COUNCIL_DPO_ADDRESS, "ico_registration": settings.COUNCIL_ICO_REGISTRATION,
        "advice_name": settings.COUNCIL_ADVICE_SERVICE_NAME, "advice_telephone": settings.COUNCIL_ADVICE_SERVICE_TELEPHONE,
        "advice_email": settings.COUNCIL_ADVICE_SERVICE_EMAIL, "advice_website": settings.COUNCIL_ADVICE_SERVICE_WEBSITE,
        "statement_prepared": day(settings.ACCESSIBILITY_STATEMENT_PREPARED),
        "statement_reviewed": day(settings.ACCESSIBILITY_STATEMENT_REVIEWED),
    }


def accessibility(request):
    return render(request, "web/accessibility.html", {"council": council_details()})


def privacy(request):
    return render(request, "web/privacy.html", {"council": council_details(),
                                                "session_hours": settings.SESSION_COOKIE_AGE // 3600})


@never_cache
def healthz(request):
    """Liveness: the process answers. Touches nothing else, so a database outage does not get every
    web process restarted by the supervisor (that is what /readyz is for)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: this process can serve pages, which needs the database. 503 when it cannot reach it,
    so a load balancer sends traffic elsewhere and monitoring raises the alarm."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("readiness check failed: the database is not reachable")
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


def _error(request, status: int, detail: str, *, with_request: bool = True):
    """API callers get JSON errors, as the OpenAPI document says; people get a GOV.UK error page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": {}}, status=status)
    if not with_request:
        # After a server error the database may be the thing that failed: render without the
        # request's context processors (the signed-in user, the menu), which would query it.
        html = loader.render_to_string(f"errors/{status}.html", {
            "partnership_name": settings.PARTNERSHIP_NAME, "service_name": settings.SERVICE_NAME})
        return HttpResponse(html, status=status)
    return render(request, f"errors/{status}.html", status=status)


def error_404(request, exception=None):
    return _error(request, 404, "Not found")


def error_403(request, exception=None):
    return _error(request, 403, "Forbidden")


def error_400(request, exception=None):
    return _error(request, 400, "Bad request")


def error_500(request):
    return _error(request, 500, "Server error", with_request=False)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent without a valid security token (usually an old page,
    or cookies blocked) gets the GOV.UK page explaining what to do, not Django's."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "CSRF verification failed", "errors": {}}, status=403)
    return render(request, "errors/csrf.html", status=403)
