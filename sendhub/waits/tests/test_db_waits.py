"""Waiting lists in the web app: positions and estimates for families, clinicians' steps, import, figures."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sendhub.audit.models import AuditEvent
from sendhub.core.append_only import AppendOnlyError
from sendhub.testing import factories as f
from sendhub.waits import estimator, selectors, services
from sendhub.waits.history import Referral as Row
from sendhub.waits.models import ListImport, Referral, ReferralEvent, ServiceEstimate

pytestmark = pytest.mark.django_db


def family_url(referral):
    return reverse("waits:family-referral", kwargs={"child_pk": referral.child_id, "pk": referral.pk})


def shown_position(response) -> int:
    match = re.search(r"Number (\d+) on the list", response.content.decode())
    assert match, "no position on the page"
    return int(match.group(1))


def contract_order(referrals) -> list[str]:
    """The contract's ordering written out independently: urgent first, then referred_on, then the id."""
    waiting = [r for r in referrals if r.seen_on is None and r.removed_on is None]
    return [r.reference for r in sorted(waiting, key=lambda r: (r.priority != "urgent", r.referred_on, r.reference))]


# --------------------------------------------------------------------------- families


def test_family_sees_position_range_help_and_contact(waits_area, area, client_for):
    own = waits_area["queue"]["own_routine"]
    response = client_for(area.users["parent"]).get(family_url(own))
    assert response.status_code == 200
    page = response.content.decode()
    order = contract_order(Referral.objects.filter(service=waits_area["service"]))
    assert shown_position(response) == order.index("Q-200") + 1
    assert f"of {len(order)} children waiting" in page
    assert "Most children in this position are seen between" in page
    assert "Weekly drop-in advice for parents." in page
    assert "Call the therapy team on 0300 555 0100." in page
    assert AuditEvent.objects.filter(child=area.child, actor=area.users["parent"], action="view").exists()


def test_positions_shown_to_families_follow_the_contract_ordering(waits_area, area, client_for):
    """Urgent before routine, then earliest referred_on, then the reference as plain text (ties included)."""
    service, today = waits_area["service"], waits_area["today"]
    rng = random.Random(7)
    parent = area.users["parent"]
    day = today - timedelta(days=30)
    mine = []
    for ref in ["b-2", "B-10", "a-1", "A-1", "B-9"]:  # same day: plain text order, capitals first
        child = f.ChildFactory(local_authority=area.la)
        f.FamilyMemberFactory(child=child, user=parent)
        mine.append(f.ReferralFactory(child=child, service=service, reference=ref, referred_on=day,
                                      priority=rng.choice(["urgent", "routine"])))
    client = client_for(parent)
    everyone = list(Referral.objects.filter(service=service))
    order = contract_order(everyone)
    # the estimator's own positions agree with the contract written out above
    rows = [Row(r.reference, "s", r.priority, r.referred_on, r.seen_on, r.removed_on) for r in everyone]
    assert sorted(estimator.positions(rows), key=estimator.positions(rows).get) == order
    for referral in mine + [waits_area["queue"]["own_routine"], waits_area["queue"]["sibling_urgent"]]:
        assert shown_position(client.get(family_url(referral))) == order.index(referral.reference) + 1
    assert order.index("Q-300") < order.index("Q-100") < order.index("Q-200")  # urgent first; Q-100 before Q-200


def test_position_changes_as_soon_as_the_list_changes(waits_area, area, client_for):
    client = client_for(area.users["parent"])
    own = waits_area["queue"]["own_routine"]
    before = shown_position(client.get(family_url(own)))
    ahead = waits_area["queue"]["other_family"]
    services.first_appointment(actor=area.users["therapist"], referral=ahead, version=ahead.version,
                               on=waits_area["today"])
    assert shown_position(client.get(family_url(own))) == before - 1


def test_a_family_never_sees_another_childs_referral(waits_area, area, client_for):
    other = waits_area["queue"]["other_family"]
    own = waits_area["queue"]["own_routine"]
    client = client_for(area.users["parent"])
    assert client.get(family_url(other)).status_code == 404
    # another child's referral under the parent's own child's address
    url = reverse("waits:family-referral", kwargs={"child_pk": area.child.pk, "pk": other.pk})
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(actor=area.users["parent"], action="denied").count() == 2
    page = client.get(family_url(own)).content.decode()
    assert other.reference not in page and area.other_child.family_name not in page
    assert client.get(reverse("waits:list", kwargs={"pk": waits_area["service"].pk})).status_code == 404
    assert client.get(reverse("waits:referral", kwargs={"pk": own.pk})).status_code == 404
    assert client.get(reverse("waits:figures")).status_code == 403


def test_api_gives_the_same_position_and_estimate(waits_area, area, client_for):
    from sendhub.accounts.services import issue_api_token

    own = waits_area["queue"]["own_routine"]
    placement = selectors.placements([own])[own.pk]
    token = issue_api_token(user=area.users["caseworker"])
    from django.test import Client

    body = Client().get(f"/api/v1/children/{area.child.pk}/referrals",
                        headers={"authorization": f"Bearer {token}"}).json()
    (row,) = [r for r in body if r["reference"] == "Q-200"]
    assert row["position"] == placement.position
    assert row["estimate_p10"] == placement.p10.isoformat() and row["estimate_p90"] == placement.p90.isoformat()


# --------------------------------------------------------------------------- clinicians


def test_clinician_sees_the_list_in_contract_order(waits_area, area, client_for):
    service = waits_area["service"]
    response = client_for(area.users["therapist"]).get(reverse("waits:list", kwargs={"pk": service.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    order = contract_order(Referral.objects.filter(service=service))
    positions = [page.index(f">{ref}</a>") for ref in order]
    assert positions == sorted(positions)
    listed = AuditEvent.objects.filter(actor=area.users["therapist"], action="list", path__contains=f"/{service.pk}/")
    assert set(listed.values_list("child_id", flat=True)) == set(
        Referral.objects.filter(service=service, seen_on__isnull=True, removed_on__isnull=True).values_list("child_id", flat=True))


def test_other_providers_clinician_and_leaders_cannot_see_records(waits_area, area, client_for):
    stranger = f.UserFactory(role="health_professional", organisation=f.ProviderFactory(local_authority=area.la))
    service = waits_area["service"]
    own = waits_area["queue"]["own_routine"]
    client = client_for(stranger)
    assert client.get(reverse("waits:list", kwargs={"pk": service.pk})).status_code == 404
    assert client.get(reverse("waits:referral", kwargs={"pk": own.pk})).status_code == 404
    assert client.post(reverse("waits:action", kwargs={"pk": own.pk, "action": "remove"})).status_code == 404
    leader = client_for(area.users["leader"])
    assert leader.get(reverse("waits:list", kwargs={"pk": service.pk})).status_code == 404
    assert leader.get(reverse("waits:referral", kwargs={"pk": own.pk})).status_code == 404


def test_referral_life_triage_clock_stop_treatment_discharge(waits_area, area, client_for):
    client = client_for(area.users["therapist"])
    own = waits_area["queue"]["own_routine"]
    today = waits_area["today"]
    url = reverse("waits:action", kwargs={"pk": own.pk, "action": "triage"})
    date_fields = {"on-day": today.day, "on-month": today.month, "on-year": today.year}
    response = client.post(url, {"version": own.version, "priority": "urgent", **date_fields})
    assert "Enter the clinical note" in response.content.decode()  # refused, and the choice is kept
    assert 'value="urgent" checked' in response.content.decode()
    response = client.post(url, {"version": own.version, "priority": "urgent", "note": "Losing words", **date_fields})
    assert response.status_code == 302
    for action in ["first-appointment", "treatment", "discharge"]:
        own.refresh_from_db()
        response = client.post(reverse("waits:action", kwargs={"pk": own.pk, "action": action}),
                               {"version": own.version, **date_fields})
        assert response.status_code == 302, response.content.decode()
    own.refresh_from_db()
    assert (own.priority, own.triage_note, own.seen_on, own.treatment_started_on, own.discharged_on) == (
        "urgent", "Losing words", today, today, today)
    assert list(own.events.values_list("kind", flat=True)) == ["triaged", "first_appointment", "treatment_started",
                                                              "discharged"]
    assert AuditEvent.objects.filter(object_id=str(own.pk), action="update").count() == 4
    page = client.get(reverse("waits:referral", kwargs={"pk": own.pk})).content.decode()
    assert "Discharged" in page and "Losing words" in page


def test_a_stale_edit_is_refused_and_nothing_changes(waits_area, area):
    own = waits_area["queue"]["own_routine"]
    seen_version = own.version
    services.triage(actor=area.users["therapist"], referral=own, version=seen_version, priority="urgent",
                    note="First clinician", on=waits_area["today"])
    with pytest.raises(ValidationError, match="Someone else changed this referral"):
        services.remove(actor=area.users["therapist"], referral=own, version=seen_version, on=waits_area["today"],
                        reason="Second clinician, stale page")
    own.refresh_from_db()
    assert own.removed_on is None and own.triage_note == "First clinician"


def test_stale_form_keeps_what_was_typed(waits_area, area, client_for):
    own = waits_area["queue"]["own_routine"]
    today = waits_area["today"]
    services.triage(actor=area.users["therapist"], referral=own, version=own.version, priority="routine",
                    note="Stable", on=today)
    response = client_for(area.users["therapist"]).post(
        reverse("waits:action", kwargs={"pk": own.pk, "action": "remove"}),
        {"version": own.version, "reason": "Moved out of the area", "on-day": today.day, "on-month": today.month,
         "on-year": today.year})
    page = response.content.decode()
    assert response.status_code == 200 and "Someone else changed this referral" in page
    assert "Moved out of the area" in page


def test_transfer_keeps_the_original_clock(waits_area, area):
    own = waits_area["queue"]["own_routine"]
    autism = f.HealthServiceFactory(provider=area.provider, kind="neurodevelopmental", name="Autism assessment",
                                    pathway="Autism")
    moved = services.transfer(actor=area.users["therapist"], referral=own, version=own.version, to_service=autism,
                              note="Better suited", on=waits_area["today"])
    assert moved.service == autism and moved.referred_on == own.referred_on
    event = moved.events.get(kind="transferred")
    assert (event.from_service, event.to_service) == (waits_area["service"], autism)
    other_provider = f.HealthServiceFactory()
    with pytest.raises(ValidationError):
        services.transfer(actor=area.users["therapist"], referral=moved, version=moved.version,
                          to_service=other_provider, note="", on=waits_area["today"])


def test_removal_needs_a_reason_and_events_are_append_only(waits_area, area):
    own = waits_area["queue"]["own_routine"]
    with pytest.raises(ValidationError, match="reason"):
        services.remove(actor=area.users["therapist"], referral=own, version=own.version, on=waits_area["today"],
                        reason=" ")
    services.remove(actor=area.users["therapist"], referral=own, version=own.version, on=waits_area["today"],
                    reason="No longer needed")
    event = ReferralEvent.objects.get(referral=own)
    event.note = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(ValidationError, match="no longer waiting"):
        own.refresh_from_db()
        services.first_appointment(actor=area.users["therapist"], referral=own, version=own.version,
                                   on=waits_area["today"])


def born(child) -> dict:
    return {"date_of_birth-day": child.date_of_birth.day, "date_of_birth-month": child.date_of_birth.month,
            "date_of_birth-year": child.date_of_birth.year}


def test_add_a_referral_by_nhs_number_and_date_of_birth(waits_area, area, client_for):
    service = waits_area["service"]
    today = waits_area["today"]
    url = reverse("waits:new-referral", kwargs={"pk": service.pk})
    data = {"nhs_number": "943 476 5910", "reference": "NEW-1", "priority": "routine",
            "referred_on-day": today.day, "referred_on-month": today.month, "referred_on-year": today.year}
    client = client_for(area.users["therapist"])
    response = client.post(url, {**data, **born(area.other_child)})
    assert "NHS number is not valid" in response.content.decode()
    response = client.post(url, {**data, "nhs_number": area.other_child.nhs_number})
    assert "Enter the child" in response.content.decode() and not Referral.objects.filter(reference="NEW-1").exists()
    response = client.post(url, {**data, "nhs_number": area.other_child.nhs_number, **born(area.other_child)})
    assert response.status_code == 302
    referral = Referral.objects.get(reference="NEW-1")
    assert referral.child == area.other_child and referral.events.get().kind == "received"


def test_the_referral_form_is_not_an_nhs_number_to_name_oracle(waits_area, area, client_for):
    """Issue 15, finding 13: a clinician who knows only an NHS number learns nothing and writes nothing; a wrong
    number, a wrong date of birth and a child of another area all get the same words, and each try is audited."""
    from sendhub.waits.selectors import NO_MATCHING_CHILD

    service = waits_area["service"]
    today = waits_area["today"]
    url = reverse("waits:new-referral", kwargs={"pk": service.pk})
    base = {"reference": "ORACLE-1", "priority": "routine",
            "referred_on-day": today.day, "referred_on-month": today.month, "referred_on-year": today.year}
    target, far = area.other_child, area.far_child  # a child the clinician cannot see; a child of another council
    wrong_day = target.date_of_birth - timedelta(days=1)
    attempts = {
        "right number, wrong date of birth": {"nhs_number": target.nhs_number, "date_of_birth-day": wrong_day.day,
                                              "date_of_birth-month": wrong_day.month,
                                              "date_of_birth-year": wrong_day.year},
        "unknown number, real date of birth": {"nhs_number": "9434765919", **born(target)},
        "another number's date of birth": {"nhs_number": target.nhs_number, **born(area.sibling)}
        if area.sibling.date_of_birth != target.date_of_birth else {"nhs_number": "9434765919", **born(area.sibling)},
        "a child of another council": {"nhs_number": far.nhs_number, **born(far)},
    }
    client = client_for(area.users["therapist"])
    denied = AuditEvent.objects.filter(actor=area.users["therapist"], action="denied", object_type="people.Child")
    bodies = []
    for what, fields in attempts.items():
        response = client.post(url, {**base, **fields})
        body = response.content.decode()
        assert response.status_code == 200, what
        assert NO_MATCHING_CHILD in body, what
        for child in (target, far, area.sibling):
            assert child.given_name not in body and child.family_name not in body, what
        bodies.append(response.context["form"].errors.as_data())
    assert not Referral.objects.filter(reference="ORACLE-1").exists()
    assert len({str(b) for b in bodies}) == 1  # word for word the same answer every time
    assert denied.count() == len(attempts)
    # with both right, the referral is added, and only then is the child named
    response = client.post(url, {**base, "nhs_number": target.nhs_number, **born(target)}, follow=True)
    assert Referral.objects.get(reference="ORACLE-1").child == target
    assert target.family_name in response.content.decode()


def test_guessing_dates_of_birth_is_paused_after_ten_misses(waits_area, area, client_for):
    from django.core.exceptions import ValidationError

    from sendhub.waits.services import MAX_FAILED_MATCHES, PAUSED

    target, therapist = area.other_child, area.users["therapist"]

    def attempt(actor, born_on, reference):
        return services.add_referral(actor=actor, service=waits_area["service"], nhs_number=target.nhs_number,
                                     date_of_birth=born_on, reference=reference, priority="routine",
                                     referred_on=waits_area["today"])

    for n in range(MAX_FAILED_MATCHES):
        with pytest.raises(ValidationError):
            attempt(therapist, date(2010, 1, 1) + timedelta(days=n), f"G-{n}")
    with pytest.raises(ValidationError) as paused:
        attempt(therapist, target.date_of_birth, "G-right")  # even the right date: nothing to learn from the answer
    assert paused.value.message_dict == {"nhs_number": [PAUSED]}
    assert not Referral.objects.filter(reference__startswith="G-").exists()
    colleague = f.UserFactory(role="health_professional", organisation=area.provider)
    assert attempt(colleague, target.date_of_birth, "G-colleague").child == target  # the pause is per person


def test_the_referral_service_refuses_a_half_match_too(waits_area, area):
    from django.core.exceptions import ValidationError

    from sendhub.waits.selectors import NO_MATCHING_CHILD

    for nhs, day in [(area.other_child.nhs_number, date(2001, 1, 1)), ("9434765919", area.other_child.date_of_birth)]:
        with pytest.raises(ValidationError) as refused:
            services.add_referral(actor=area.users["therapist"], service=waits_area["service"], nhs_number=nhs,
                                  date_of_birth=day, reference="SVC-1", priority="routine",
                                  referred_on=waits_area["today"])
        assert refused.value.message_dict == {"nhs_number": [NO_MATCHING_CHILD]}
    assert not Referral.objects.filter(reference="SVC-1").exists()


# --------------------------------------------------------------------------- import


def csv_of(*rows) -> bytes:
    header = "referral_id,service,priority,referred_on,seen_on,removed_on,nhs_number,date_of_birth\n"
    return (header + "".join(",".join(r) + "\n" for r in rows)).encode()


def test_import_loads_all_rows_or_nothing(waits_area, area):
    service = waits_area["service"]
    today = waits_area["today"]
    day = (today - timedelta(days=30)).isoformat()
    good = csv_of(["IMP-1", "speech_language", "routine", day, "", "", area.child.nhs_number, area.child.date_of_birth.isoformat()],
                  ["IMP-2", "Speech and language therapy", "urgent", day, today.isoformat(), "",
                   area.sibling.nhs_number, area.sibling.date_of_birth.isoformat()])
    bad = csv_of(["IMP-1", "speech_language", "routine", day, "", "", area.child.nhs_number, area.child.date_of_birth.isoformat()],
                 ["IMP-2", "wheelchair", "soon", "2026-02-30", "", "", "9434765910", "2015-05-03"],
                 ["IMP-1", "speech_language", "routine", day, "", "", area.far_child.nhs_number, area.far_child.date_of_birth.isoformat()])
    with pytest.raises(services.ImportRefused) as refused:
        services.import_list(actor=area.users["therapist"], provider=area.provider, content=bad, filename="bad.csv")
    problems = {(e.line, e.column) for e in refused.value.result.errors}
    assert {(3, "service"), (3, "priority"), (3, "referred_on"), (3, "nhs_number"), (4, "referral_id")} <= problems
    assert not Referral.objects.filter(reference__startswith="IMP-").exists() and not ListImport.objects.exists()

    result = services.import_list(actor=area.users["therapist"], provider=area.provider, content=good,
                                  filename="good.csv")
    assert (result.rows, result.waiting) == (2, 1)
    assert Referral.objects.get(reference="IMP-2", service=service).seen_on == today
    assert ReferralEvent.objects.filter(referral__reference="IMP-2").count() == 2
    assert AuditEvent.objects.filter(object_type="waits.Referral", action="create").count() == 2
    with pytest.raises(services.ImportRefused, match="already imported"):
        services.import_list(actor=area.users["therapist"], provider=area.provider, content=good, filename="again.csv")
    overlapping = good + b"\n"
    with pytest.raises(services.ImportRefused) as again:
        services.import_list(actor=area.users["therapist"], provider=area.provider, content=overlapping,
                             filename="edited.csv")
    assert all("already on" in e.message for e in again.value.result.errors)
    assert Referral.objects.filter(reference__startswith="IMP-").count() == 2


def test_import_matches_nhs_number_and_date_of_birth_together(waits_area, area):
    """The CSV import is the same path as the form: a row whose NHS number and date of birth do not both match a
    child of the area is refused with the same words, and nothing is loaded."""
    from sendhub.waits.selectors import NO_MATCHING_CHILD

    day = (waits_area["today"] - timedelta(days=30)).isoformat()
    target = area.other_child
    content = csv_of(["M-1", "speech_language", "routine", day, "", "", target.nhs_number, "2001-01-01"],
                     ["M-2", "speech_language", "routine", day, "", "", "9434765919", target.date_of_birth.isoformat()],
                     ["M-3", "speech_language", "routine", day, "", "", area.far_child.nhs_number,
                      area.far_child.date_of_birth.isoformat()],
                     ["M-4", "speech_language", "routine", day, "", "", target.nhs_number, ""])
    with pytest.raises(services.ImportRefused) as refused:
        services.import_list(actor=area.users["therapist"], provider=area.provider, content=content, filename="m.csv")
    errors = [(e.line, e.column, e.message) for e in refused.value.result.errors]
    assert errors[:3] == [(line, "nhs_number", NO_MATCHING_CHILD) for line in (2, 3, 4)]
    assert errors[3][:2] == (5, "date_of_birth")
    assert not any(target.family_name in message for _, _, message in errors)
    assert not Referral.objects.filter(reference__startswith="M-").exists()


def test_import_page_reports_every_row(waits_area, area, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = csv_of(["X-1", "speech_language", "routine", "2026-01-05", "", "", "1234567890", "2015-05-03"],
                     ["X-2", "speech_language", "routine", "2026-01-05", "2025-12-01", "", area.child.nhs_number, area.child.date_of_birth.isoformat()])
    response = client_for(area.users["therapist"]).post(
        reverse("waits:import"), {"file": SimpleUploadedFile("list.csv", content, content_type="text/csv")})
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported: 2 problems" in page
    assert "NHS number is not valid" in page and "before the referral" in page
    assert not Referral.objects.filter(reference__startswith="X-").exists()


# --------------------------------------------------------------------------- figures


def test_leader_sees_area_figures_and_what_if(waits_area, area, client_for):
    client = client_for(area.users["leader"])
    response = client.get(reverse("waits:figures"))
    assert response.status_code == 200 and "Speech and language therapy" in response.content.decode()
    assert area.child.family_name not in response.content.decode()
    url = reverse("waits:service-figures", kwargs={"pk": waits_area["service"].pk})
    page = client.get(url, {"extra_clinicians": "2"}).content.decode()
    assert "capacity × 1.20" in page and page.count("<th scope=\"row\"") == 12
    page = client.get(url, {"percent": "900"}).content.decode()
    assert "Enter a change between -75 and 300 per cent" in page
    page = client.get(url, {"extra_clinicians": "-10"}).content.decode()
    assert "cannot lose" in page
    page = client.get(url, {"extra_clinicians": "1", "percent": "5"}).content.decode()
    assert "not both" in page
    far = f.UserFactory(role="partnership_leader", organisation=area.other_la)
    assert client_for(far).get(url).status_code == 404


def test_figures_match_the_list(waits_area):
    (fig,) = selectors.list_figures([waits_area["service"]])
    waiting = Referral.objects.filter(service=waits_area["service"]).waiting()
    assert fig.waiting == waiting.count() == 11
    days = sorted((waits_area["today"] - r.referred_on).days for r in waiting)
    assert fig.within_standard == sum(d <= 18 * 7 for d in days) / len(days)
    assert len(fig.forecast) == 12 and len(fig.what_if_forecast) == 12
    assert selectors.multiplier_for(waits_area["service"], percent=20) == pytest.approx(1.2)


def test_estimates_are_cached_per_day_and_list_state(waits_area, area, monkeypatch):
    calls = []
    real = estimator.estimate
    monkeypatch.setattr(estimator, "estimate", lambda *a, **k: calls.append(1) or real(*a, **k))
    service = waits_area["service"]
    selectors.service_placements(service)
    selectors.service_placements(service)
    assert len(calls) == 1 and ServiceEstimate.objects.filter(service=service).count() == 1
    f.ReferralFactory(service=service, referred_on=waits_area["today"] - timedelta(days=3))
    selectors.service_placements(service)
    assert len(calls) == 2
    selectors.service_placements(service, today=waits_area["today"] + timedelta(days=1))
    assert len(calls) == 3


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("extra", [5, 60])
def test_pages_do_not_query_per_row(waits_area, area, client_for, django_assert_max_num_queries, extra):
    service = waits_area["service"]
    for n in range(extra):
        f.ReferralFactory(service=service, child=waits_area["others"][n % 3], reference=f"Z-{n:03d}",
                          referred_on=waits_area["today"] - timedelta(days=n))
    therapist = client_for(area.users["therapist"])
    therapist.get(reverse("waits:lists"))  # fills the day's cache
    with django_assert_max_num_queries(16):
        assert therapist.get(reverse("waits:list", kwargs={"pk": service.pk})).status_code == 200
    with django_assert_max_num_queries(14):
        assert therapist.get(reverse("waits:lists")).status_code == 200
    parent = client_for(area.users["parent"])
    with django_assert_max_num_queries(19):
        assert parent.get(family_url(waits_area["queue"]["own_routine"])).status_code == 200
    leader = client_for(area.users["leader"])
    with django_assert_max_num_queries(14):
        assert leader.get(reverse("waits:figures")).status_code == 200
