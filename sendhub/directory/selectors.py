"""Reading the local offer: the public search, the provider's own entries and the review queue."""

import math
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from . import postcodes
from .models import (
    OPEN_STATES, STALE_AFTER, DirectoryOrganisation, EntryDraft, EntryState, Schedule, Service, ServiceLocation,
    ServiceStatus, TaxonomyTerm,
)
from .taxonomy import ANY_NEED, CATEGORY_NAMES, NEED_NAMES, term_id

PUBLIC_STATUSES = [ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED]
DISTANCES = [1, 3, 5, 10, 25]


def with_details(queryset: QuerySet) -> QuerySet:
    """Everything a service page, a result or an ORUK response shows, in a fixed number of queries."""
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy", "parent")),
        Prefetch("locations", queryset=ServiceLocation.objects.order_by("pk")),
        Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at", "id")),
    )


def _has_term(ids) -> Exists:
    return Exists(Service.terms.through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id__in=list(ids)))


def filter_services(queryset: QuerySet, *, need: str = "", age: int | None = None, category: str = "",
                    keyword: str = "", while_waiting: bool = False, self_referral: bool = False) -> QuerySet:
    if need:
        queryset = queryset.filter(_has_term([term_id("need", need), term_id("need", ANY_NEED)]))
    if age is not None:
        queryset = queryset.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=age),
                                   Q(maximum_age__isnull=True) | Q(maximum_age__gte=age))
    if category:
        queryset = queryset.filter(_has_term([term_id("category", category)]))
    if while_waiting:
        queryset = queryset.exclude(while_waiting="")
    if self_referral:
        queryset = queryset.filter(self_referral=True)
    for word in keyword.split()[:8]:
        matches_org = DirectoryOrganisation.objects.filter(pk=OuterRef("organisation_id"), name__icontains=word)
        queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word) | Exists(matches_org))
    return queryset


@dataclass
class Search:
    """What a family asked for. Empty values mean 'any'."""

    need: str = ""
    age: int | None = None
    category: str = ""
    keyword: str = ""
    postcode: str = ""
    distance: int | None = None
    while_waiting: bool = False
    self_referral: bool = False
    errors: dict = field(default_factory=dict)  # a postcode the directory cannot place


@dataclass
class Results:
    services: list
    total: int
    page: int
    pages: int
    place: postcodes.Place | None = None
    distances: dict = field(default_factory=dict)


def search_services(search: Search, *, page: int = 1, per_page: int = 20) -> Results:
    """The public search: filters in the database; distance by haversine on the filtered locations."""
    queryset = filter_services(
        Service.objects.filter(status__in=PUBLIC_STATUSES), need=search.need, age=search.age,
        category=search.category, keyword=search.keyword, while_waiting=search.while_waiting,
        self_referral=search.self_referral)
    place = None
    distances: dict = {}
    if search.postcode and "postcode" not in search.errors:
        try:
            place = postcodes.locate(search.postcode)
        except postcodes.UnknownPostcode as error:
            search.errors["postcode"] = str(error)
    if place is None:
        total = queryset.count()
        pages = max(1, math.ceil(total / per_page))
        page = min(max(1, page), pages)
        services = list(with_details(queryset.order_by("name", "id"))[(page - 1) * per_page: page * per_page])
        return Results(services, total, page, pages)

    ids = list(queryset.order_by("name", "id").values_list("id", flat=True))
    nearest: dict = {}
    for service_id, lat, lon in ServiceLocation.objects.filter(
            service_id__in=queryset.values("id"), latitude__isnull=False, longitude__isnull=False
    ).values_list("service_id", "latitude", "longitude"):
        miles = postcodes.miles_between(place.latitude, place.longitude, lat, lon)
        if miles < nearest.get(service_id, math.inf):
            nearest[service_id] = miles
    limit = search.distance or math.inf
    # Nearest first; services with no place to visit (online, by phone) stay, after the places.
    ranked = sorted((i for i in ids if i not in nearest or nearest[i] <= limit),
                    key=lambda i: (i not in nearest, nearest.get(i, 0)))
    total = len(ranked)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    page_ids = ranked[(page - 1) * per_page: page * per_page]
    by_id = {s.id: s for s in with_details(Service.objects.filter(id__in=page_ids))}
    services = [by_id[i] for i in page_ids]
    distances = {i: nearest[i] for i in page_ids if i in nearest}
    return Results(services, total, page, pages, place, distances)


def public_service(pk) -> Service | None:
    return with_details(Service.objects.filter(pk=pk)).first()


def stale_before():
    return timezone.localdate() - STALE_AFTER


def entries_for(user) -> QuerySet:
    """The published entries a person keeps: their organisation's, or every one for the local offer team."""
    from .rules import is_local_offer_team

    queryset = Service.objects.select_related("organisation")
    if is_local_offer_team(user):
        return queryset.filter(Q(organisation__partner__isnull=True) | Q(organisation__partner=user.organisation_id))
    return queryset.filter(organisation__partner=user.organisation_id)


def open_drafts_for(user) -> QuerySet:
    from .rules import is_local_offer_team

    queryset = EntryDraft.objects.filter(state__in=OPEN_STATES).select_related("organisation", "service")
    if is_local_offer_team(user):
        return queryset.filter(Q(organisation__partner__isnull=True) | Q(organisation__partner=user.organisation_id))
    return queryset.filter(organisation__partner=user.organisation_id)


def council_of_organisation(organisation) -> int | None:
    """The council an organisation is, or whose area it serves."""
    if organisation is None:
        return None
    return organisation.pk if organisation.kind == "local_authority" else organisation.local_authority_id


def council_of(user) -> int | None:
    """The council whose local offer a person works on: their own, or their organisation's area's."""
    return council_of_organisation(getattr(user, "organisation", None))


def drafts_for_review(user) -> QuerySet:
    """Entries a local offer team may review: their own council's only. A draft is the council's when its
    provider is the council or in its area or, for a provider with no staff here (a charity), when the
    person who wrote it works for the council or in its area. Another council's draft is not found."""
    council = council_of(user)
    if council is None:
        return EntryDraft.objects.none()
    mine = (Q(organisation__partner_id=council) | Q(organisation__partner__local_authority_id=council)
            | Q(organisation__partner__isnull=True, created_by__organisation_id=council)
            | Q(organisation__partner__isnull=True, created_by__organisation__local_authority_id=council))
    return EntryDraft.objects.filter(mine).select_related("organisation", "service", "created_by")


def review_queue(user) -> QuerySet:
    return drafts_for_review(user).filter(state=EntryState.SUBMITTED).order_by("submitted_at", "pk")
