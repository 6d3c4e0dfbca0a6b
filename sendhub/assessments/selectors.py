from django.db.models import Q, QuerySet

from .models import AdviceRequest


def advice_asked_of(user) -> QuerySet[AdviceRequest]:
    """Advice asked of this person, or of a team they belong to: their workspace."""
    if not user.is_authenticated:
        return AdviceRequest.objects.none()
    return (AdviceRequest.objects.filter(Q(asked_of=user) | Q(asked_of_team__in=user.teams.values("pk")))
            .select_related("assessment__child", "asked_of", "asked_of_team"))


def advice_visible_to(user) -> QuerySet[AdviceRequest]:
    """Advice asked of this person about a child they may see now: every advice page and list starts here.

    Asking for advice makes the person involved with the child (`services.request_advice`), so while the
    request matters they can see the child. When that access ends (the council ends the involvement, the
    pupil leaves the SENCO's school) the request, the child's name and the evidence go with it, exactly as
    the child's own record does (ADR 2): there is no separate "open request" key to a child's record.
    """
    from sendhub.people.selectors import children_visible_to

    return advice_asked_of(user).filter(assessment__child__in=children_visible_to(user).values("pk"))


def with_deadlines(advice_requests) -> list[AdviceRequest]:
    """Each request with its deadline row from the statutory clock (`advice.deadline`), never recomputed here."""
    from sendhub.clock.cases import deadline_rows

    requests = list(advice_requests.prefetch_related("assessment__events"))
    rows_by_assessment = {}
    for advice in requests:
        assessment = advice.assessment
        if assessment.pk not in rows_by_assessment:
            rows_by_assessment[assessment.pk] = deadline_rows(assessment)
        advice.deadline = next((row for row in rows_by_assessment[assessment.pk]
                                if row.deadline.key == f"advice:{advice.source}"
                                and row.deadline.start == advice.requested_on), None)
    return requests
