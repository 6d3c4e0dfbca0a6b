from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.clock.models import StatutoryEvent
from sendhub.clock.timescales import add_months
from sendhub.letters.models import Letter, LetterTemplate
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def assessment(area):
    return f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=30))


def decide(client, assessment, decision, reasons="", day=None):
    day = day or TODAY - timedelta(days=1)
    return client.post(reverse("clock:assessment", kwargs={"pk": assessment.pk}), {
        "action": "decide", "decision": decision, "reasons": reasons,
        "decided_on-day": day.day, "decided_on-month": day.month, "decided_on-year": day.year})


def test_refusal_writes_a_plain_english_letter_with_the_familys_rights(area, client_for, assessment):
    response = decide(client_for(area.users["caseworker"]), assessment, "decision_not_to_assess",
                      "Alex is making good progress with the support <in place> at school.")
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.outcome == "not_assessed"
    letter = Letter.objects.get(assessment=assessment)
    html = letter.body_html
    assert "making good progress with the support &lt;in place&gt;" in html  # escaped once, never raw
    assert "First-tier Tribunal" in html and "mediation" in html
    by = add_months(TODAY, 2)
    assert f"{by:%-d %B %Y}" in html
    assert "Support that is available without an EHC plan" in html
    event = StatutoryEvent.objects.get(assessment=assessment)
    assert (event.type, event.note) == ("decision_not_to_assess", "Alex is making good progress with the support "
                                                                 "<in place> at school.")


def test_a_refusal_needs_reasons(area, client_for, assessment):
    response = decide(client_for(area.users["caseworker"]), assessment, "decision_not_to_assess", "  ")
    assert "Give the reasons" in str(response.context["decision_form"].errors)
    assert not StatutoryEvent.objects.exists() and not Letter.objects.exists()


def test_decisions_follow_the_stages(area, client_for, assessment):
    client = client_for(area.users["caseworker"])
    assert decide(client, assessment, "decision_to_issue_plan").status_code == 200  # not yet
    assert decide(client, assessment, "decision_to_assess").status_code == 302
    assert Letter.objects.get().title == "Our decision to carry out an EHC needs assessment"  # issue 14
    response = decide(client, assessment, "decision_not_to_issue_plan", "Needs can be met with SEN support.")
    assert response.status_code == 302
    assert Letter.objects.first().title == "Our decision not to issue an EHC plan"
    assert EHCNeedsAssessment.objects.get().outcome == "no_plan"


def test_only_the_caseworker_decides(area, client_for, assessment):
    for role in ("senco", "parent", "therapist"):
        assert decide(client_for(area.users[role]), assessment, "decision_to_assess").status_code == 403
    assert not StatutoryEvent.objects.exists()


def test_family_reads_and_downloads_the_letter_as_a_pdf(area, client_for, assessment):
    decide(client_for(area.users["caseworker"]), assessment, "decision_not_to_assess", "Reasons in plain English.")
    letter = Letter.objects.get()
    parent = client_for(area.users["parent"])
    page = parent.get(reverse("letters:letter", kwargs={"pk": letter.pk}))
    assert "Reasons in plain English." in page.content.decode()
    pdf = parent.get(reverse("letters:pdf", kwargs={"pk": letter.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=area.users["parent"]).exists()
    assert client_for(area.users["other_parent"]).get(reverse("letters:letter", kwargs={"pk": letter.pk})).status_code == 404


def test_the_council_edits_its_template_and_sent_letters_do_not_change(area, client_for, assessment):
    from django.core.exceptions import ValidationError

    decide(client_for(area.users["caseworker"]), assessment, "decision_not_to_assess", "First reasons.")
    first = Letter.objects.get()
    template = LetterTemplate.objects.get(key="decision-not-to-assess")
    template.body = "Dear {{ requester_name }}, new wording. {{ reasons }}"
    template.full_clean()
    template.save()
    first.refresh_from_db()
    assert "new wording" not in first.body_html
    template.body = "{% if %}broken"
    with pytest.raises(ValidationError, match="mistake"):
        template.full_clean()
