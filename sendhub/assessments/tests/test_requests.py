from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sendhub.assessments.models import EHCNeedsAssessment, EvidenceDocument
from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.clock.cases import deadline_rows
from sendhub.testing import factories as f
from sendhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()


def pdf(name="support-plan.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def url(child):
    return reverse("assessments:request", kwargs={"child_pk": child.pk})


def test_parent_asks_and_the_clock_starts_today(area, client_for):
    response = client_for(area.users["parent"]).post(url(area.child), {
        "needs": "Finds noise and change very hard; not yet talking in sentences.", "support_so_far": "",
        "views": "We want him to have friends.", "evidence": [pdf()]})
    assessment = EHCNeedsAssessment.objects.get(child=area.child)
    assert response.status_code == 302
    assert response["Location"] == reverse("clock:assessment", kwargs={"pk": assessment.pk})
    assert (assessment.request_received_on, assessment.requested_by) == (timezone.localdate(), "parent")
    decision = next(r for r in deadline_rows(assessment) if r.deadline.key == "decision_whether_to_assess")
    assert decision.deadline.due == timezone.localdate() + timedelta(weeks=6)
    document = EvidenceDocument.objects.get(assessment=assessment)
    assert document.file.read() == PDF
    assert AuditEvent.objects.filter(child=area.child, action=AuditAction.CREATE, summary__contains="Requested").exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([pdf("letter.pdf", b"just some text")], "is not a real PDF"),
        ([pdf("page.pdf", b"%PDF-1.7\n<html><body>Not a PDF</body></html>")], "is not a PDF that can be opened"),
        ([pdf("locked.pdf", pdf_bytes(password="secret"))], "is protected with a password"),
        ([pdf("tool.exe", b"MZ\x90\x00")], "must be a PDF, Word document"),
        ([pdf("empty.pdf", b"")], "is empty"),
        ([pdf("huge.pdf", PDF + b"0" * (10 * 1024 * 1024))], "smaller than 10MB"),
        ([], "Attach at least one document"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_kept(area, client_for, files, message):
    response = client_for(area.users["senco"]).post(url(area.child), {
        "needs": "Needs", "support_so_far": "Two terms of SEN support", "told_family": "on", "evidence": files})
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors["evidence"]), response.context["form"].errors
    assert not EHCNeedsAssessment.objects.exists()
    assert not EvidenceDocument.objects.exists()


def test_school_must_say_what_was_tried_and_that_the_family_knows(area, client_for):
    response = client_for(area.users["senco"]).post(url(area.child), {"needs": "Needs", "evidence": [pdf()]})
    errors = response.context["form"].errors
    assert "Confirm that you have told" in errors["told_family"][0]
    assert not EHCNeedsAssessment.objects.exists()
    response = client_for(area.users["senco"]).post(url(area.child), {"needs": "Needs", "told_family": "on",
                                                                      "evidence": [pdf()]})
    assert "Describe the support already given" in response.context["form"].errors["support_so_far"][0]


def test_one_open_request_at_a_time_and_none_with_a_plan(area, client_for):
    client = client_for(area.users["parent"])
    assert client.post(url(area.child), {"needs": "Needs"}).status_code == 302
    again = client.post(url(area.child), {"needs": "Needs"})
    assert "already in progress" in str(again.context["form"].errors)
    f.EHCPlanFactory(child=area.sibling)
    with_plan = client.post(url(area.sibling), {"needs": "Needs"})
    assert "ask for an early review" in str(with_plan.context["form"].errors)
    assert EHCNeedsAssessment.objects.count() == 1


def test_nobody_asks_for_a_child_they_cannot_see(area, client_for):
    assert client_for(area.users["other_parent"]).post(url(area.child), {"needs": "x"}).status_code == 404
    assert client_for(area.users["leader"]).get(url(area.child)).status_code == 404


def test_documents_are_downloaded_by_those_who_may_see_the_child_and_audited(area, client_for):
    client_for(area.users["parent"]).post(url(area.child), {"needs": "Needs", "evidence": [pdf()]})
    assessment = EHCNeedsAssessment.objects.get()
    document = assessment.evidence.get()
    path = reverse("assessments:evidence", kwargs={"pk": assessment.pk, "doc_pk": document.pk})
    response = client_for(area.users["caseworker"]).get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=area.users["caseworker"]).exists()
    assert client_for(area.users["other_parent"]).get(path).status_code == 404
