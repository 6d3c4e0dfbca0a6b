"""Providers keep their own entries: edit, review by the local offer team, publish; stale entries flagged."""

from datetime import timedelta

import pytest
import rules
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from sendhub.core.append_only import AppendOnlyError
from sendhub.directory import services
from sendhub.directory.models import EntryDraft, EntryState, PublishedVersion, Service

from .conftest import content, make_service


def form_data(draft: EntryDraft, **overrides) -> dict:
    """What the edit form posts for a draft's content, with some answers changed."""
    c = dict(draft.content, **overrides)
    data = {
        "name": c["name"], "description": c["description"], "easy_read": c.get("easy_read", ""),
        "category": c["category"], "needs": c["needs"], "minimum_age": c.get("minimum_age") or "",
        "maximum_age": c.get("maximum_age") or "", "eligibility": c.get("eligibility", ""),
        "self_referral": "yes" if c.get("self_referral") else "no", "how_to_access": c.get("how_to_access", ""),
        "is_free": "yes" if c.get("is_free") else "no", "cost_description": c.get("cost_description", ""),
        "while_waiting": c.get("while_waiting", ""), "status": c.get("status", "active"), "phone": c.get("phone", ""),
        "email": c.get("email", ""), "url": c.get("url", ""), "contact_name": c.get("contact_name", ""),
        "version": draft.version,
        "place-TOTAL_FORMS": len(c["locations"]) + 1, "place-INITIAL_FORMS": len(c["locations"]),
        "place-MIN_NUM_FORMS": 0, "place-MAX_NUM_FORMS": 1000,
        "time-TOTAL_FORMS": len(c["schedules"]) + 1, "time-INITIAL_FORMS": len(c["schedules"]),
        "time-MIN_NUM_FORMS": 0, "time-MAX_NUM_FORMS": 1000,
    }
    for i, loc in enumerate(c["locations"]):
        for key in ("location_type", "name", "address_1", "city", "postcode", "accessibility", "sal_id", "location_id"):
            data[f"place-{i}-{key}"] = loc.get(key) or ""
        data[f"place-{i}-original_postcode"] = loc.get("postcode") or ""
        data[f"place-{i}-latitude"] = loc.get("latitude") or ""
        data[f"place-{i}-longitude"] = loc.get("longitude") or ""
    data[f"place-{len(c['locations'])}-location_type"] = "physical"  # the blank extra form, as the browser sends it
    for i, s in enumerate(c["schedules"]):
        data[f"time-{i}-days"] = [d for d in s["byday"].split(",") if d]
        for key in ("opens_at", "closes_at", "description", "id"):
            data[f"time-{i}-{key}"] = s.get(key) or ""
    return data


def test_provider_writes_team_publishes(area, client_for, provider_org):
    therapist, manager = area.users["therapist"], area.users["team_manager"]
    provider = client_for(therapist)
    response = provider.post("/local-offer/entries/new")
    draft = EntryDraft.objects.get()
    assert response.url == f"/local-offer/drafts/{draft.pk}/" and draft.organisation == provider_org
    data = form_data(draft, **{k: v for k, v in content(name="Little Talkers").items()})
    response = provider.post(f"/local-offer/drafts/{draft.pk}/", data | {"submit": "1"})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    draft.refresh_from_db()
    assert draft.state == EntryState.SUBMITTED and draft.content["name"] == "Little Talkers"
    assert not Service.objects.exists()  # nothing is public before review

    team = client_for(manager)
    assert "Little Talkers" in team.get("/local-offer/review/").content.decode()
    review_page = team.get(f"/local-offer/review/{draft.pk}/")
    assert "Little Talkers" in review_page.content.decode()
    team.post(f"/local-offer/review/{draft.pk}/", {"version": draft.version, "publish": "1"})
    service = Service.objects.get()
    assert service.name == "Little Talkers" and service.organisation == provider_org
    assert service.last_checked == timezone.localdate() and service.version == 1
    assert service.locations.get().latitude is not None  # placed from the postcode table
    version = PublishedVersion.objects.get()
    assert version.number == 1 and version.content["name"] == "Little Talkers" and version.published_by == manager

    # a change goes through review again; the first published version is kept
    provider.post(f"/local-offer/entries/{service.pk}/edit")
    draft = EntryDraft.objects.get(state=EntryState.DRAFT)
    assert draft.service == service and draft.base_version == 1 and draft.content["locations"][0]["sal_id"]
    provider.post(f"/local-offer/drafts/{draft.pk}/", form_data(draft, name="Little Talkers Plus") | {"submit": "1"})
    draft.refresh_from_db()
    team.post(f"/local-offer/review/{draft.pk}/", {"version": draft.version, "publish": "1"})
    service.refresh_from_db()
    assert service.name == "Little Talkers Plus" and service.version == 2
    assert list(PublishedVersion.objects.filter(service=service).values_list("number", "content__name")) == [
        (2, "Little Talkers Plus"), (1, "Little Talkers")]
    assert str(service.locations.get().sal_id) == draft.content["locations"][0]["sal_id"]  # ids survive an edit


def test_published_versions_cannot_be_changed(db):
    service = make_service()
    version = PublishedVersion.objects.get(service=service)
    with pytest.raises(AppendOnlyError):
        version.save()
    with pytest.raises(AppendOnlyError):
        PublishedVersion.objects.filter(pk=version.pk).update(number=5)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE directory_publishedversion SET number = 5")


def test_returned_for_changes_with_a_note(area, client_for, provider_org):
    service = make_service(organisation=provider_org)
    draft = services.start_draft(actor=area.users["therapist"], organisation=provider_org, service=service)
    draft = services.submit_draft(actor=area.users["therapist"], draft=draft, expected_version=draft.version)
    team = client_for(area.users["team_manager"])
    response = team.post(f"/local-offer/review/{draft.pk}/", {"version": draft.version, "return": "1", "note": ""})
    assert "Say what the provider needs to change" in response.content.decode()
    team.post(f"/local-offer/review/{draft.pk}/", {"version": draft.version, "return": "1", "note": "Add the times"})
    draft.refresh_from_db()
    assert draft.state == EntryState.RETURNED
    page = client_for(area.users["therapist"]).get(f"/local-offer/drafts/{draft.pk}/").content.decode()
    assert "Add the times" in page


def test_two_people_editing_one_draft_never_overwrite(area, client_for, provider_org):
    draft = services.start_draft(actor=area.users["therapist"], organisation=provider_org)
    first = form_data(draft, **content(name="First"))
    second = form_data(draft, **content(name="Second"))
    provider = client_for(area.users["therapist"])
    assert provider.post(f"/local-offer/drafts/{draft.pk}/", first).status_code == 302
    response = provider.post(f"/local-offer/drafts/{draft.pk}/", second)
    assert "Someone else changed this entry after you opened it" in response.content.decode()
    assert response.context["form"]["name"].value() == "Second"  # what they typed is still on the page
    draft.refresh_from_db()
    assert draft.content["name"] == "First"


def test_publishing_a_draft_of_an_entry_changed_since_is_refused(area, provider_org):
    therapist, manager = area.users["therapist"], area.users["team_manager"]
    service = make_service(organisation=provider_org)
    draft = services.start_draft(actor=therapist, organisation=provider_org, service=service)
    draft = services.submit_draft(actor=therapist, draft=draft, expected_version=draft.version)
    services.confirm_still_correct(actor=manager, service=service, expected_version=service.version)
    with pytest.raises(services.ConcurrentEditError, match="changed after this draft was started"):
        services.publish_draft(actor=manager, draft=draft, expected_version=draft.version)
    draft.refresh_from_db()
    assert draft.state == EntryState.SUBMITTED


def test_bad_input_gets_clear_errors_and_loses_nothing(area, client_for, provider_org):
    draft = services.start_draft(actor=area.users["therapist"], organisation=provider_org)
    data = form_data(draft, **content(name="Keep me", minimum_age=12, maximum_age=5, phone="", email="", url="",
                                       is_free=False, cost_description=""))
    data["place-0-postcode"] = "nonsense"
    data["time-0-opens_at"] = "25:00"
    response = client_for(area.users["therapist"]).post(f"/local-offer/drafts/{draft.pk}/", data | {"submit": "1"})
    page = response.content.decode()
    for message in ["Oldest age must be the same as or more than the youngest age",
                    "Give at least one way to contact the service", "Say what the service costs",
                    "Place 1: enter a real postcode", "Time 1: Opening time must be a time like 09:30"]:
        assert message in page, message
    assert response.context["form"]["name"].value() == "Keep me"
    draft.refresh_from_db()
    assert draft.content["name"] == "" and draft.state == EntryState.DRAFT


def test_clean_content_names_every_problem():
    with pytest.raises(ValidationError) as caught:
        services.clean_content({"needs": ["NOPE"], "category": "space"})
    problems = caught.value.message_dict
    assert {"name", "description", "category", "needs", "how_to_access", "phone", "cost_description"} <= set(problems)


def test_who_may_do_what(area, provider_org):
    users = area.users
    service = make_service(organisation=provider_org)
    charity = make_service()  # an organisation with no staff here: kept by the local offer team
    assert rules.has_perm("directory.edit_entry", users["therapist"], service)
    assert not rules.has_perm("directory.edit_entry", users["therapist"], charity)
    assert rules.has_perm("directory.edit_entry", users["team_manager"], charity)
    assert rules.has_perm("directory.edit_entry", users["administrator"], service)
    for name in ("parent", "young_person", "senco", "social_worker", "caseworker", "leader"):
        assert not rules.has_perm("directory.edit_entry", users[name], service), name
        assert not rules.has_perm("directory.review_entries", users[name]), name
    assert not rules.has_perm("directory.review_entries", users["therapist"])
    assert not rules.has_perm("directory.review_entries", users["other_caseworker"])
    assert rules.has_perm("directory.review_entries", users["team_manager"])
    assert not rules.has_perm("directory.maintain_entries", users["parent"])
    assert rules.has_perm("directory.maintain_entries", users["senco"])


def test_pages_refuse_people_without_permission(area, client_for, provider_org):
    service = make_service(organisation=provider_org)
    draft = services.start_draft(actor=area.users["therapist"], organisation=provider_org, service=service)
    parent, senco = client_for(area.users["parent"]), client_for(area.users["senco"])
    assert parent.get("/local-offer/entries/").status_code == 403
    assert senco.get(f"/local-offer/drafts/{draft.pk}/").status_code == 403
    assert senco.post(f"/local-offer/entries/{service.pk}/edit").status_code == 403
    assert senco.get("/local-offer/review/").status_code == 403
    assert client_for(area.users["therapist"]).get("/local-offer/import/").status_code == 403
    assert client_for(area.users["therapist"]).post(f"/local-offer/review/{draft.pk}/", {"publish": "1", "version": 1}).status_code == 403
    anonymous = parent.__class__()
    assert anonymous.get("/local-offer/entries/").status_code == 302  # sign in first
    assert anonymous.get("/local-offer/").status_code == 200  # the search is public


def test_stale_entries_are_flagged_to_their_owner(area, client_for, provider_org):
    old = make_service(name="Old Entry", organisation=provider_org,
                       checked_on=timezone.localdate() - timedelta(days=400))
    make_service(name="Fresh Entry", organisation=provider_org)
    provider = client_for(area.users["therapist"])
    page = provider.get("/local-offer/entries/").content.decode()
    assert "1 entry has not been checked for over a year" in page and "Check now" in page
    assert "Not checked for over a year" in client_for(area.users["parent"]).get(
        f"/local-offer/services/{old.pk}").content.decode()
    provider.post(f"/local-offer/entries/{old.pk}/confirm", {"version": old.version})
    old.refresh_from_db()
    assert old.last_checked == timezone.localdate() and old.version == 2
    assert PublishedVersion.objects.filter(service=old, source="confirmed").exists()
    assert "has not been checked" not in provider.get("/local-offer/entries/").content.decode()
    stale_again = provider.post(f"/local-offer/entries/{old.pk}/confirm", {"version": 1})
    assert stale_again.status_code == 302
    old.refresh_from_db()
    assert old.version == 2  # an out-of-date confirmation changes nothing


def test_the_local_offer_team_adds_an_entry_for_a_charity(area, client_for):
    team = client_for(area.users["team_manager"])
    response = team.post("/local-offer/entries/new", {"new_organisation": "Calderbrook Parent Carer Forum"})
    draft = EntryDraft.objects.get()
    assert response.url == f"/local-offer/drafts/{draft.pk}/"
    assert draft.organisation.name == "Calderbrook Parent Carer Forum" and draft.organisation.partner is None
    assert "Select the organisation" in team.post("/local-offer/entries/new", {}).content.decode()


def test_navigation(area, client_for):
    page = client_for(area.users["therapist"]).get("/").content.decode()
    assert "Local offer entries" in page and "/local-offer/" in page
    parent_page = client_for(area.users["parent"]).get("/").content.decode()
    assert ">Local offer<" in parent_page and "Local offer entries" not in parent_page
