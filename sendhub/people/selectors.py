"""Which children a person may see. Every view, API call and permission rule starts here.

Deny by default: a role not named below sees no child at all.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from sendhub.accounts.models import Role
from sendhub.core.schoolyear import years_before
from sendhub.organisations.models import OrganisationKind

from .models import Child, FamilyMember, Involvement, SharingConsent

AGE_OF_OWN_CONSENT = 16
LOCAL_AUTHORITY_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER, Role.QA_OFFICER}
INVOLVED_ROLES = {Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE}


def sixteenth_birthday_cutoff(today: date) -> date:
    """Children born on or before this date are 16 or over today."""
    return years_before(today, AGE_OF_OWN_CONSENT)


def children_visible_to(user, *, today: date | None = None) -> QuerySet[Child]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    today = today or timezone.localdate()
    role = user.role
    if role == Role.FAMILY:
        return _children_of_family_member(user, today)
    if role == Role.YOUNG_PERSON:
        return Child.objects.filter(account=user)
    if role in LOCAL_AUTHORITY_ROLES:
        if user.organisation is None or user.organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
            return Child.objects.none()
        return Child.objects.filter(local_authority_id=user.organisation_id)
    if role == Role.SENCO:
        if user.organisation_id is None:
            return Child.objects.none()
        return Child.objects.filter(setting_id=user.organisation_id)
    if role in INVOLVED_ROLES:
        involved = Involvement.objects.active(today).filter(
            Q(professional=user) | Q(team__in=user.teams.values("pk")), child=OuterRef("pk")
        )
        return Child.objects.filter(Exists(involved))
    return Child.objects.none()


def _children_of_family_member(user, today: date) -> QuerySet[Child]:
    """A parent sees their own children, unless a young person of 16+ has said parents may not."""
    latest_consent = SharingConsent.objects.filter(child=OuterRef("pk")).order_by("-recorded_at", "-id")
    return (
        Child.objects.filter(Exists(FamilyMember.objects.filter(user=user, child=OuterRef("pk"))))
        .annotate(parents_may_view=Subquery(latest_consent.values("parents_may_view")[:1]))
        .filter(
            Q(date_of_birth__gt=sixteenth_birthday_cutoff(today))
            | Q(parents_may_view__isnull=True)
            | Q(parents_may_view=True)
        )
    )


def search_children(queryset: QuerySet[Child], query: str) -> QuerySet[Child]:
    """Search by name, NHS number or UPN within what the person may already see."""
    query = (query or "").strip()
    if not query:
        return queryset
    compact = query.replace(" ", "").replace("-", "")
    if compact.isdigit() and len(compact) == 10:
        return queryset.filter(nhs_number=compact)
    if len(compact) == 13 and compact[0].isalpha() and compact[1:12].isdigit():
        return queryset.filter(upn=compact.upper())
    for word in query.split():
        queryset = queryset.filter(
            Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(preferred_name__icontains=word)
        )
    return queryset


def child_for_page(queryset: QuerySet[Child]) -> QuerySet[Child]:
    """What a child's page shows, fetched in a fixed number of queries."""
    return queryset.select_related("local_authority", "setting", "account").prefetch_related(
        "family_members__user",
        "involvements__organisation",
        "involvements__professional",
        "involvements__team",
        "plans",
        "referrals__service__provider",
    )


def latest_sharing_consent(child: Child) -> SharingConsent | None:
    return child.sharing_consents.select_related("recorded_by").first()
