"""The directory as Open Referral UK (HSDS 3 UK profile): JSON shapes and the public API views.

Paths follow the profile's openapi.json under the stub /local-offer/api: /, /services, /services/{id},
/service_at_locations, /service_at_locations/{id}, /taxonomies, /taxonomies/{id}, /taxonomy_terms,
/taxonomy_terms/{id}. Every response is public, needs no key and carries
`Access-Control-Allow-Origin: *`. Lists are paged as the profile's Page schema says.
Ids derived from our rows (an address, a contact, a cost option) are uuid5 of the row's own id, so
they are stable from one request to the next.
"""

import math
import re
import uuid
from datetime import UTC, time
from functools import wraps

from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse, JsonResponse

from . import postcodes
from .models import Schedule, Service, ServiceLocation, Taxonomy, TaxonomyTerm
from .selectors import filter_services, with_details
from .weblinks import published_web_address

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
COUNTRY = "GB"


def derived_id(base, what: str) -> str:
    return str(uuid.uuid5(uuid.UUID(str(base)), what))


def _drop_empty(data: dict) -> dict:
    """HSDS fields are typed (a string, a number): an unknown value is left out, never sent as null."""
    return {k: v for k, v in data.items() if v is not None and v != ""}


def organisation_json(org) -> dict:
    return _drop_empty({"id": str(org.id), "name": org.name,
                        "description": org.description or org.name, "email": org.email,
                        "website": published_web_address(org.website)}) | {
        "description": org.description or org.name}


def term_json(term: TaxonomyTerm) -> dict:
    return _drop_empty({"id": str(term.id), "name": term.name, "description": term.description or term.name,
                        "parent_id": str(term.parent_id) if term.parent_id else None,
                        "taxonomy": term.taxonomy.name if term.taxonomy_id else None,
                        "taxonomy_id": str(term.taxonomy_id) if term.taxonomy_id else None,
                        "term_uri": published_web_address(term.term_uri), "term": term.code or term.name}) | {
        "description": term.description or term.name}


def taxonomy_json(taxonomy: Taxonomy) -> dict:
    return _drop_empty({"id": str(taxonomy.id), "name": taxonomy.name, "uri": published_web_address(taxonomy.uri),
                        "version": taxonomy.version}) | {"description": taxonomy.description or taxonomy.name}


def location_json(loc: ServiceLocation) -> dict:
    data = _drop_empty({"id": str(loc.location_id), "location_type": loc.location_type, "name": loc.name,
                        "latitude": loc.latitude, "longitude": loc.longitude})
    if loc.address_1 or loc.postcode:
        data["addresses"] = [{"id": derived_id(loc.sal_id, "address"), "location_id": str(loc.location_id),
                              "address_1": loc.address_1, "city": loc.city, "state_province": "",
                              "postal_code": loc.postcode, "country": COUNTRY,
                              "address_type": "postal" if loc.location_type == "postal" else "physical"}]
    if loc.accessibility:
        data["accessibility"] = [{"id": derived_id(loc.sal_id, "accessibility"), "location_id": str(loc.location_id),
                                  "description": loc.accessibility}]
    return data


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def service_summary_json(service: Service) -> dict:
    """The service as in a list (compiled/service_list.json)."""
    return _drop_empty({
        "id": str(service.id), "organization_id": str(service.organisation_id), "name": service.name,
        "description": service.description, "url": service.web_address, "email": service.email, "status": service.status,
        "fees": "" if service.is_free else service.cost_description,
        "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
        "assured_date": service.last_checked.isoformat(),
        "last_modified": service.last_modified.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }) | {"organization": organisation_json(service.organisation)}


def service_json(service: Service) -> dict:
    """The fully nested service (compiled/service.json), with HSDS 3 core fields the UK profile leaves
    out (phones, eligibility_description, application_process) and our own, prefixed `sendhub_`."""
    data = service_summary_json(service)
    sid = str(service.id)
    data.update(_drop_empty({
        "eligibility_description": service.eligibility, "application_process": service.how_to_access,
        "sendhub_easy_read": service.easy_read, "sendhub_while_waiting": service.while_waiting,
    }))
    data["sendhub_self_referral"] = service.self_referral
    data["schedules"] = [_drop_empty({
        "id": str(s.id), "service_id": sid, "freq": "WEEKLY" if s.byday else None, "interval": 1 if s.byday else None,
        "byday": s.byday, "opens_at": _time(s.opens_at), "closes_at": _time(s.closes_at), "description": s.description,
    }) for s in service.schedules.all()]
    data["service_areas"] = []
    data["service_at_locations"] = [{"id": str(loc.sal_id), "service_id": sid, "location_id": str(loc.location_id),
                                     "location": location_json(loc)} for loc in service.locations.all()]
    data["languages"] = [{"id": derived_id(sid, "language:en"), "service_id": sid, "name": "English", "code": "en"}]
    data["funding"] = []
    data["cost_options"] = [_drop_empty({
        "id": derived_id(sid, "cost"), "service_id": sid, "option": "Free" if service.is_free else "Charge",
        "amount": 0 if service.is_free else None,
        "amount_description": service.cost_description or ("Free" if service.is_free else None)})]
    data["contacts"] = [_drop_empty({"id": derived_id(sid, "contact"), "service_id": sid,
                                     "name": service.contact_name, "email": service.email})] if (
        service.contact_name or service.email) else []
    data["phones"] = [{"id": derived_id(sid, "phone"), "service_id": sid, "number": service.phone}] if service.phone else []
    data["attributes"] = [{"id": derived_id(sid, f"attribute:{t.id}"), "link_id": sid, "link_type": "service",
                           "link_entity": "service", "taxonomy_term_id": str(t.id), "taxonomy_term": term_json(t)}
                          for t in service.terms.all()]
    return data


def sal_json(loc: ServiceLocation, *, full: bool) -> dict:
    data = {"id": str(loc.sal_id), "service_id": str(loc.service_id), "location_id": str(loc.location_id),
            "location": location_json(loc)}
    data["service"] = service_json(loc.service) if full else service_summary_json(loc.service)
    if full:  # the profile's openapi.json points this endpoint at compiled/service.json: name and status satisfy it
        data["name"] = loc.service.name
        data["status"] = loc.service.status
    return data


# --- the views ---------------------------------------------------------------------------------------

class BadRequest(ValueError):
    pass


def cors(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        elif request.method not in {"GET", "HEAD"}:
            response = JsonResponse({"error": "This API is read-only: use GET"}, status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            try:
                response = view(request, *args, **kwargs)
            except BadRequest as error:
                response = JsonResponse({"error": str(error)}, status=400)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        return response

    wrapper.csrf_exempt = True
    return wrapper


# Every query parameter is bounded: a value out of range is a 400 with a sentence saying what is allowed,
# never a 500 from a database that cannot hold it (page=99999999999999999999) or a float it cannot compare
# (minimum_age=1e309). sendhub/directory/tests/test_oruk_parameters.py sends Hypothesis-made values.
MAX_PAGE = 100_000
MAX_AGE = 120
MAX_PROXIMITY_METRES = 1_000_000  # 1,000 km: further than any local offer reaches
MAX_TEXT = {"search": 200, "postcode": 10, "day": 9}
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,15}")
CLOCK_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?")


def _text(request, name: str) -> str:
    raw = request.GET.get(name, "")
    if len(raw) > MAX_TEXT[name]:
        raise BadRequest(f"{name} must be {MAX_TEXT[name]} characters or fewer")
    if "\x00" in raw:
        raise BadRequest(f"{name} must not contain control characters")
    return raw.strip()


def _int(request, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not WHOLE_NUMBER.fullmatch(raw):
        raise BadRequest(f"{name} must be a whole number from {low} to {high}")
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}")
    return value


def _number(request, name: str, low: float, high: float) -> float | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    try:
        value = float(raw) if len(raw) <= 20 else math.nan
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise BadRequest(f"{name} must be a number from {low:g} to {high:g}")
    return value


def _uuid_param(request, name: str) -> uuid.UUID | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    try:
        return uuid.UUID(raw) if len(raw) <= 45 else uuid.UUID("not a uuid")
    except ValueError:
        raise BadRequest(f"{name} must be an id (a UUID)") from None


def _time_param(request, name: str) -> time | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    if not CLOCK_TIME.fullmatch(raw):
        raise BadRequest(f"{name} must be a time like 09:30")
    return time.fromisoformat(raw)


def _paging(request) -> tuple[int, int]:
    return (_int(request, "page", 1, 1, MAX_PAGE),
            _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def page_of(request, items, to_json, total: int | None = None) -> JsonResponse:
    page, per_page = _paging(request)
    if total is None:
        total = items.count()
    pages = max(1, math.ceil(total / per_page))
    contents = [to_json(item) for item in items[(page - 1) * per_page: page * per_page]]
    return JsonResponse({
        "total_items": total, "total_pages": pages, "page_number": page, "size": len(contents),
        "first_page": page == 1, "last_page": page >= pages, "empty": not contents, "contents": contents,
    })


def filtered_services(request):
    """The /services filters, shared with /service_at_locations."""
    queryset = filter_services(Service.objects.all(), keyword=_text(request, "search"))
    term = _uuid_param(request, "taxonomy_term_id")
    if term:
        queryset = queryset.filter(Exists(Service.terms.through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id=term)))
    taxonomy = _uuid_param(request, "taxonomy_id")
    if taxonomy:
        queryset = queryset.filter(Exists(Service.terms.through.objects.filter(
            service_id=OuterRef("pk"), taxonomyterm__taxonomy_id=taxonomy)))
    minimum = _int(request, "minimum_age", None, 0, MAX_AGE)
    if minimum is not None:
        queryset = queryset.filter(minimum_age__gte=minimum)
    maximum = _int(request, "maximum_age", None, 0, MAX_AGE)
    if maximum is not None:
        queryset = queryset.filter(maximum_age__lte=maximum)
    schedules = Q()
    day = _text(request, "day").upper()
    if day:
        names = {"MONDAY": "MO", "TUESDAY": "TU", "WEDNESDAY": "WE", "THURSDAY": "TH", "FRIDAY": "FR",
                 "SATURDAY": "SA", "SUNDAY": "SU"}
        code = names.get(day, day)
        if code not in names.values():
            raise BadRequest("day must be a day of the week, like MO or Monday")
        schedules &= Q(byday__contains=code)
    start = _time_param(request, "start_time")
    if start:
        schedules &= Q(opens_at__gte=start)
    end = _time_param(request, "end_time")
    if end:
        schedules &= Q(closes_at__lte=end)
    if schedules:
        queryset = queryset.filter(Exists(Schedule.objects.filter(schedules, service_id=OuterRef("pk"))))
    return queryset


@cors
def api_info(request):
    return JsonResponse({"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL})


@cors
def services(request):
    queryset = filtered_services(request).select_related("organisation").order_by("name", "id")
    return page_of(request, queryset, service_summary_json)


def _get_or_404(queryset, **lookup):
    try:
        lookup = {k: uuid.UUID(str(v)) for k, v in lookup.items()}
    except ValueError:
        return None
    return queryset.filter(**lookup).first()


def _not_found(what: str) -> JsonResponse:
    return JsonResponse({"error": f"No {what} has that id"}, status=404)


@cors
def service_detail(request, id):
    service = _get_or_404(with_details(Service.objects.all()), pk=id)
    return JsonResponse(service_json(service)) if service else _not_found("service")


@cors
def service_at_locations(request):
    services_q = filtered_services(request)
    queryset = ServiceLocation.objects.filter(service__in=services_q.values("id")).select_related(
        "service__organisation").order_by("service__name", "service_id", "pk")
    postcode = _text(request, "postcode")
    proximity = _number(request, "proximity", 0, MAX_PROXIMITY_METRES)
    if proximity is not None and not postcode:
        raise BadRequest("proximity needs a postcode")
    if not postcode:
        return page_of(request, queryset, lambda loc: sal_json(loc, full=False))
    try:
        place = postcodes.locate(postcode)
    except postcodes.UnknownPostcode as error:
        raise BadRequest(str(error)) from None
    rows = list(queryset.filter(latitude__isnull=False, longitude__isnull=False).values_list("pk", "latitude", "longitude"))
    distance = {pk: postcodes.miles_between(place.latitude, place.longitude, lat, lon) * 1609.344 for pk, lat, lon in rows}
    ranked = sorted((pk for pk in distance if proximity is None or distance[pk] <= proximity), key=lambda pk: distance[pk])
    page, per_page = _paging(request)
    page_pks = ranked[(page - 1) * per_page: page * per_page]
    by_pk = {loc.pk: loc for loc in ServiceLocation.objects.filter(pk__in=page_pks).select_related("service__organisation")}
    ordered = [by_pk[pk] for pk in page_pks]
    return page_of(request, _Presliced(ordered, page, per_page), lambda loc: sal_json(loc, full=False), total=len(ranked))


class _Presliced:
    """A page already fetched, sliced by page_of at the same bounds."""

    def __init__(self, items, page, per_page):
        self.items, self.offset = items, (page - 1) * per_page

    def __getitem__(self, bounds: slice):
        return self.items


@cors
def service_at_location_detail(request, id):
    loc = _get_or_404(ServiceLocation.objects.all(), sal_id=id)
    if loc is None:
        return _not_found("service at location")
    loc.service = with_details(Service.objects.filter(pk=loc.service_id)).get()
    return JsonResponse(sal_json(loc, full=True))


@cors
def taxonomies(request):
    return page_of(request, Taxonomy.objects.order_by("name", "id"), taxonomy_json)


@cors
def taxonomy_detail(request, id):
    taxonomy = _get_or_404(Taxonomy.objects.all(), pk=id)
    return JsonResponse(taxonomy_json(taxonomy)) if taxonomy else _not_found("taxonomy")


@cors
def taxonomy_terms(request):
    queryset = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "name", "id")
    taxonomy = _uuid_param(request, "taxonomy_id")
    if taxonomy:
        queryset = queryset.filter(taxonomy_id=taxonomy)
    return page_of(request, queryset, term_json)


@cors
def taxonomy_term_detail(request, id):
    term = _get_or_404(TaxonomyTerm.objects.select_related("taxonomy"), pk=id)
    return JsonResponse(term_json(term)) if term else _not_found("taxonomy term")
