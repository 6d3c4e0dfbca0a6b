"""Checks on drafts and issued plans, the sample, audits with moderation, the family's view, settings, figures."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sendhub.accounts.models import Role
from sendhub.audit.models import AuditEvent
from sendhub.clock.services import record_event
from sendhub.plans.models import PlanVersion
from sendhub.quality.checks import backfill
from sendhub.quality.models import Audit, CheckRun, Sample
from sendhub.quality.selectors import figures
from sendhub.quality.services import make_sample
from sendhub.testing import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
GOOD = {
    "A": "Sam says: “I like trains and I want to help in the garden.”",
    "B": "Sam finds it hard to understand spoken language.",
    "C": "No health needs related to Sam's SEN.",
    "D": "No social care needs.",
    "E": "By the end of Key Stage 4, Sam will follow two-step instructions in class.\n"
         "By the end of Year 11, Sam will travel to college by bus with a friend.",
    "F": "Speech and language therapy weekly for 30 minutes by a speech and language therapist.",
    "I": "Oakfield Primary School",
    "J": "No personal budget has been requested.",
    "K": "Advice from education.",
}


@pytest.fixture
def case(area):
    assessment = f.AssessmentFactory(child=area.sibling, request_received_on=TODAY - timedelta(days=100))
    cw = area.users["caseworker"]
    record_event(actor=cw, case=assessment, type="decision_to_assess", date=TODAY - timedelta(days=80))
    record_event(actor=cw, case=assessment, type="decision_to_issue_plan", date=TODAY - timedelta(days=20))
    return assessment


def write(client, case, code, text):
    from sendhub.plans.services import drafts_for

    version = drafts_for(case)[code].version
    url = reverse("plans:section", kwargs={"kind": "assessment", "pk": case.pk, "code": code})
    return client.post(url, {"text": text, "version": version})


def issue(client, case, kind, day):
    return client.post(reverse("plans:workspace", kwargs={"kind": "assessment", "pk": case.pk}),
                       {"kind": kind, "issued_on-day": day.day, "issued_on-month": day.month,
                        "issued_on-year": day.year})


def test_checks_show_beside_the_draft_and_never_block_issuing(area, client_for, case):
    client = client_for(area.users["caseworker"])
    write(client, case, "F", "Access to speech therapy as required.")
    write(client, case, "C", "Sam has epilepsy and needs a care plan in school.")
    page = client.get(reverse("plans:section", kwargs={"kind": "assessment", "pk": case.pk, "code": "F"}))
    assert "uses words that do not specify provision (“access to”, “as required”)" in page.content.decode()
    assert "CoP 9.69 (section F)" in page.content.decode()
    workspace = client.get(reverse("plans:workspace", kwargs={"kind": "assessment", "pk": case.pk})).content.decode()
    assert "Section C describes health needs but section G has no health provision" in workspace
    assert issue(client, case, "draft", TODAY - timedelta(days=15)).status_code == 302  # never blocked
    run = CheckRun.objects.get(version__child=area.sibling)
    assert not run.passed and {"provision_specific", "needs_have_provision"} <= set(run.failed_rules)
    for code, text in GOOD.items():
        write(client, case, code, text)
    write(client, case, "C", "No health needs related to Sam's SEN.")
    assert issue(client, case, "final", TODAY).status_code == 302
    final = PlanVersion.objects.get(child=area.sibling, kind="final")
    assert final.check_run.passed, final.check_run.results


def test_backfill_checks_every_version(area):
    cw = area.users["caseworker"]
    for n, sections in enumerate([GOOD, {**GOOD, "I": "To be confirmed."}], start=1):
        PlanVersion.objects.create(child=area.child if n == 1 else area.other_child, number=1, kind="final",
                                   sections=sections, issued_on=TODAY, issued_by=cw)
    out = StringIO()
    call_command("quality_checks", stdout=out)
    assert "Checked 2 plan versions" in out.getvalue()
    assert sorted(CheckRun.objects.values_list("passed", flat=True)) == [False, True]
    assert backfill() == 2 and CheckRun.objects.count() == 2  # run again: replaced, never doubled


def _plans(area, count=6):
    cw = area.users["caseworker"]
    versions = []
    for n in range(count):
        child = f.ChildFactory(local_authority=area.la, setting=area.school)
        f.EHCPlanFactory(child=child, first_issued_on=TODAY - timedelta(days=800 if n == 0 else 100))
        sections = GOOD if n % 2 else {**GOOD, "F": "Access to speech therapy as required."}
        versions.append(PlanVersion.objects.create(child=child, number=1, kind="final", sections=sections,
                                                   issued_on=TODAY - timedelta(days=800 if n == 0 else 100),
                                                   issued_by=cw))
    backfill()
    return versions


def test_sample_takes_the_risky_plans_first_then_random(area):
    versions = _plans(area)
    settings = __import__("sendhub.quality.checks", fromlist=["settings_for"]).settings_for(area.la)
    settings.sample_size, settings.random_share = 4, 50
    settings.save()
    sample = make_sample(local_authority=area.la, month="2026-12")
    items = list(sample.items.all())
    assert len(items) == 4
    assert items[0].version_id == versions[0].pk  # failed checks and over two years old: the most risks
    assert "Over two years old" in items[0].reasons
    assert sum("Picked at random" in i.reasons for i in items) == 2
    assert make_sample(local_authority=area.la, month="2026-12") == sample  # once a month
    out = StringIO()
    call_command("quality_sample", "--month", "2026-12", stdout=out)
    assert "Drew 1 sample(s)" in out.getvalue()  # the other council's; this one already has its sample


def test_audit_moderation_and_the_caseworker_sees_the_result(area, client_for):
    version = _plans(area, 1)[0]
    qa, therapist = area.users["qa_officer"], area.users["therapist"]
    qa_client = client_for(qa)
    qa_client.post(reverse("quality:sample"))
    assert Sample.objects.filter(local_authority=area.la).exists()
    assert qa_client.post(reverse("quality:start", args=[version.pk])).status_code == 302
    audit = Audit.objects.get(version=version)
    url = reverse("quality:audit", args=[audit.pk])
    data = {"version": 0, "action": "complete", "to_change": ""}
    data |= {f"grade_{c}": "good" for c in "ABCDEGIJK"} | {"grade_H1": "good", "grade_H2": "good"}
    data["grade_F"] = "inadequate"
    refused = qa_client.post(url, data)
    assert refused.status_code == 200 and "Say what should change in section F" in refused.content.decode()
    data |= {"comment_F": "Say how often and who: “access to” promises nothing.", "to_change": "Quantify F."}
    assert qa_client.post(url, data).status_code == 302
    audit.refresh_from_db()
    assert (audit.status, audit.grade) == ("completed", "requires_improvement")
    assert qa_client.post(url, {"action": "moderator", "moderator": therapist.pk}).status_code == 302
    health = client_for(therapist)
    page = health.get(url)
    assert page.status_code == 200 and "Moderate this audit" in page.content.decode()
    assert health.post(url, {"action": "moderate", "agrees": "no", "grade": "inadequate",
                             "comment": "Section G is missing too."}).status_code == 302
    audit.refresh_from_db()
    assert (audit.status, audit.final_grade) == ("moderated", "inadequate")
    caseworker = client_for(area.users["caseworker"]).get(url).content.decode()
    assert "Quantify F." in caseworker and "Section G is missing too." in caseworker
    assert AuditEvent.objects.filter(object_type="quality.Audit", object_id=str(audit.pk), action="view").exists()
    data = figures(area.la)
    assert (data["count"], data["good"]) == (1, 0) and data["weak"][0][0] == "F"


def test_no_one_else_sees_an_audit(area, client_for):
    version = _plans(area, 1)[0]
    audit = Audit.objects.create(version=version, local_authority=area.la, auditor=area.users["qa_officer"],
                                 status="completed", grade="good")
    url = reverse("quality:audit", args=[audit.pk])
    other_qa = f.UserFactory(role=Role.QA_OFFICER, organisation=area.other_la)
    for user in (other_qa, area.users["therapist"], area.users["parent"], area.users["senco"],
                 area.users["other_caseworker"]):
        assert client_for(user).get(url).status_code == 404, user.role
    assert client_for(area.users["caseworker"]).post(url, {"action": "complete"}).status_code == 403
    assert client_for(area.users["caseworker"]).get(reverse("quality:settings")).status_code == 403


def test_the_family_give_their_view(area, client_for):
    cw = area.users["caseworker"]
    f.EHCPlanFactory(child=area.child, first_issued_on=TODAY)
    version = PlanVersion.objects.create(child=area.child, number=1, kind="final", sections=GOOD, issued_on=TODAY,
                                         issued_by=cw)
    qa = client_for(area.users["qa_officer"])
    qa.post(reverse("quality:start", args=[version.pk]))
    audit = Audit.objects.get(version=version)
    qa.post(reverse("quality:audit", args=[audit.pk]), {"action": "family"})
    parent = client_for(area.users["parent"])
    url = reverse("quality:family-view", args=[audit.pk])
    assert parent.post(url, {"text": ""}).status_code == 200  # asked to write something
    assert parent.post(url, {"text": "Section F is clear now."}).status_code == 302
    audit.refresh_from_db()
    assert audit.family_view == "Section F is clear now."
    assert client_for(area.users["other_parent"]).get(url).status_code == 404
    for staff in ("caseworker", "senco", "therapist", "qa_officer"):  # they see the child, but it is not their view
        assert client_for(area.users[staff]).post(url, {"text": f"Written by the {staff}"}).status_code == 404, staff
    audit.refresh_from_db()
    assert audit.family_view == "Section F is clear now."


def test_council_switches_a_check_off_and_adds_watch_words(area, client_for, django_capture_on_commit_callbacks):
    client = client_for(area.users["qa_officer"])
    page = client.get(reverse("quality:settings"))
    assert "CoP 9.69 (section F)" in page.content.decode()
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if k != "disabled_rules"}
    data |= {"disabled_rules": ["placement_named"], "watch_words": "Input\ninput\n"}
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post(reverse("quality:settings"), data).status_code == 302
    assert len(callbacks) == 1  # earlier plans are checked again in the background
    from sendhub.quality.checks import settings_for

    saved = settings_for(area.la)
    assert (saved.disabled_rules, saved.watch_words, saved.version) == (["placement_named"], ["input"], 1)
    stale = client.post(reverse("quality:settings"), data | {"sample_size": 0})  # old version and a bad size
    assert stale.status_code == 200 and "between 1 and 200" in stale.content.decode()


def test_figures_page_names_no_child_and_links_the_big_plan(area, client_for):
    from sendhub.dashboard.models import Action, ImprovementArea

    versions = _plans(area, 2)
    area_ = ImprovementArea.objects.create(title="Improve the quality and impact of EHC plans", local_authority=area.la)
    Action.objects.create(area=area_, title="Monthly plan audits", owner="QA officer", quarter="2027-Q1",
                          metrics=["quality_audits_good"])
    page = client_for(area.users["leader"]).get(reverse("quality:figures")).content.decode()
    assert "Passed every check" in page and "Monthly plan audits" in page
    assert versions[0].child.full_name not in page


def test_the_plan_page_shows_its_checks_to_council_staff_only(area, client_for):
    cw = area.users["caseworker"]
    f.EHCPlanFactory(child=area.child, first_issued_on=TODAY)
    version = PlanVersion.objects.create(child=area.child, number=1, kind="final", issued_on=TODAY, issued_by=cw,
                                         sections={**GOOD, "I": "To be confirmed."})
    backfill()
    url = reverse("plans:version", args=[version.pk])
    caseworker = client_for(cw).get(url).content.decode()
    assert "failed 1 automatic quality check" in caseworker and "A setting is named" in caseworker
    assert "Audit this plan" not in caseworker
    assert "Audit this plan" in client_for(area.users["qa_officer"]).get(url).content.decode()
    for who in ("parent", "therapist"):
        assert "Plan quality" not in client_for(area.users[who]).get(url).content.decode()


def test_a_fault_in_the_checks_never_stops_a_plan_being_issued(area, client_for, case, monkeypatch):
    from sendhub.quality import checklist

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a check")

    client = client_for(area.users["caseworker"])
    write(client, case, "B", "Needs")
    monkeypatch.setattr(checklist, "run", broken)
    assert issue(client, case, "draft", TODAY - timedelta(days=15)).status_code == 302
    version = PlanVersion.objects.get(child=area.sibling)
    assert not CheckRun.objects.filter(version=version).exists()  # issued unchecked; the backfill checks it later


def test_who_sees_the_audit_list(area, client_for):
    url = reverse("quality:audits")
    assert client_for(area.users["caseworker"]).get(url).status_code == 200  # none yet, but theirs to see
    for who in ("parent", "therapist", "senco", "leader"):
        assert client_for(area.users[who]).get(url).status_code == 403, who


def test_drafting_amendments_after_an_amend_decision_is_checked_against_the_review(area):
    from sendhub.plans.services import save_section
    from sendhub.quality.checks import check_draft
    from sendhub.reviews.models import ReviewReport

    cw = area.users["caseworker"]
    plan = f.EHCPlanFactory(child=area.child, first_issued_on=TODAY - timedelta(days=400))
    PlanVersion.objects.create(child=area.child, number=1, kind="final", sections=GOOD, issued_on=plan.first_issued_on,
                               issued_by=cw)
    review = f.AnnualReviewFactory(plan=plan)
    record_event(actor=cw, case=review, type="review_meeting", date=TODAY - timedelta(days=30))
    ReviewReport.objects.create(review=review, recommended_changes="Update section F: add a social skills group.")
    record_event(actor=cw, case=review, type="la_decision", date=TODAY - timedelta(days=10), outcome="amend")
    failed = {res.rule.key: res for res in check_draft(review) if not res.passed}
    assert [p.section for p in failed["amended_as_decided"].problems] == ["F"]
    save_section(actor=cw, case=review, section="F", expected_version=0,
                 text=GOOD["F"] + "\nA social skills group weekly for 45 minutes run by a teaching assistant.")
    assert all(res.passed for res in check_draft(review) if res.rule.key == "amended_as_decided")
