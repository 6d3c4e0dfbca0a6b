"""The family and young person portal: tracker, All about me, messages, and no way into another child's record."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sendhub.clock.cases import deadline_rows, next_open
from sendhub.clock.models import StatutoryEvent
from sendhub.clock.services import open_review
from sendhub.letters.services import write_letter
from sendhub.messaging.models import Notification, State
from sendhub.messaging.services import notify
from sendhub.plans.models import PlanVersion, VersionKind
from sendhub.portal import services
from sendhub.portal.models import AllAboutMe, AllAboutMePicture
from sendhub.testing import factories as f
from sendhub.testing.files import picture_bytes

TODAY = timezone.localdate()
PNG = picture_bytes("png")


def png(name="drawing.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def records(area):
    """Something of every kind for the area's child, so every child-scoped page has an object to ask for."""
    child, caseworker = area.child, area.users["caseworker"]
    assessment = f.AssessmentFactory(child=child, request_received_on=TODAY - timedelta(days=20))
    plan = f.EHCPlanFactory(child=child, first_issued_on=TODAY - timedelta(days=300))
    version = PlanVersion.objects.create(child=child, number=1, kind=VersionKind.FINAL, issued_on=plan.first_issued_on,
                                         issued_by=caseworker, sections={"E": "Read a short book"})
    review = open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)
    letter = write_letter(key="decision-not-to-assess", child=child, actor=caseworker, assessment=assessment, context={
        "requester_name": "Parent", "request_date": TODAY, "decision_date": TODAY, "letter_date": TODAY,
        "reasons": "x", "local_authority": area.la, "mediation_by": TODAY, "appeal_by": TODAY})
    referral = f.ReferralFactory(child=child)
    from sendhub.assessments.models import AdviceRequest
    advice = AdviceRequest.objects.create(assessment=assessment, source="health", asked_of=area.users["therapist"],
                                          message="Please advise", requested_on=TODAY, requested_by=caseworker)
    entry = services.add_all_about_me(actor=area.users["parent"], child=child, answers={"likes": "Dinosaurs"},
                                      pictures=[(png(), "A green dinosaur")])
    from sendhub.organisations.models import Team
    from sendhub.reviews.services import refer_for_transition
    team = Team.objects.create(organisation=area.users["social_worker"].organisation, name="Adult team")
    transition = refer_for_transition(actor=caseworker, child=child, team=team, referred_on=TODAY)
    from sendhub.quality.models import Audit

    audit = Audit.objects.create(version=version, local_authority=child.local_authority, auditor=area.users["qa_officer"],
                                 status="completed", grade="good", family_view_asked_at=timezone.now())
    return {"audit": audit, "transition": transition, "assessment": assessment, "plan": plan, "version": version, "review": review, "letter": letter,
            "referral": referral, "picture": entry.pictures.get(), "advice": advice}


def test_tracker_shows_the_clocks_next_step_who_does_it_and_the_history(area, client_for, records):
    assessment = records["assessment"]
    expected = next_open(deadline_rows(assessment))
    page = client_for(area.users["parent"]).get(f"/children/{area.child.pk}/tracker")
    assert page.status_code == 200
    assert expected.label in page.text and f"{expected.deadline.due:%-d %B %Y}" in page.text
    assert "The council&#x27;s SEND team" in page.text or "The council's SEND team" in page.text
    assert "Final plan issued (version 1)" in page.text  # the history
    assert f"age={area.child.age()}" in page.text and "/local-offer/?" in page.text  # for this child's age and need
    referral = records["referral"]
    waits = client_for(area.users["parent"]).get(f"/children/{area.child.pk}/referrals/{referral.pk}")
    assert f"age={area.child.age()}&amp;waiting=1" in waits.text and 'data-testid="service-figures"' in waits.text
    easy = client_for(area.users["parent"]).get(f"/children/{area.child.pk}/tracker?read=easy")
    assert "The council decides if they will find out more about your needs." in easy.text


def test_all_about_me_keeps_words_and_described_pictures(area, client_for, records):
    parent = client_for(area.users["parent"])
    url = f"/children/{area.child.pk}/all-about-me"
    bad = parent.post(url, {"likes": "Trains", "picture_0": SimpleUploadedFile("cat.png", b"GIF89a....", "image/png"),
                            "description_0": "A cat"})
    assert bad.status_code == 200 and "is not a real PNG" in bad.text
    assert AllAboutMe.objects.filter(likes="Trains").count() == 0  # nothing half-saved
    undescribed = parent.post(url, {"likes": "Trains", "picture_0": png()})
    assert "Say what the picture drawing.png shows" in undescribed.text
    ok = parent.post(url, {"likes": "Trains", "important": "My brother", "picture_0": png(),
                           "description_0": "My train set"})
    assert ok.status_code == 302
    therapist = client_for(area.users["therapist"])
    page = therapist.get(url)
    assert "My train set" in page.text and 'alt="My train set"' in page.text
    assert therapist.post(url, {"likes": "x"}).status_code == 403
    picture = AllAboutMePicture.objects.filter(description="My train set").get()
    assert therapist.get(f"/all-about-me/pictures/{picture.pk}").status_code == 200
    assert client_for(area.users["other_parent"]).get(f"/all-about-me/pictures/{picture.pk}").status_code == 404


def test_messages_in_one_place_and_email_can_be_turned_off(area, client_for, records, django_capture_on_commit_callbacks):
    parent = area.users["parent"]
    client = client_for(parent)
    notify(recipients=[parent], child=area.child, subject="Draft plan issued", body="Read it", link="/")
    page = client.get("/messages/")
    assert "Draft plan issued" in page.text and records["letter"].title in page.text
    assert not Notification.objects.filter(recipient=parent, read_at__isnull=True).exists()
    assert client.post("/account/messages", {"email_notifications": "no", "easy_read": "yes"}).status_code == 302
    parent.refresh_from_db()
    assert parent.email_notifications is False and parent.easy_read is True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (note,) = notify(recipients=[parent], child=area.child, subject="Another", body="x")
    note.refresh_from_db()
    assert note.email_state == State.OFF and note.emailed_at is None
    assert callbacks == []  # no email queued
    # With easy read chosen, the tracker opens in easy read; the full one is a link away.
    assert "This page is about" in client.get(f"/children/{area.child.pk}/tracker").text
    assert "What has happened" in client.get(f"/children/{area.child.pk}/tracker?read=full").text


# -- Changing an id in a URL never reaches another child's record --------------------------------------

NOT_CHILD_SCOPED = {
    # These take the id of something that is not a child's record, or are staff-only pages checked elsewhere.
    "waits:list", "waits:new-referral", "waits:service-figures", "waits:service-details",
    "dashboard:drill-down", "dashboard:export", "dashboard:action-edit",  # a metric, a file format, a Big Plan action
    "sen2:download",  # a file format (the team manager's own council's return; sen2/tests)
    "accounts:remove-passkey",  # a passkey's id: someone else's is 'not found' (accounts/tests/test_passkeys.py)
    "manage:staff-member", "manage:staff-action", "manage:staff-invitation-resend",  # staff accounts (accounts tests)
    "accounts:invitation", "accounts:password-reset-confirm",  # a link's secret, not a record's id
    "sen2:download",  # a file format (the team manager's own council's return; sen2/tests)
}


def child_routes() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in {"admin", "directory", "api"}:
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.pattern.regex.groupindex:
                names.add(f"{namespace}:{pattern.name}")
    walk(get_resolver().url_patterns)
    return names


def urls_for(area, records) -> dict[str, str]:
    child, r = area.child, records
    return {
        "web:child": reverse("web:child", args=[child.pk]),
        "web:child-edit": reverse("web:child-edit", args=[child.pk]),
        "web:sharing-consent": reverse("web:sharing-consent", args=[child.pk]),
        "clock:assessment": reverse("clock:assessment", args=[r["assessment"].pk]),
        "clock:review": reverse("clock:review", args=[r["review"].pk]),
        "assessments:request": reverse("assessments:request", args=[child.pk]),
        "assessments:evidence": reverse("assessments:evidence", args=[r["assessment"].pk, 1]),
        "assessments:advice-file": reverse("assessments:advice-file", args=[r["assessment"].pk, 1]),
        "assessments:ask-for-advice": reverse("assessments:ask-for-advice", args=[r["assessment"].pk]),
        "assessments:give-advice": reverse("assessments:give-advice", args=[r["advice"].pk]),
        "letters:letter": reverse("letters:letter", args=[r["letter"].pk]),
        "letters:pdf": reverse("letters:pdf", args=[r["letter"].pk]),
        "plans:workspace": reverse("plans:workspace", kwargs={"kind": "review", "pk": r["review"].pk}),
        "plans:section": reverse("plans:section", kwargs={"kind": "review", "pk": r["review"].pk, "code": "A"}),
        "plans:versions": reverse("plans:versions", args=[child.pk]),
        "plans:compare": reverse("plans:compare", args=[child.pk]),
        "plans:version": reverse("plans:version", args=[r["version"].pk]),
        "plans:pdf": reverse("plans:pdf", args=[r["version"].pk]),
        "reviews:detail": reverse("reviews:detail", args=[r["review"].pk]),
        "reviews:report": reverse("reviews:report", args=[r["review"].pk]),
        "reviews:early-review": reverse("reviews:early-review", args=[child.pk]),
        "reviews:refer": reverse("reviews:refer", args=[child.pk]),
        "portal:tracker": reverse("portal:tracker", args=[child.pk]),
        "portal:all-about-me": reverse("portal:all-about-me", args=[child.pk]),
        "portal:picture": reverse("portal:picture", args=[r["picture"].pk]),
        "waits:referral": reverse("waits:referral", args=[r["referral"].pk]),
        "waits:action": reverse("waits:action", args=[r["referral"].pk, "triage"]),
        "waits:family-referral": reverse("waits:family-referral", args=[child.pk, r["referral"].pk]),
        "dashboard:disagreement": reverse("dashboard:disagreement", args=[r["assessment"].pk]),
        "reviews:transition": reverse("reviews:transition", args=[r["transition"].pk]),
        "manage:child-family": reverse("manage:child-family", args=[child.pk]),
        "manage:child-invite": reverse("manage:child-invite", args=[child.pk]),
        "manage:child-family-remove": reverse("manage:child-family-remove",
                                              args=[child.pk, child.family_members.first().pk]),
        "manage:child-invitation-withdraw": reverse("manage:child-invitation-withdraw", args=[child.pk, 1]),
        "quality:audit": reverse("quality:audit", args=[r["audit"].pk]),
        "quality:family-view": reverse("quality:family-view", args=[r["audit"].pk]),
        "quality:start": reverse("quality:start", args=[r["version"].pk]),
        "messaging:routes": reverse("messaging:routes", args=[child.pk, child.family_members.first().pk]),
        "messaging:young-person-routes": reverse("messaging:young-person-routes", args=[child.pk]),
        "messaging:pack": reverse("messaging:pack", args=[1]),  # a delivery on a council's post tray
    }


def test_every_child_route_is_checked(area, records):
    assert child_routes() - NOT_CHILD_SCOPED <= set(urls_for(area, records))


def test_another_parent_cannot_reach_the_child_through_any_url(area, client_for, records):
    other = client_for(area.users["other_parent"])
    own = client_for(area.users["parent"])
    for name, url in urls_for(area, records).items():
        if not url:
            continue
        for method in ("get", "post"):
            response = getattr(other, method)(url)
            assert response.status_code in {403, 404}, f"{method.upper()} {name} {url}: {response.status_code}"
    assert own.get(urls_for(area, records)["portal:tracker"]).status_code == 200


def test_another_parent_cannot_reach_the_child_through_the_api(area, client, records):
    from sendhub.accounts.services import issue_api_token

    key = issue_api_token(user=area.users["other_parent"], scope="write")  # a write token still finds nothing
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for path in ("", "/involvements", "/referrals", "/cases", "/record-history"):
        response = client.get(f"/api/v1/children/{area.child.pk}{path}", **headers)
        assert response.status_code == 404, path
    response = client.put(f"/api/v1/children/{area.child.pk}", data="{}", content_type="application/json", **headers)
    assert response.status_code in {404, 422}
