"""The integration API. Every operation starts from the caller's scoped queryset and is audited."""

import rules
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from ninja import NinjaAPI, Query, Router, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from sendhub.accounts.models import TokenScope
from sendhub.accounts.services import token_for
from sendhub.audit.selectors import record_history
from sendhub.audit.services import record_children_shown
from sendhub.clock.cases import deadline_rows
from sendhub.clock.selectors import cases_of_child
from sendhub.organisations.models import Organisation, OrganisationKind
from sendhub.people import services as people_services
from sendhub.people.models import Child
from sendhub.people.selectors import children_visible_to, search_children
from sendhub.web.child_access import get_child_or_404

from .audiences import PRESENTERS, Audience, presenter_for
from .schemas import (
    AuditOut, CaseOut, ChildIn, ChildOut, ChildPage, ChildUpdateIn, CouncilChildOut, ErrorOut, InvolvementOut, MeOut,
    ReferralOut,
)

PAGE_SIZE = 100


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyToken(Exception):
    """A read-only token was used for an operation that records or changes something."""


class TokenAuth(HttpBearer):
    """A valid token (not revoked, not expired, its user active and not paused by sign-in throttling);
    operations other than reads also need a token with the write scope (docs/accounts-security.md)."""

    openapi_description = (
        "A token from `sendhub token EMAIL` (an operator command). Scopes: `read` (default: GET only) or `write`"
        " (also POST and PUT). Tokens expire after 90 days unless issued otherwise. 401: missing, unknown, expired or"
        " revoked token, deactivated user, or sign-in paused after repeated failures. 403: a read-only token used"
        " for a write operation.")

    def authenticate(self, request, token):
        api_token = token_for(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        if request.method not in READ_METHODS and api_token.scope != TokenScope.WRITE:
            raise ReadOnlyToken()
        return api_token.user


api = NinjaAPI(
    title="sendhub API",
    version="1",
    description="Integration API for a local area SEND partnership. Authenticate with `Authorization: Bearer <token>`."
    " An operator issues tokens on the server with `sendhub token EMAIL [--scope read|write] [--expires-in-days N]`."
    " Tokens expire (90 days unless the operator chose otherwise) and are read-only unless issued with the write"
    " scope: a read-only token gets 403 from every operation that records or changes something (POST, PUT, PATCH,"
    " DELETE). An expired or revoked token, a deactivated user or an account whose sign-in is paused after"
    " repeated failures gets 401. A caller sees only what its user may see.",
    auth=TokenAuth(),
    urls_namespace="api",
)


# Every operation can refuse a missing token (401) and input that does not fit its schema (422).
COMMON = {401: ErrorOut, 422: ErrorOut}
# Operations with a JSON body also refuse a body that is not JSON at all (400).
WITH_BODY = {**COMMON, 400: ErrorOut}


@api.exception_handler(NinjaValidationError)
def invalid_request(request, exc):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        # loc is like ("body", "payload", "date_of_birth"): name the field as the caller sent it
        field = ".".join(str(part) for part in item.get("loc", [])[1:] if part != "payload") or "__all__"
        errors.setdefault(field, []).append(item.get("msg", "Invalid value"))
    return api.create_response(request, {"detail": "The request is not valid", "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return api.create_response(request, {"detail": "Give a valid API token: Authorization: Bearer <token>", "errors": {}},
                               status=401)


@api.exception_handler(ReadOnlyToken)
def read_only_token(request, exc):
    return api.create_response(request, {"detail": "This token can only read: ask your administrator for a token with"
                                         " the write scope", "errors": {}}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found", "errors": {}}, status=404)


def _service_errors(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {"detail": "The request is not valid", "errors": error.message_dict}
    return {"detail": " ".join(error.messages), "errors": {"__all__": error.messages}}


def _details(payload: ChildIn, local_authority_id: int) -> people_services.ChildDetails:
    setting_id = None
    if payload.setting_urn is not None:
        setting = Organisation.objects.filter(urn=payload.setting_urn, kind=OrganisationKind.SCHOOL).first()
        if setting is None:
            raise ValidationError({"setting_urn": "No school or setting has this URN"})
        setting_id = setting.pk
    data = payload.dict(exclude={"setting_urn", "version"})
    return people_services.ChildDetails(**data, local_authority_id=local_authority_id, setting_id=setting_id)


me_router = Router(tags=["you"])
children_router = Router(tags=["children"])


@me_router.get("", response={200: MeOut, **COMMON}, summary="The account the token belongs to")
def me(request):
    user = request.user
    return Status(200, {"email": user.email, "full_name": user.full_name, "role": user.role,
                 "organisation": user.organisation.name if user.organisation else None})


@children_router.get("", response={200: ChildPage, 403: ErrorOut, **COMMON}, summary="Children you may see")
def list_children(request, q: str = "", page: int = Query(1, ge=1)):
    if not rules.has_perm("people.view_child_list", request.user):
        return Status(403, {"detail": "Your role cannot list children", "errors": {}})
    queryset = search_children(children_visible_to(request.user), q).select_related("local_authority", "setting")
    paginator = Paginator(queryset.order_by("family_name", "given_name", "pk"), PAGE_SIZE)
    current = paginator.get_page(page)
    present = presenter_for(request.user)
    record_children_shown(request=request, children=current.object_list, summary="Listed through the API", search=q)
    return Status(200, {"count": paginator.count, "page": current.number, "pages": paginator.num_pages,
                 "items": [present.child(child) for child in current.object_list]})


@children_router.post("", response={201: CouncilChildOut, 403: ErrorOut, **WITH_BODY}, summary="Record a child")
def create_child(request, payload: ChildIn):
    if not rules.has_perm("people.add_child", request.user):
        return Status(403, {"detail": "Only a local authority caseworker can record a child", "errors": {}})
    try:
        child = people_services.register_child(
            actor=request.user, details=_details(payload, request.user.organisation_id), request=request)
    except ValidationError as error:
        return Status(422, _service_errors(error))
    return Status(201, PRESENTERS[Audience.COUNCIL].child(child))  # only the council records a child


@children_router.get("/{int:child_id}", response={200: ChildOut, 404: ErrorOut, **COMMON}, summary="One child",
                     description="Shaped for the caller (`audience`): a family gets what the family's page shows, a "
                                 "professional what the staff page shows, the council the whole record it keeps.")
def get_child(request, child_id: int):
    child = get_child_or_404(request, child_id, audit_summary="Read the child's record")
    return Status(200, presenter_for(request.user).child(child))


@children_router.put(
    "/{int:child_id}",
    response={200: CouncilChildOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, **WITH_BODY},
    summary="Change a child's details",
    description="Send the `version` you read; if someone changed the record since, you get 409 and nothing is saved.",
)
def update_child(request, child_id: int, payload: ChildUpdateIn):
    child = get_child_or_404(request, child_id, audit_summary="Read the child's record to change it")
    if not rules.has_perm("people.change_child", request.user, child):
        return Status(403, {"detail": "You cannot change this child's details", "errors": {}})
    try:
        updated = people_services.update_child(
            actor=request.user, child=child, details=_details(payload, child.local_authority_id),
            expected_version=payload.version, request=request)
    except people_services.ConcurrentEditError as conflict:
        return Status(409, {"detail": str(conflict), "errors": {}})
    except ValidationError as error:
        return Status(422, _service_errors(error))
    return Status(200, PRESENTERS[Audience.COUNCIL].child(  # only the council changes a child
        Child.objects.select_related("local_authority", "setting").get(pk=updated.pk)))


@children_router.get("/{int:child_id}/involvements", response={200: list[InvolvementOut], 404: ErrorOut, **COMMON},
                     summary="Professionals involved with a child")
def child_involvements(request, child_id: int):
    child = get_child_or_404(request, child_id, audit_summary="Read who is involved")
    return Status(200, presenter_for(request.user).involvements(child))


@children_router.get("/{int:child_id}/referrals", response={200: list[ReferralOut], 404: ErrorOut, **COMMON},
                     summary="A child's referrals to health services and their waiting-list status")
def child_referrals(request, child_id: int):
    from sendhub.waits.selectors import placements

    child = get_child_or_404(request, child_id, audit_summary="Read health referrals")
    referrals = list(child.referrals.all())
    placed = placements(referrals)
    # A family is never given a range its own page calls too wide to rely on (WAITS_RELIABLE_RANGE_MONTHS).
    family = presenter_for(request.user).audience == Audience.FAMILY
    out = []
    for r in referrals:
        p = placed.get(r.pk)
        hide_range = family and p is not None and not p.reliable
        out.append({"id": r.pk, "reference": r.reference, "service": r.service.name, "service_kind": r.service.kind,
                    "provider": r.service.provider.name, "priority": r.priority, "referred_on": r.referred_on,
                    "seen_on": r.seen_on, "removed_on": r.removed_on,
                    "position": p.position if p else None, "waiting_total": p.waiting if p else None,
                    "estimate_reliable": p.reliable if p else None,
                    "estimate_p10": p.p10 if p and not hide_range else None,
                    "estimate_p50": p.p50 if p and not hide_range else None,
                    "estimate_p90": p.p90 if p and not hide_range else None})
    return Status(200, out)


@children_router.get("/{int:child_id}/cases", response={200: list[CaseOut], 404: ErrorOut, **COMMON},
                     summary="A child's assessments and review rounds with their statutory deadlines",
                     description="The same deadlines as the case pages and `sendhub timescales`, as of today.")
def child_cases(request, child_id: int):
    child = get_child_or_404(request, child_id, audit_summary="Read assessment and review deadlines")
    assessments, reviews = cases_of_child(child)
    out = []
    for kind, case, is_open in [("assessment", a, a.outcome == "open") for a in assessments] + [
            ("review", r, r.closed_on is None) for r in reviews]:
        out.append({"kind": kind, "id": case.pk, "open": is_open, "deadlines": [
            {**row.deadline._asdict(), "label": row.label} for row in deadline_rows(case)]})
    return Status(200, out)


@children_router.get("/{int:child_id}/record-history", response={200: list[AuditOut], 404: ErrorOut, **COMMON},
                     summary="Who has looked at and changed a child's record")
def child_record_history(request, child_id: int, limit: int = Query(100, ge=1, le=1000)):
    child = get_child_or_404(request, child_id, audit_summary="Read the record history")
    return Status(200, [
        {"at": e.at, "who": e.actor_label, "action": e.action, "summary": e.summary, "channel": e.channel}
        for e in record_history(child)[:limit]
    ])


api.add_router("/me", me_router)
api.add_router("/children", children_router)
