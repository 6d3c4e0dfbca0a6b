"""How each person is reached: routes, deliver(), the post tray, print packs and the figure's truth."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sendhub.accounts.models import Role
from sendhub.audit.models import AuditEvent
from sendhub.messaging.deliveries import advance, deliver, mark_posted
from sendhub.messaging.models import Delivery, DeliveryState
from sendhub.people.models import Relationship
from sendhub.people.routes import route_errors
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
TODAY = timezone.localdate()


def test_route_rules_refuse_a_route_that_cannot_reach_them():
    base = dict(by_portal=False, by_email=False, by_post=False, email="", address="", postcode="", has_account=False)
    assert "by_portal" in route_errors(**base)  # nothing chosen
    assert set(route_errors(**{**base, "by_post": True})) == {"address", "postcode"}
    assert set(route_errors(**{**base, "by_email": True})) == {"email"}
    assert "by_portal" in route_errors(**{**base, "by_portal": True})  # no account
    assert route_errors(**{**base, "by_post": True, "address": "1 High St\nTown", "postcode": "nope"}) == {
        "postcode": "Enter a real postcode, like SW1A 1AA"}
    assert route_errors(**{**base, "by_post": True, "address": "1 High St", "postcode": "sw1a1aa"}) == {}


@pytest.fixture
def family(area):
    """The child's mother has no account and gets post; the father uses email; the parent signs in."""
    mother = f.FamilyMemberFactory(child=area.child, user=None, full_name="Jane Archer",
                                   relationship=Relationship.MOTHER, by_portal=False, by_post=True,
                                   address="12 Mill Lane\nCalderbrook", postcode="CB1 2AB", accessible_format="large_print")
    father = f.FamilyMemberFactory(child=area.child, user=None, full_name="Tom Archer",
                                   relationship=Relationship.FATHER, by_portal=False, by_email=True,
                                   email="tom@example.test")
    return mother, father


def test_routes_form_saves_validates_and_is_audited(area, client_for, family):
    mother, _ = family
    url = reverse("messaging:routes", kwargs={"pk": area.child.pk, "member_pk": mother.pk})
    caseworker = client_for(area.users["caseworker"])
    bad = caseworker.post(url, {"by_post": "on", "address": "", "postcode": ""})
    assert bad.status_code == 400 and "Enter the postal address" in bad.content.decode()
    ok = caseworker.post(url, {"by_post": "on", "by_email": "on", "email": "Jane@Example.test",
                               "address": "3 New Road\nCalderbrook", "postcode": "cb12ab", "language": "Polish"})
    assert ok.status_code == 302
    mother.refresh_from_db()
    assert (mother.email, mother.postcode, mother.language) == ("jane@example.test", "CB1 2AB", "Polish")
    assert AuditEvent.objects.filter(object_id=str(mother.pk), summary__contains="receives letters").exists()
    assert client_for(area.users["other_caseworker"]).get(url).status_code == 404
    assert client_for(area.users["parent"]).get(url).status_code in {403, 404}


def issue_draft(area, **extra):
    from sendhub.clock.services import record_event
    from sendhub.plans.services import drafts_for, issue_version, save_section

    cw = area.users["caseworker"]
    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=100))
    record_event(actor=cw, case=assessment, type="decision_to_assess", date=TODAY - timedelta(days=80))
    record_event(actor=cw, case=assessment, type="decision_to_issue_plan", date=TODAY - timedelta(days=20))
    save_section(actor=cw, case=assessment, section="B", text="Needs", expected_version=drafts_for(assessment)["B"].version)
    return issue_version(actor=cw, case=assessment, kind="draft", issued_on=TODAY, **extra)


@override_settings(TASKS=IMMEDIATE)
def test_issuing_reaches_each_person_by_their_route(area, family, django_capture_on_commit_callbacks):
    mother, father = family
    mother.by_post = False
    mother.save()
    with pytest.raises(ValidationError, match="Add how to reach Jane Archer"):
        issue_draft(area)
    with django_capture_on_commit_callbacks(execute=True):
        version = issue_draft(area, confirmed_unreachable=True)
    got = {(d.recipient_name, d.route, d.state) for d in Delivery.objects.filter(version=version)}
    assert ("Jane Archer", "none", "not_sent") in got
    assert ("Tom Archer", "email", "emailed") in got
    assert (area.users["parent"].full_name, "portal", "in_account") in got
    assert (area.users["therapist"].full_name, "portal", "in_account") in got
    [email] = [m for m in mail.outbox if m.to == ["tom@example.test"]]
    assert email.attachments[0][1][:4] == b"%PDF" and area.child.family_name not in email.body


@override_settings(TASKS=IMMEDIATE)
def test_a_failed_email_is_recorded_as_failed(area, family, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    letter = f_letter(area)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(child=area.child, letter=letter, actor=area.users["caseworker"])
    emailed = Delivery.objects.get(letter=letter, route="email")
    assert emailed.state == "email_failed" and "mail server down" in emailed.status_text()


def f_letter(area):
    from sendhub.letters.services import write_letter

    return write_letter(key=next(iter(__import__("sendhub.letters.defaults", fromlist=["DEFAULTS"]).DEFAULTS)),
                        child=area.child, actor=area.users["caseworker"], send=False, context={
                            "decision_date": TODAY, "letter_date": TODAY, "reasons": "Reasons",
                            "local_authority": area.la, "mediation_by": TODAY, "appeal_by": TODAY,
                            "requester_name": "Jane Archer"})


def test_post_tray_is_the_councils_own_and_marks_posted_forward_only(area, client_for, family):
    from pypdf import PdfReader

    letter = f_letter(area)
    deliver(child=area.child, letter=letter, actor=area.users["caseworker"])
    pack = Delivery.objects.get(letter=letter, route="post")
    assert pack.state == "waiting_post" and pack.postal_address.startswith("Jane Archer\n12 Mill Lane")
    support = f.UserFactory(role=Role.BUSINESS_SUPPORT, organisation=area.la)
    tray = client_for(support).get(reverse("messaging:post-tray"))
    assert [d.pk for d in tray.context["waiting"]] == [pack.pk]
    pdf = client_for(support).get(reverse("messaging:pack", kwargs={"pk": pack.pk}))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Jane Archer" in text and "CB1 2AB" in text and letter.title in text
    # another council's caseworker neither sees nor prints nor marks it
    stranger = client_for(area.users["other_caseworker"])
    assert list(stranger.get(reverse("messaging:post-tray")).context["waiting"]) == []
    assert stranger.get(reverse("messaging:pack", kwargs={"pk": pack.pk})).status_code == 404
    with pytest.raises(ValidationError):
        mark_posted(actor=area.users["other_caseworker"], deliveries=[pack], posted_on=TODAY)
    assert client_for(area.users["parent"]).get(reverse("messaging:post-tray")).status_code == 403
    future = client_for(support).post(reverse("messaging:post-tray"), {
        "deliveries": [pack.pk], "posted_on-day": (TODAY + timedelta(days=1)).day,
        "posted_on-month": (TODAY + timedelta(days=1)).month, "posted_on-year": (TODAY + timedelta(days=1)).year})
    assert future.status_code == 400
    pack.refresh_from_db()
    assert pack.state == "waiting_post"
    done = client_for(support).post(reverse("messaging:post-tray"), {
        "only": pack.pk, "posted_on-day": TODAY.day, "posted_on-month": TODAY.month, "posted_on-year": TODAY.year})
    assert done.status_code == 302
    pack.refresh_from_db()
    assert pack.state == "posted" and pack.posted_by == support
    assert pack.status_text() == f"Posted to Jane Archer on {TODAY:%-d %B %Y} by {support.full_name}"
    with pytest.raises(ValidationError):
        advance(pack, DeliveryState.WAITING_POST)  # never backwards


def test_named_school_and_its_senco_receive_the_final_plan(area, client_for):
    from sendhub.messaging.selectors import entitled_recipients
    from sendhub.plans.models import PlanVersion

    version = PlanVersion.objects.create(child=area.other_child, number=1, kind="final", sections={"I": "Oak"},
                                         issued_on=TODAY, issued_by=area.users["caseworker"],
                                         named_setting=area.school)
    assert any(r.organisation == area.school for r in entitled_recipients(area.other_child, version=version))
    deliver(child=area.other_child, version=version, actor=area.users["caseworker"])
    senco = client_for(area.users["senco"])  # the SENCO's school is named, though the child is at another
    assert [d.version for d in senco.get(reverse("plans:mine")).context["deliveries"]] == [version]
    assert senco.get(reverse("plans:version", kwargs={"pk": version.pk})).status_code == 200
    assert Delivery.objects.get(version=version, organisation=area.school).state == "opened"
    # the plan's other pages open too, showing only what was sent to the school; the child's record does not
    amended = PlanVersion.objects.create(child=area.other_child, number=2, kind="amended", sections={"I": "Oak Lane"},
                                         issued_on=TODAY, issued_by=area.users["caseworker"], named_setting=area.school)
    deliver(child=area.other_child, version=amended, actor=area.users["caseworker"])
    listed = senco.get(reverse("plans:versions", args=[area.other_child.pk]))
    assert listed.status_code == 200 and list(listed.context["versions"]) == [amended, version]
    compared = senco.get(reverse("plans:compare", args=[area.other_child.pk]) + "?a=1&b=2")
    assert compared.status_code == 200 and "Lane" in compared.content.decode()  # what changed in section I
    assert senco.get(reverse("plans:versions", args=[area.far_child.pk])).status_code == 404
    assert senco.get(reverse("web:child", args=[area.other_child.pk])).status_code == 404


@override_settings(TASKS=IMMEDIATE, NOTIFY_LETTER_API_KEY="test-key")
def test_gov_uk_notify_prints_and_posts_where_the_council_has_a_key(area, family, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    sent = []

    class FakeNotify:
        def send_precompiled_letter_notification(self, reference, pdf_file, postage=None):
            sent.append((reference, pdf_file.read()[:4]))
            return {"id": "notify-123"}

    monkeypatch.setattr("sendhub.messaging.tasks.notify_letter_client", FakeNotify)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(child=area.child, letter=f_letter(area), actor=area.users["caseworker"])
    posted = Delivery.objects.get(route="post")
    assert posted.state == "sent_to_notify" and posted.notify_reference == "notify-123"
    assert sent == [(f"sendhub-delivery-{posted.pk}", b"%PDF")]
    assert "Sent to GOV.UK Notify for printing" in posted.status_text()


def test_the_figure_counts_a_version_only_when_everyone_was_reached(area, family):
    from sendhub.dashboard.selectors import plan_facts
    from sendhub.people.models import Child
    from sendhub.plans.models import PlanVersion

    version = PlanVersion.objects.create(child=area.child, number=1, kind="final", sections={"B": "x"},
                                         issued_on=TODAY, issued_by=area.users["caseworker"])
    deliver(child=area.child, version=version, actor=area.users["caseworker"])

    def reached():
        return [fact.in_numerator for fact in plan_facts(Child.objects.filter(pk=area.child.pk), since=date(2000, 1, 1),
                                                 as_of=TODAY) if fact.metric == "versions_reached_all"]

    Delivery.objects.filter(route="email").update(state="emailed", emailed_at=timezone.now())
    assert reached() == [False]  # the mother's pack still waits on the post tray
    Delivery.objects.filter(route="post").update(state="posted", posted_on=TODAY)
    assert reached() == [True]


def test_notify_email_sends_a_pack_as_a_file_link_or_refuses_without_the_template(monkeypatch):
    from sendhub.messaging.notify import NotifyEmailBackend

    sent = []

    class FakeClient:
        def send_email_notification(self, **kwargs):
            sent.append(kwargs)

    monkeypatch.setattr("notifications_python_client.prepare_upload",
                        lambda f, filename=None, confirm_email_before_download=None: {"file": filename})
    message = mail.EmailMessage("Draft plan from Testshire", "Attached.", to=["tom@example.test"])
    message.attach("draft-plan.pdf", b"%PDF-1.7", "application/pdf")
    with pytest.raises(ValueError, match="NOTIFY_EMAIL_FILE_TEMPLATE_ID"):
        NotifyEmailBackend(api_key="k", template_id="t1", client=FakeClient()).send_messages([message])
    assert sent == []  # refused, so the delivery is recorded as failed, never as emailed
    NotifyEmailBackend(api_key="k", template_id="t1", file_template_id="t2", client=FakeClient()).send_messages([message])
    assert sent[0]["template_id"] == "t2" and sent[0]["personalisation"]["link_to_file"] == {"file": "draft-plan.pdf"}
