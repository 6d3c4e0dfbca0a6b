"""Every list, search and API list that shows children leaves one audit row per child shown (issue 15, finding 1).

The dashboard's "cases behind this figure" is tested beside the dashboard's constructed data
(dashboard/tests/test_drill_down_audit.py); the admin site in test_admin_audit.py.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.test import RequestFactory
from django.utils import timezone

from sendhub.accounts.services import issue_api_token
from sendhub.audit.models import AuditAction, AuditChannel, AuditEvent
from sendhub.audit.selectors import record_history
from sendhub.audit.services import record_children_shown
from sendhub.clock.services import open_review
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def listed(user, *, channel=AuditChannel.WEB) -> set[int]:
    return set(AuditEvent.objects.filter(actor=user, action=AuditAction.LIST, channel=channel)
               .values_list("child_id", flat=True))


@pytest.fixture
def plan_round(area):
    plan = f.EHCPlanFactory(child=area.child, first_issued_on=TODAY - timedelta(days=330))
    return open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)


def test_the_children_list_names_every_child_shown_and_the_family_sees_it(area, client_for):
    caseworker = area.users["caseworker"]
    assert client_for(caseworker).get("/children/").status_code == 200
    assert listed(caseworker) == {area.child.pk, area.sibling.pk, area.other_child.pk}  # not far_child
    row = AuditEvent.objects.filter(action=AuditAction.LIST, child=area.child).get()
    assert row.summary == "Saw in the children list" and row.object_id == str(area.child.pk)
    assert row in record_history(area.child)  # the family's "who has looked" includes lists
    page = client_for(area.users["parent"]).get(f"/children/{area.child.pk}/").content.decode()
    assert "Saw in the children list" in page and caseworker.full_name in page


def test_a_search_by_nhs_number_is_traced_found_or_not(area, client_for):
    client = client_for(area.users["caseworker"])
    client.get("/children/", {"q": area.child.nhs_number})
    found = AuditEvent.objects.get(action=AuditAction.LIST)
    assert found.child == area.child and f"q={area.child.nhs_number}" in found.path
    client.get("/children/", {"q": area.far_child.nhs_number})  # another council's child: not shown, still traced
    probe = AuditEvent.objects.filter(action=AuditAction.LIST).exclude(pk=found.pk).get()
    assert probe.child is None and area.far_child.nhs_number in probe.path


def test_the_api_list_names_every_child_it_returns(area, client):
    token = issue_api_token(user=area.users["caseworker"])
    response = client.get("/api/v1/children", headers={"authorization": f"Bearer {token}"})
    assert {item["id"] for item in response.json()["items"]} == listed(area.users["caseworker"],
                                                                       channel=AuditChannel.API)
    assert len(listed(area.users["caseworker"], channel=AuditChannel.API)) == 3


def test_the_deadlines_queue(area, client_for):
    f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=20))
    assert client_for(area.users["caseworker"]).get("/deadlines/?show=all&caseworker=").status_code == 200
    assert listed(area.users["caseworker"]) == {area.child.pk}


def test_review_priorities(area, client_for, plan_round):
    assert client_for(area.users["caseworker"]).get("/reviews/priority/?caseworker=").status_code == 200
    assert listed(area.users["caseworker"]) == {area.child.pk}


def test_the_school_reviews_list_and_term_scheduling(area, client_for, plan_round):
    senco = area.users["senco"]
    client = client_for(senco)
    assert client.get("/school/reviews/").status_code == 200
    assert AuditEvent.objects.filter(actor=senco, action=AuditAction.LIST, child=area.child,
                                     summary="Saw in the annual reviews list").exists()
    assert client.get("/school/reviews/schedule").status_code == 200
    assert AuditEvent.objects.filter(actor=senco, action=AuditAction.LIST, child=area.child,
                                     summary__startswith="Saw in scheduling").exists()


def test_the_transition_list(area, client_for):
    from sendhub.organisations.models import Team
    from sendhub.reviews.services import refer_for_transition

    team = Team.objects.create(organisation=area.users["social_worker"].organisation, name="Adult team")
    refer_for_transition(actor=area.users["caseworker"], child=area.child, team=team, referred_on=TODAY)
    assert client_for(area.users["caseworker"]).get("/reviews/transitions/").status_code == 200
    assert listed(area.users["caseworker"]) == {area.child.pk}


def test_a_clinicians_waiting_list(area, client_for):
    referral = f.ReferralFactory(child=area.child, service=f.HealthServiceFactory(provider=area.provider))
    therapist = area.users["therapist"]
    assert client_for(therapist).get(f"/waiting-lists/{referral.service_id}/").status_code == 200
    assert listed(therapist) == {area.child.pk}


def test_advice_asked_of_me_and_plans_sent_to_me(area, client_for):
    from sendhub.assessments.models import AdviceRequest
    from sendhub.messaging.models import Delivery
    from sendhub.plans.models import PlanVersion, VersionKind

    therapist, caseworker = area.users["therapist"], area.users["caseworker"]
    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=20))
    AdviceRequest.objects.create(assessment=assessment, source="health", asked_of=therapist, message="Please advise",
                                 requested_on=TODAY, requested_by=caseworker)
    version = PlanVersion.objects.create(child=area.child, number=1, kind=VersionKind.FINAL, issued_on=TODAY,
                                         issued_by=caseworker, sections={"E": "Read"})
    Delivery.objects.create(child=area.child, version=version, recipient=therapist, why="Involved",
                            recipient_name=therapist.full_name, route="portal", state="in_account")
    client = client_for(therapist)
    assert client.get("/advice/").status_code == 200
    assert client.get("/plans/sent-to-me").status_code == 200
    summaries = set(AuditEvent.objects.filter(actor=therapist, action=AuditAction.LIST, child=area.child)
                    .values_list("summary", flat=True))
    assert summaries == {"Saw in advice asked of me", "Saw in plans sent to me"}


def test_the_helper_writes_one_row_per_child_in_a_flat_number_of_queries(area):
    request = RequestFactory().get("/children/?page=2")
    request.user = area.users["caseworker"]
    few = [f.ChildFactory(local_authority=area.la) for _ in range(3)]
    many = [f.ChildFactory(local_authority=area.la) for _ in range(200)]
    with CaptureQueriesContext(connection) as small:
        assert record_children_shown(request=request, children=few, summary="Saw in a list") == 3
    with CaptureQueriesContext(connection) as large:
        assert record_children_shown(request=request, children=[c.pk for c in many] + [many[0].pk],
                                     summary="Saw in a list") == 200  # repeats are written once
    assert len(large.captured_queries) == len(small.captured_queries) == 1
    assert AuditEvent.objects.filter(action=AuditAction.LIST).count() == 203
    assert record_children_shown(request=request, children=[], summary="Saw in a list") == 0  # nothing shown


def test_list_rows_are_append_only_like_every_audit_row(area, client_for):
    from sendhub.core.append_only import AppendOnlyError

    client_for(area.users["caseworker"]).get("/children/")
    row = AuditEvent.objects.filter(action=AuditAction.LIST).first()
    row.summary = "tampered"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(action=AuditAction.LIST).update(summary="tampered")
