"""No page issues a query per row: the counts stay flat as rows grow."""

import pytest
from django.urls import reverse

from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db


def count_queries(django_assert_max_num_queries, client, url, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_children_list_is_flat(area, client_for, django_assert_max_num_queries, rows):
    for _ in range(rows):
        f.ChildFactory(local_authority=area.la, setting=area.school)
    count_queries(django_assert_max_num_queries, client_for(area.users["caseworker"]), reverse("web:children"), 12)


@pytest.mark.parametrize("involvements", [1, 20])
def test_child_page_is_flat(area, client_for, django_assert_max_num_queries, involvements):
    for _ in range(involvements):
        f.InvolvementFactory(child=area.child, organisation=area.provider)
        f.ReferralFactory(child=area.child)
    f.EHCPlanFactory(child=area.child)
    client = client_for(area.users["caseworker"])
    for _ in range(10):
        client.get(reverse("web:child", kwargs={"pk": area.child.pk}))  # fills the record history
    count_queries(django_assert_max_num_queries, client, reverse("web:child", kwargs={"pk": area.child.pk}), 22)


def test_api_list_is_flat(area, client, django_assert_max_num_queries):
    from sendhub.accounts.services import issue_api_token

    for _ in range(60):
        f.ChildFactory(local_authority=area.la, setting=area.school)
    token = issue_api_token(user=area.users["caseworker"])
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/children", headers={"authorization": f"Bearer {token}"})
    assert response.json()["count"] == 63  # 60 new and 3 of the area in this local authority


@pytest.mark.parametrize("cases", [3, 30])
def test_deadline_queue_is_flat(area, client_for, django_assert_max_num_queries, cases):
    from datetime import date, timedelta

    from sendhub.clock.services import record_event

    for n in range(cases):
        child = f.ChildFactory(local_authority=area.la, setting=area.school)
        assessment = f.AssessmentFactory(child=child, request_received_on=date.today() - timedelta(days=30 + n))
        record_event(actor=area.users["caseworker"], case=assessment, type="decision_to_assess",
                     date=date.today() - timedelta(days=n % 20))
        f.AnnualReviewFactory(plan=f.EHCPlanFactory(child=child))
    count_queries(django_assert_max_num_queries, client_for(area.users["caseworker"]),
                  reverse("clock:queue") + "?show=all&caseworker=", 14)
