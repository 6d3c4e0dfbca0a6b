"""Who is told what at each moment (messaging.moments; the table is in docs/communications.md)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sendhub.accounts.models import Role
from sendhub.assessments import services as assessments
from sendhub.clock.cases import deadline_rows
from sendhub.messaging.models import Notification
from sendhub.messaging.moments import case_holders
from sendhub.organisations.models import Team
from sendhub.people.models import InvolvementRole, SharingConsent
from sendhub.people.services import add_involvement
from sendhub.plans import services as plans
from sendhub.plans.models import VersionKind
from sendhub.testing import factories as f
from sendhub.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = pdf_bytes()


def evidence():
    return [SimpleUploadedFile("support-plan.pdf", PDF, content_type="application/pdf")]


def told(since: int = 0) -> dict:
    """Who received a message after notification `since`: {recipient: its subject and in-app text}."""
    notes = Notification.objects.filter(pk__gt=since).select_related("recipient")
    out = {}
    for note in notes:
        assert note.recipient.pk not in out, f"{note.recipient} was told twice: {note.subject}"
        out[note.recipient.pk] = f"{note.subject} | {note.body}"
    return out


def last_id() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def school_request(area):
    return assessments.request_assessment(
        actor=area.users["senco"], child=area.child, needs="Finds change very hard; not yet talking in sentences.",
        support_so_far="Two terms of SEN support with a speech and language programme.", views="",
        files=evidence(), family_told=True)


# -- The walk: one case from request to final plan -------------------------------------------------------

def walk_steps(area, case):
    """Each step of one case, as (name, action, {who: words in what they are told}). Nobody else is told.

    The integrator extends the expectations with letters and deliveries; `case` carries what steps make."""
    u = area.users

    def request():
        case["assessment"] = school_request(area)

    def allocate():
        add_involvement(actor=u["team_manager"], child=area.child, role=InvolvementRole.CASEWORKER,
                        organisation=area.la, professional=u["caseworker"])

    def decide(decision):
        return lambda: assessments.record_decision(actor=u["caseworker"], assessment=case["assessment"],
                                                   decision=decision, reasons="", decided_on=TODAY)

    def ask_advice():
        case["advice"] = assessments.request_advice(
            actor=u["caseworker"], assessment=case["assessment"], source="health", asked_of=u["therapist"],
            message="Please describe his communication needs.", requested_on=TODAY)

    def give_advice():
        assessments.give_advice(actor=u["therapist"], advice=case["advice"], needs="Needs", outcomes="Outcomes",
                                provision="Weekly speech and language therapy")

    def issue(kind):
        def run():
            drafts = plans.drafts_for(case["assessment"])
            plans.save_section(actor=u["caseworker"], case=case["assessment"], section="F",
                               text="Weekly speech and language therapy", expected_version=drafts["F"].version)
            case[kind] = plans.issue_version(actor=u["caseworker"], case=case["assessment"], kind=kind,
                                             issued_on=TODAY, family_agreed_early=kind == VersionKind.FINAL,
                                             named_setting=area.school if kind == VersionKind.FINAL else None)
        return run

    def comment():
        case["comment"] = plans.comment_on_draft(actor=u["parent"], version=case[VersionKind.DRAFT], section="F",
                                                 text="He needs it twice a week.")

    def ask_for_school():
        plans.request_school(actor=u["parent"], version=case[VersionKind.DRAFT], school=area.other_school,
                             reason="His sister goes there.")

    return [
        ("request received (no caseworker yet)", request,
         {"team_manager": "New request", "senco": "has been received", "parent": "A request for an EHC needs"}),
        ("caseworker allocated", allocate, {}),
        ("decision to assess", decide("decision_to_assess"),
         {"parent": "decided to carry out an EHC needs assessment", "senco": "decided to carry out an EHC needs"}),
        ("advice asked", ask_advice, {"therapist": "Advice asked of you"}),
        ("advice given", give_advice, {"caseworker": "Advice received"}),
        ("decision to issue a plan", decide("decision_to_issue_plan"),
         {"parent": "decided to issue an EHC plan", "senco": "decided to issue an EHC plan"}),
        ("draft plan issued", issue(VersionKind.DRAFT),
         {"parent": "Draft plan issued", "therapist": "Draft plan issued", "caseworker": "Draft plan issued"}),
        ("family comment", comment, {"caseworker": "A comment from the family"}),
        ("family asks for a school", ask_for_school, {"caseworker": "asked for a school or college"}),
        ("final plan issued", issue(VersionKind.FINAL),
         {"parent": "Final plan issued", "therapist": "Final plan issued", "caseworker": "Final plan issued",
          "senco": "Final plan issued"}),  # the school named in the plan
    ]


# What each step of the walk writes and sends besides messages: the letter (its template) and each delivery
# as (recipient, route, state). The mother has no account and is reached by post; the school is named in the
# final plan. Steps not listed write no letter and send nothing.
WALK_LETTERS = {
    "request received (no caseworker yet)": ("request-acknowledgement", {
        ("Pat Parent", "portal", "in_account"), ("Jane Archer", "post", "waiting_post")}),
    "decision to assess": ("decision-to-assess", {
        ("Pat Parent", "portal", "in_account"), ("Jane Archer", "post", "waiting_post")}),
    "draft plan issued": ("draft-plan", {
        ("Pat Parent", "portal", "in_account"), ("Jane Archer", "post", "waiting_post"),
        ("Theo Therapist", "portal", "in_account"), ("Casey Caseworker", "portal", "in_account")}),
    "final plan issued": ("final-plan", {
        ("Pat Parent", "portal", "in_account"), ("Jane Archer", "post", "waiting_post"),
        ("Theo Therapist", "portal", "in_account"), ("Casey Caseworker", "portal", "in_account"),
        ("the named school", "portal", "in_account")}),  # to the school, whose SENCOs find it in "Plans sent to you"
}


def sent_since(letter_id: int, delivery_id: int) -> tuple[list[str], set]:
    from sendhub.letters.models import Letter

    from sendhub.messaging.models import Delivery

    letters = list(Letter.objects.filter(pk__gt=letter_id).values_list("template_key", flat=True))
    deliveries = {(d.recipient_name, d.route, d.state) for d in Delivery.objects.filter(pk__gt=delivery_id)}
    return letters, deliveries


def test_one_case_from_request_to_final_plan_tells_each_person_what_they_need(area):
    from sendhub.letters.models import Letter
    from sendhub.messaging.models import Delivery

    case: dict = {}
    child = area.child
    u = area.users
    for key, name in (("parent", "Pat Parent"), ("therapist", "Theo Therapist"), ("caseworker", "Casey Caseworker"),
                      ("senco", "Sam Senco")):
        u[key].full_name = name
        u[key].save(update_fields=["full_name"])
    child.family_members.filter(user=u["parent"]).update(full_name="Pat Parent")
    f.FamilyMemberFactory(child=child, user=None, full_name="Jane Archer", relationship="mother", by_portal=False,
                          by_post=True, address="1 Mill Lane\nCalderbrook", postcode="HD1 1AA")
    for step, action, expected in walk_steps(area, case):
        since = last_id()
        letter_id = Letter.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        delivery_id = Delivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        action()
        got = told(since)
        want = {area.users[key].pk: words for key, words in expected.items()}
        names = {u.pk: key for key, u in area.users.items()}
        assert set(got) == set(want), f"{step}: told {sorted(names.get(pk, pk) for pk in got)}"
        for pk, words in want.items():
            assert words in got[pk], f"{step}: {names[pk]} got {got[pk]!r}"
        letters, deliveries = sent_since(letter_id, delivery_id)
        key, expected_deliveries = WALK_LETTERS.get(step, (None, set()))
        assert letters == ([key] if key else []), f"{step}: letters {letters}"
        expected_deliveries = {(area.school.name if who == "the named school" else who, route, state)
                               for who, route, state in expected_deliveries}
        assert deliveries == expected_deliveries, f"{step}: delivered {sorted(deliveries)}"
    assert case["comment"].told == f"{area.users['caseworker'].full_name}, your caseworker"
    # every message is about the child, names them in the app and never by email
    notes = Notification.objects.all()
    assert notes.count() and all(n.child_id == child.pk for n in notes)
    for note in notes:
        assert child.given_name not in note.email_body and child.given_name not in note.subject, note.subject
    for note in notes.filter(recipient=area.users["parent"]).exclude(subject__endswith="issued"):
        assert note.body.startswith(f"{child.full_name}: "), note.body  # (plan notices are distribute's: see A)
        assert "Who to contact:" in note.body and "Who to contact:" in note.email_body


# -- Each moment ----------------------------------------------------------------------------------------

def test_a_request_tells_the_allocated_caseworker_and_the_decision_date_from_the_clock(area):
    add_involvement(actor=area.users["caseworker"], child=area.child, role=InvolvementRole.CASEWORKER,
                    organisation=area.la, professional=area.users["caseworker"])
    assessment = school_request(area)
    due = next(r.deadline.due for r in deadline_rows(assessment) if r.deadline.key == "decision_whether_to_assess")
    got = {n.recipient.pk: n for n in Notification.objects.all()}
    assert area.users["team_manager"].pk not in got  # the team hears only when nobody is allocated
    for key in ("caseworker", "senco", "parent"):
        assert f"{due:%A} {due.day} {due:%B %Y}" in got[area.users[key].pk].body
    assert "Who to contact: " + area.users["caseworker"].full_name in got[area.users["parent"].pk].body
    assert got[area.users["caseworker"].pk].link == reverse("clock:assessment", kwargs={"pk": assessment.pk})
    assert got[area.users["parent"].pk].link == reverse("portal:tracker", kwargs={"child_pk": area.child.pk})


def test_the_team_is_the_caseworker_involvements_team_then_team_managers_then_caseworkers(area):
    u = area.users
    assert case_holders(area.child).people == [u["team_manager"]] and not case_holders(area.child).named
    u["team_manager"].is_active = False
    u["team_manager"].save()
    assert case_holders(area.child).people == [u["caseworker"]]
    team = Team.objects.create(organisation=area.la, name="SEND assessment team")
    second = f.UserFactory(role=Role.CASEWORKER, organisation=area.la)
    team.members.add(second)
    add_involvement(actor=u["caseworker"], child=area.child, role=InvolvementRole.CASEWORKER, organisation=area.la,
                    team=team)
    assert case_holders(area.child).people == [second]
    assert case_holders(area.child).description == "the SEND team"


def test_a_parent_a_young_person_has_shut_out_is_not_told(area):
    child = area.child
    child.date_of_birth = date(TODAY.year - 17, 1, 1)
    child.save()
    SharingConsent.objects.create(child=child, parents_may_view=False, recorded_by=area.users["caseworker"])
    school_request(area)
    assert not Notification.objects.filter(recipient=area.users["parent"]).exists()


def test_a_refusal_links_the_family_to_its_letter(area):
    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=10),
                                     requested_by_user=area.users["parent"])
    letter = assessments.record_decision(actor=area.users["caseworker"], assessment=assessment,
                                         decision="decision_not_to_assess", reasons="Progress with SEN support.",
                                         decided_on=TODAY)
    parent = Notification.objects.get(recipient=area.users["parent"])
    assert parent.link == reverse("letters:letter", kwargs={"pk": letter.pk})
    assert "decided not to carry out" in parent.body and "right to appeal" in parent.body
    assert " not " not in f"{parent.subject} {parent.email_body}"  # the email says only that it was decided
    assert Notification.objects.filter(recipient=area.users["senco"]).exists()


def test_advice_asked_of_a_team_tells_each_member_with_the_clocks_date(area):
    team = Team.objects.create(organisation=area.provider, name="Physiotherapy team")
    physio = f.UserFactory(role=Role.HEALTH_PROFESSIONAL, organisation=area.provider)
    team.members.add(physio)
    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=20))
    asked_on = TODAY - timedelta(days=2)
    assessments.request_advice(actor=area.users["caseworker"], assessment=assessment, source="health",
                               asked_of_team=team, message="Mobility at school", requested_on=asked_on)
    note = Notification.objects.get(recipient=physio)
    row = next(r for r in deadline_rows(assessment) if r.deadline.key == "advice:health")
    assert row.deadline.due == asked_on + timedelta(weeks=6)
    assert f"{row.deadline.due:%A} {row.deadline.due.day} {row.deadline.due:%B %Y}" in note.body
    assert note.body.startswith(area.child.full_name) and area.child.given_name not in note.email_body


@pytest.fixture
def draft(area):
    assessment = f.AssessmentFactory(child=area.child, request_received_on=TODAY - timedelta(days=60))
    for decision in ("decision_to_assess", "decision_to_issue_plan"):
        assessments.record_decision(actor=area.users["caseworker"], assessment=assessment, decision=decision,
                                    reasons="", decided_on=TODAY)
    plans.save_section(actor=area.users["caseworker"], case=assessment, section="F", text="Support",
                       expected_version=plans.drafts_for(assessment)["F"].version)
    return plans.issue_version(actor=area.users["caseworker"], case=assessment, kind=VersionKind.DRAFT,
                               issued_on=TODAY)


def comment(client, version):
    return client.post(reverse("plans:version", kwargs={"pk": version.pk}),
                       {"action": "comment", "section": "F", "text": "Twice a week, please."}, follow=True)


def test_with_no_caseworker_the_family_is_told_it_went_to_the_send_team(area, client_for, draft):
    since = last_id()
    page = comment(client_for(area.users["parent"]), draft).content.decode()
    assert "sent to the SEND team" in page and "your caseworker" not in page.split("sent to")[1][:40]
    assert list(told(since)) == [area.users["team_manager"].pk]


def test_with_a_caseworker_the_family_is_told_their_name(area, client_for, draft):
    add_involvement(actor=area.users["caseworker"], child=area.child, role=InvolvementRole.CASEWORKER,
                    organisation=area.la, professional=area.users["caseworker"])
    page = comment(client_for(area.users["parent"]), draft).content.decode()
    assert f"sent to {area.users['caseworker'].full_name}, your caseworker" in page


def test_when_nobody_at_the_council_can_be_told_the_family_is_not_told_it_was_sent(area, client_for, draft):
    type(area.users["caseworker"]).objects.filter(organisation=area.la).update(is_active=False)
    page = comment(client_for(area.users["parent"]), draft).content.decode()
    assert "saved with the plan" in page and "has been sent" not in page
    assert "Who to contact: the SEND team" in page


def test_a_reply_to_a_review_invitation_reaches_who_sent_it_and_the_caseworker(area):
    from sendhub.clock.services import open_review
    from sendhub.reviews import services as reviews

    plan = f.EHCPlanFactory(child=area.child, first_issued_on=TODAY - timedelta(days=330))
    add_involvement(actor=area.users["caseworker"], child=area.child, role=InvolvementRole.CASEWORKER,
                    organisation=area.la, professional=area.users["caseworker"])
    review = open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)
    meeting = TODAY + timedelta(days=21 + (7 - (TODAY + timedelta(days=21)).weekday()) % 7)  # a Monday
    reviews.schedule_meeting(actor=area.users["senco"], review=review, meeting_on=meeting, expected_version=0)
    reviews.send_invitations(actor=area.users["senco"], review=review)
    invited = told()
    assert {area.users[k].pk for k in ("parent", "therapist", "caseworker")} == set(invited)
    parent_note = Notification.objects.get(recipient=area.users["parent"])
    assert parent_note.body.startswith(area.child.full_name) and "Who to contact:" in parent_note.body
    since = last_id()
    invitation = review.invitations.get(recipient=area.users["parent"])
    reviews.respond_to_invitation(actor=area.users["parent"], invitation=invitation, attending="yes")
    replies = told(since)
    assert set(replies) == {area.users["senco"].pk, area.users["caseworker"].pk}
    assert all("can come" in text for text in replies.values())


def test_the_inbox_and_home_say_which_child_each_message_is_about(area, client_for):
    from sendhub.messaging.services import notify

    parent = area.users["parent"]
    notify(recipients=[parent], child=area.sibling, subject="Draft plan issued", body="Draft plan (version 1) issued.")
    school_request(area)  # this message already starts with the child's name
    client = client_for(parent)
    home = client.get("/").content.decode()
    assert f"about {area.sibling.full_name}: Draft plan (version 1)" in home
    inbox = client.get(reverse("portal:messages")).content.decode().split(">Messages</h2>")[1]  # not the letters
    assert f"About {area.sibling.full_name}: Draft plan (version 1)" in inbox
    assert f"{area.child.full_name}: Person" in inbox and f"About {area.child.full_name}" not in inbox


def test_an_early_review_request_reaches_the_team_when_no_caseworker_and_the_answer_the_family(area):
    from sendhub.reviews import services as reviews

    plan = f.EHCPlanFactory(child=area.child, first_issued_on=TODAY - timedelta(days=200))
    asked = reviews.request_early_review(actor=area.users["parent"], plan=plan, reason="Anxiety is much worse.")
    assert list(told()) == [area.users["team_manager"].pk]  # nobody allocated: the team, not nobody
    since = last_id()
    reviews.answer_early_review(actor=area.users["team_manager"], early_request=asked, agree=True,
                                review_by=TODAY + timedelta(days=30), answer="We will hold it next month.")
    answers = told(since)
    assert set(answers) == {area.users["parent"].pk, area.users["senco"].pk}
    assert "Who to contact:" in answers[area.users["parent"].pk]


def test_the_review_report_tells_everyone_invited_the_councils_date_from_the_clock(area):
    from sendhub.clock.services import open_review
    from sendhub.reviews import services as reviews

    plan = f.EHCPlanFactory(child=area.child, first_issued_on=TODAY - timedelta(days=340))
    review = open_review(plan=plan, previous_review_meeting=None, on=plan.first_issued_on)
    held = TODAY - timedelta(days=3)
    reviews.record_meeting(actor=area.users["senco"], review=review, held_on=held)
    report = reviews.report_for(review)
    reviews.save_report(actor=area.users["senco"], review=review, expected_version=report.version, data={
        "child_views": "Likes maths", "family_views": "Happy", "recommendation": "maintain", "outcomes": []})
    since = last_id()
    reviews.send_report(actor=area.users["senco"], review=review)
    sent = told(since)
    assert set(sent) == {area.users["parent"].pk, area.users["therapist"].pk}
    due = held + timedelta(weeks=4)
    assert f"{due:%A} {due.day} {due:%B %Y}" in sent[area.users["parent"].pk]
    assert "Who to contact:" in sent[area.users["parent"].pk]
    since = last_id()
    letter = reviews.decide(actor=area.users["caseworker"], review=review, outcome="maintain",
                            reasons="Good progress.", decided_on=TODAY)
    decided = told(since)
    assert set(decided) == {area.users["parent"].pk, area.users["therapist"].pk}
    assert "keep the EHC plan as it is" in decided[area.users["parent"].pk]
    assert Notification.objects.get(pk__gt=since, recipient=area.users["parent"]).link == f"/letters/{letter.pk}/"


def test_a_request_the_caseworker_records_for_a_parent_says_who_asked_and_tells_the_family(area):
    add_involvement(actor=area.users["caseworker"], child=area.child, role=InvolvementRole.CASEWORKER,
                    organisation=area.la, professional=area.users["caseworker"])
    assessments.request_assessment(actor=area.users["caseworker"], child=area.child, needs="Needs",
                                   support_so_far="", views="", requested_by="parent")
    got = told()
    assert set(got) == {area.users["parent"].pk, area.users["senco"].pk}  # the caseworker did it: not told
    assert "The child's parent or carer asked the council" in got[area.users["parent"].pk]
