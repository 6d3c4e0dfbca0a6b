"""A provider's clinicians configure their own waiting lists and pathways: standards, help while waiting,
who to contact, clinicians. Other providers' lists do not exist for them; stale edits are refused."""

from sendhub.audit.models import AuditEvent
from sendhub.organisations.models import HealthService


def details(**overrides) -> dict:
    values = {"kind": "speech_language", "name": "Speech and language therapy", "pathway": "",
              "standard_weeks": "18", "standard": "18 weeks from referral to treatment",
              "while_waiting": "Drop-in advice sessions every Tuesday.", "if_worse": "Call the service on 01632 960 000.",
              "clinicians": "4.5", "version": "0"}
    values.update(overrides)
    return values


def test_clinician_changes_their_list_and_adds_a_pathway(waits_area, area, client_for):
    service = waits_area["service"]
    client = client_for(area.users["therapist"])
    url = f"/waiting-lists/{service.pk}/details"
    assert client.get(url).status_code == 200
    bad = client.post(url, details(name=service.name, kind=service.kind, standard_weeks="0", clinicians="lots",
                                   version=str(service.version)))
    assert "The standard must be at least 1 week" in bad.text and "Enter a number, like 3.5" in bad.text
    ok = client.post(url, details(name=service.name, kind=service.kind, version=str(service.version)))
    assert ok.status_code == 302
    service.refresh_from_db()
    assert service.while_waiting == "Drop-in advice sessions every Tuesday." and service.version == 1
    assert AuditEvent.objects.filter(object_id=str(service.pk), summary__startswith="Changed the waiting list").exists()
    stale = client.post(url, details(name=service.name, kind=service.kind, while_waiting="Overwrite", version="0"))
    assert "Someone else changed this list" in stale.text
    service.refresh_from_db()
    assert service.while_waiting == "Drop-in advice sessions every Tuesday."
    # A new pathway for the same provider; the same name twice is refused.
    new = client.post("/waiting-lists/new", details(kind="neurodevelopmental", name="ADHD assessment", pathway="ADHD"))
    assert new.status_code == 302
    added = HealthService.objects.get(name="ADHD assessment")
    assert added.provider_id == service.provider_id and added.pathway == "ADHD"
    again = client.post("/waiting-lists/new", details(kind="neurodevelopmental", name="ADHD assessment"))
    assert "already has a list of that kind with that name" in again.text


def test_nobody_else_changes_a_providers_lists(waits_area, area, client_for):
    service = waits_area["service"]
    for role in ("parent", "caseworker", "leader", "senco"):
        response = client_for(area.users[role]).post(f"/waiting-lists/{service.pk}/details",
                                                     details(version=str(service.version)))
        assert response.status_code in {403, 404}, role
    service.refresh_from_db()
    assert service.version == 0
