"""Every support admin page that shows a child's record is audited: lists (with search), change and history pages.

The first test walks the admin registry, so an admin added later for a model with a path to a child
fails here until it uses ChildRecordAdmin and this file can make a record for it.
"""

from collections import deque
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from sendhub.audit.admin import ChildRecordAdmin
from sendhub.audit.models import AuditAction, AuditChannel, AuditEvent
from sendhub.audit.services import record
from sendhub.people.models import Child
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def path_to_child(model, depth: int = 4) -> str | None:
    """The shortest chain of forward foreign keys from `model` to Child ("pk" for Child), or None."""
    if model is Child:
        return "pk"
    queue = deque([(model, [])])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if len(path) >= depth:
            continue
        for field in current._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is None or target in seen:
                continue
            if target is Child:
                return "__".join([*path, field.name])
            seen.add(target)
            queue.append((target, [*path, field.name]))
    return None


def child_linked_admins():
    return sorted(((model, model_admin, path) for model, model_admin in admin.site._registry.items()
                   if (path := path_to_child(model)) is not None), key=lambda item: item[0]._meta.label)


def make_record(label: str, area):
    """One object of each child-linked model registered in the admin, belonging to `area.child`."""
    from sendhub.clock.services import open_review
    from sendhub.letters.services import write_letter

    child = area.child
    if label == "people.Child":
        return child
    if label == "people.Involvement":
        return child.involvements.get()
    if label == "audit.AuditEvent":
        return record(actor=area.users["caseworker"], action=AuditAction.VIEW, channel=AuditChannel.WEB, obj=child,
                      child=child, summary="Looked at the child's record")
    if label == "waits.Referral":
        return f.ReferralFactory(child=child)
    if label == "plans.EHCPlan":
        return f.EHCPlanFactory(child=child)
    if label == "assessments.EHCNeedsAssessment":
        return f.AssessmentFactory(child=child, request_received_on=TODAY - timedelta(days=20))
    if label == "reviews.AnnualReview":
        plan = f.EHCPlanFactory(child=child, first_issued_on=TODAY - timedelta(days=300))
        return open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)
    if label == "letters.Letter":
        return write_letter(key="decision-not-to-assess", child=child, actor=area.users["caseworker"], context={
            "requester_name": "Parent", "request_date": TODAY, "decision_date": TODAY, "letter_date": TODAY,
            "reasons": "x", "local_authority": child.local_authority, "mediation_by": TODAY, "appeal_by": TODAY})
    raise AssertionError(f"{label} is in the admin with a path to a child: add a record for it to make_record")


def test_the_registry_has_the_child_linked_admins_we_expect():
    labels = {model._meta.label for model, _, _ in child_linked_admins()}
    assert {"people.Child", "people.Involvement", "letters.Letter", "waits.Referral", "plans.EHCPlan",
            "assessments.EHCNeedsAssessment", "reviews.AnnualReview", "audit.AuditEvent"} <= labels
    assert "accounts.User" not in labels and "organisations.Organisation" not in labels


@pytest.mark.parametrize("label", [model._meta.label for model, _, _ in child_linked_admins()])
def test_every_admin_with_a_path_to_a_child_is_audited(label, area, client_for):
    model, model_admin, path = next(item for item in child_linked_admins() if item[0]._meta.label == label)
    assert isinstance(model_admin, ChildRecordAdmin), f"{label}'s admin must use audit.admin.ChildRecordAdmin"
    assert model_admin.child_path == path, f"{label}'s admin must say child_path = {path!r}"
    obj = make_record(label, area)
    child = area.child
    administrator = area.users["administrator"]
    client = client_for(administrator)
    info = (model._meta.app_label, model._meta.model_name)

    def rows_since(start: int, action: str):
        return AuditEvent.objects.filter(pk__gt=start, actor=administrator, action=action, child=child,
                                         channel=AuditChannel.ADMIN)

    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200
    assert rows_since(start, AuditAction.LIST).exists(), f"{label}: the change list is not audited"

    if model_admin.search_fields:
        start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        term = child.nhs_number if label == "people.Child" else str(getattr(obj, model_admin.search_fields[0]))
        assert client.get(reverse("admin:%s_%s_changelist" % info), {"q": term}).status_code == 200
        searched = rows_since(start, AuditAction.LIST)
        assert searched.exists(), f"{label}: a search is not audited"
        assert urlencode({"q": term}) in searched.first().path

    for view, page in (("change", "page"), ("history", "history")):
        start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        assert client.get(reverse(f"admin:%s_%s_{view}" % info, args=[obj.pk])).status_code == 200
        opened = rows_since(start, AuditAction.VIEW)
        assert opened.count() == 1, f"{label}: the {view} page is not audited"
        assert (opened.get().object_type, opened.get().object_id) == (label, str(obj.pk))
        assert page in opened.get().summary


def test_an_admin_search_by_nhs_number_that_finds_nobody_is_still_traced(area, client_for):
    client_for(area.users["administrator"]).get(reverse("admin:people_child_changelist"), {"q": "9999999999"})
    probe = AuditEvent.objects.get(action=AuditAction.LIST)
    assert probe.child is None and "q=9999999999" in probe.path


def test_the_admin_list_audits_every_child_shown_in_a_flat_number_of_queries(area, client_for,
                                                                              django_assert_max_num_queries):
    client = client_for(area.users["administrator"])
    url = reverse("admin:people_child_changelist")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(30):
        f.ChildFactory(local_authority=area.la)
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    shown = set(AuditEvent.objects.filter(pk__gt=start, action=AuditAction.LIST).values_list("child_id", flat=True))
    assert shown == set(Child.objects.values_list("pk", flat=True))
