"""The privacy notice and accessibility statement say who the council is, from settings, with every required section."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

COUNCIL = {
    "COUNCIL_NAME": "Testshire County Council", "COUNCIL_ADDRESS": "1 Test Street, Testtown, TT1 1TT",
    "COUNCIL_SEND_TEAM_EMAIL": "send@testshire.example.test", "COUNCIL_SEND_TEAM_TELEPHONE": "01632 960555",
    "COUNCIL_DPO_NAME": "Dana Protection", "COUNCIL_DPO_EMAIL": "dpo@testshire.example.test",
    "COUNCIL_DPO_ADDRESS": "DPO, 1 Test Street, Testtown", "COUNCIL_ICO_REGISTRATION": "ZZ123456",
    "COUNCIL_ADVICE_SERVICE_NAME": "Testshire SENDIASS", "COUNCIL_ADVICE_SERVICE_TELEPHONE": "01632 960777",
    "COUNCIL_ADVICE_SERVICE_EMAIL": "iass@testshire.example.test",
    "ACCESSIBILITY_STATEMENT_PREPARED": "2026-11-02", "ACCESSIBILITY_STATEMENT_REVIEWED": "2026-11-30",
}


@override_settings(**COUNCIL)
def test_privacy_notice_names_the_controller_and_covers_uk_gdpr(client):
    page = client.get("/privacy").content.decode()
    for value in ("Testshire County Council", "1 Test Street, Testtown, TT1 1TT", "ZZ123456", "Dana Protection",
                  "dpo@testshire.example.test", "DPO, 1 Test Street, Testtown", "Testshire SENDIASS", "01632 960777"):
        assert value in page, value
    for section in ("Who is responsible for your information", "What information we hold", "Why we use it",
                    "Our lawful basis", "Who we share it with", "How long we keep it", "Your rights", "Complaints",
                    "Cookies"):
        assert f">{section}</h2>" in page, section
    for text in ("Article 6(1)(e)", "Article 6(1)(c)", "Children and Families Act 2014", "Article 9(2)(g)",
                 "Article 9(2)(h)", "Schedule 1", "integrated care board", "school", "social care",
                 "until the young person is 25 and then for 6 more years", "retention schedule",
                 "<strong>access</strong>", "<strong>rectification</strong>", "<strong>erasure</strong>",
                 "<strong>restriction</strong>", "<strong>objection</strong>",
                 "Information Commissioner&#x27;s Office", "0303 123 1113", "SK9 5AF"):
        assert text in page.replace("Information Commissioner's Office", "Information Commissioner&#x27;s Office"), text


@override_settings(**COUNCIL)
def test_accessibility_statement_follows_the_gov_uk_model(client):
    page = client.get("/accessibility").content.decode()
    for value in ("Testshire County Council", "send@testshire.example.test", "01632 960555", "2 November 2026",
                  "30 November 2026"):
        assert value in page, value
    for section in ("How accessible this service is", "Feedback and contact information",
                    "Reporting accessibility problems with this service", "Enforcement procedure",
                    "Technical information about this service&#x27;s accessibility", "Non-accessible content",
                    "Preparation of this accessibility statement"):
        assert section in page.replace("service's", "service&#x27;s"), section
    for text in ("partially compliant", "Web Content Accessibility Guidelines version 2.2", "AA standard",
                 "Equality and Human Rights Commission", "Equality Advisory and Support Service", "axe",
                 "Chromium", "320 pixels", "PDF", "charts"):
        assert text in page, text


def test_demo_defaults_are_obviously_fictional(settings):
    assert "fictional" in settings.COUNCIL_NAME and "fictional" in settings.COUNCIL_ICO_REGISTRATION
    assert settings.COUNCIL_DPO_EMAIL.endswith(".test") and settings.COUNCIL_ADVICE_SERVICE_EMAIL.endswith(".test")
