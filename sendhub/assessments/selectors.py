from django.db.models import Q, QuerySet

from .models import AdviceRequest


def advice_asked_of(user) -> QuerySet[AdviceRequest]:
    """Advice asked of this person, or of a team they belong to: their workspace."""
    if not user.is_authenticated:
        return AdviceRequest.objects.none()
    return (AdviceRequest.objects.filter(Q(asked_of=user) | Q(asked_of_team__in=user.teams.values("pk")))
            .select_related("assessment__child", "asked_of", "asked_of_team"))


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
