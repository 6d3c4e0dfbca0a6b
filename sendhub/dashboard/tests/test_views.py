"""Pages: who may see what, the public view's suppression, exports, targets, disagreements and the Big Plan."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from sendhub.audit.models import AuditEvent
from sendhub.dashboard import services
from sendhub.dashboard.models import Action, Comparator, Disagreement, ImprovementArea, Trajectory
from sendhub.testing import factories as f

from .conftest import AS_OF, event

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(constructed):
    return services.refresh_snapshot(as_of=AS_OF, prerender=False)


@pytest.mark.parametrize("role", ["leader", "team_manager", "qa_officer", "caseworker"])
def test_area_staff_see_the_dashboard_with_its_time(role, constructed, snapshot, client_for):
    response = client_for(constructed.area.users[role]).get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Figures as of" in html and "<svg" in html and "Data for the chart, by month" in html
    assert "Of final EHC plans issued in the month" in html  # the definition is on screen


@pytest.mark.parametrize("role", ["parent", "therapist", "senco", "social_worker", "administrator", "young_person"])
def test_others_are_refused(role, constructed, snapshot, client_for):
    client = client_for(constructed.area.users[role])
    for url in ("/dashboard/", "/dashboard/export.csv", "/dashboard/cases/final_plan_20w/", "/dashboard/big-plan/",
                "/dashboard/big-plan/report.pdf"):
        assert client.get(url).status_code == 403, url


def test_signed_out_people_go_to_sign_in_except_for_the_public_view(snapshot):
    assert Client().get("/dashboard/").status_code == 302
    assert Client().get("/dashboard/public/").status_code == 200
    assert Client().get("/dashboard/public/figures.csv").status_code == 200


def test_leader_sees_their_area_and_no_drill_down(constructed, snapshot, client_for):
    client = client_for(constructed.area.users["leader"])
    html = client.get("/dashboard/").content.decode()
    value = re.search(r'data-testid="value-final_plan_20w">([^<]+)<', html).group(1)
    assert value == "33.3%"  # this council only: 1 of 3
    assert "See the cases behind this figure" not in html
    assert client.get("/dashboard/cases/final_plan_20w/").status_code == 403


def test_caseworker_drills_down_to_their_own_children(constructed, snapshot, client_for):
    area = constructed.area
    client = client_for(area.users["caseworker"])
    assert "See the cases behind this figure" in client.get("/dashboard/").content.decode()
    html = client.get("/dashboard/cases/final_plan_20w/?from_month=2024-12&to_month=2026-11").content.decode()
    for child in (area.child, area.sibling, area.other_child):
        assert child.full_name in html
    assert area.far_child.full_name not in html
    assert client.get("/dashboard/cases/not_a_metric/").status_code == 404
    refusals = client.get("/dashboard/cases/refusals_to_assess/?from_month=2024-12&to_month=2026-11").content.decode()
    assert f'/dashboard/disagreements/{constructed.assessments["A5"].pk}/' in refusals
    assert AuditEvent.objects.filter(path__contains="final_plan_20w", actor=area.users["caseworker"]).exists()


def test_filters_change_the_figures_and_bad_filters_fall_back(constructed, snapshot, client_for):
    client = client_for(constructed.area.users["team_manager"])
    july = client.get("/dashboard/?from_month=2026-07&to_month=2026-07").content.decode()
    assert re.search(r'data-testid="value-final_plan_20w">([^<]+)<', july).group(1) == "33.3%"
    august = client.get("/dashboard/?from_month=2026-08&to_month=2026-08").content.decode()
    assert re.search(r'data-testid="value-final_plan_20w">([^<]+)<', august).group(1) == "No cases"
    bad = client.get("/dashboard/?from_month=1999-01&need=XYZ")
    assert bad.status_code == 200


def test_exports(constructed, snapshot, client_for):
    client = client_for(constructed.area.users["team_manager"])
    response = client.get("/dashboard/export.csv?from_month=2024-12&to_month=2026-11")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    whole = [r for r in rows if r[:2] == ["New EHC plans issued within 20 weeks (including exceptions)", "Whole period"]]
    assert whole == [[whole[0][0], "Whole period", "33.3", "1", "3", whole[0][5]]]
    xlsx = client.get("/dashboard/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Figures", "Waiting lists"]
    assert client.get("/dashboard/export.pdf").status_code == 404


SMALL = re.compile(r"^[1-4]$")


def test_public_view_shows_no_count_under_5(constructed, snapshot):
    html = Client().get("/dashboard/public/").content.decode()
    assert "not shown" in html
    values = re.findall(r'data-testid="value-[a-z0-9_]+">([^<]+)<', html)
    assert values and all(v in ("not shown", "0", "No cases") for v in values), values
    for cell in re.findall(r'govuk-table__cell--numeric">([^<]*)<', html):
        assert not SMALL.match(cell.strip()), cell
    for name in (constructed.area.child.full_name, constructed.area.child.family_name):
        assert name not in html
    rows = list(csv.reader(io.StringIO(Client().get("/dashboard/public/figures.csv").content.decode())))
    for row in rows[2:]:
        for cell in row[1:5]:
            assert not SMALL.match(cell.strip()), row
            assert not re.match(r"^\d+(\.\d)?%$", cell), row  # every share here rests on a small count


def test_public_view_shows_figures_once_counts_are_big_enough(area):
    met = [f.AssessmentFactory(child=f.ChildFactory(local_authority=area.la), request_received_on=date(2026, 5, 4))
           for _ in range(6)]
    late = [f.AssessmentFactory(child=f.ChildFactory(local_authority=area.la), request_received_on=date(2026, 3, 2))
            for _ in range(5)]
    for a in met + late:
        event(a, "final_plan_issued", date(2026, 9, 10))  # due 21 September (met) or 20 July (late)
    services.refresh_snapshot(as_of=AS_OF, prerender=False)
    html = Client().get("/dashboard/public/").content.decode()
    assert re.search(r'data-testid="value-final_plan_20w">([^<]+)<', html).group(1) == "54.5%"


def test_public_waiting_lists_suppress_short_lists(area):
    service = f.HealthServiceFactory(provider=area.provider, name="Wheelchair service")
    big = f.HealthServiceFactory(provider=area.provider, name="Speech and language therapy")
    for _ in range(3):
        f.ReferralFactory(service=service, child=area.child, referred_on=date(2026, 6, 1))
    for i in range(12):
        f.ReferralFactory(service=big, child=area.child, referred_on=date(2026, 1, 5 + i))
    services.refresh_snapshot(as_of=AS_OF, prerender=False)
    html = Client().get("/dashboard/public/").content.decode()
    table = html[html.index('data-testid="waits"'):]
    row = table[table.index("Wheelchair service"):table.index("</tr>", table.index("Wheelchair service"))]
    assert "fewer than 5" in row and ">3<" not in row
    big_row = table[table.index("Speech and language therapy"):]
    assert ">12<" in big_row[:big_row.index("</tr>")]


def test_leaders_add_comparators_and_targets_with_clear_errors(constructed, snapshot, client_for):
    leader = constructed.area.users["leader"]
    client = client_for(leader)
    bad = client.post("/dashboard/targets/", {"comparator-metric": "final_plan_20w", "comparator-geography": "national",
                                              "comparator-area_name": "England", "comparator-value": "146",
                                              "comparator-period": "2024", "comparator-source": ""})
    assert bad.status_code == 200 and "Enter a percentage from 0 to 100" in bad.content.decode()
    assert 'value="2024"' in bad.content.decode()  # nothing typed is lost
    ok = client.post("/dashboard/targets/", {"comparator-metric": "final_plan_20w", "comparator-geography": "national",
                                             "comparator-area_name": "England", "comparator-value": "46.4",
                                             "comparator-period": "Calendar year 2024",
                                             "comparator-source": "DfE, Education, health and care plans"})
    assert ok.status_code == 302 and Comparator.objects.get().value == Decimal("46.4")
    ok = client.post("/dashboard/targets/", {"target-metric": "final_plan_20w", "target-target_on-day": "31",
                                             "target-target_on-month": "3", "target-target_on-year": "2027",
                                             "target-value": "60"})
    assert ok.status_code == 302
    target = Trajectory.objects.get()
    assert target.local_authority == constructed.area.la and target.set_by == leader
    html = client.get("/dashboard/").content.decode()
    assert "England: 46.4% (Calendar year 2024)" in html and "Local target for now" in html
    caseworker = client_for(constructed.area.users["caseworker"])
    assert caseworker.post("/dashboard/targets/", {"target-metric": "final_plan_20w"}).status_code == 403


def test_stale_target_edit_is_refused(constructed):
    leader = constructed.area.users["leader"]
    first = services.set_target(actor=leader, metric="decision_6w", target_on=date(2027, 3, 31), value=Decimal("70"))
    services.set_target(actor=leader, metric="decision_6w", target_on=date(2027, 3, 31), value=Decimal("75"),
                        expected_version=first.version)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.set_target(actor=leader, metric="decision_6w", target_on=date(2027, 3, 31), value=Decimal("80"),
                            expected_version=first.version)
    assert Trajectory.objects.get().value == Decimal("75")


def test_caseworker_records_mediation_and_appeal(constructed, client_for):
    area = constructed.area
    a6 = constructed.assessments["A6"]
    client = client_for(area.users["caseworker"])
    url = f"/dashboard/disagreements/{a6.pk}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"version": "0", "appeal_outcome": "upheld"})
    html = bad.content.decode()
    assert "Enter the date the appeal was lodged" in html and not Disagreement.objects.filter(assessment=a6).exists()
    ok = client.post(url, {"version": "0", "mediation_requested_on-day": "1", "mediation_requested_on-month": "10",
                           "mediation_requested_on-year": "2026", "notes": "Family asked for mediation"})
    assert ok.status_code == 302
    dis = Disagreement.objects.get(assessment=a6)
    assert dis.mediation_requested_on == date(2026, 10, 1) and dis.version == 1
    stale = client.post(url, {"version": "0", "notes": "Overwrite?"})
    assert "Someone else changed this" in stale.content.decode()
    dis.refresh_from_db()
    assert dis.notes == "Family asked for mediation"
    assert AuditEvent.objects.filter(object_id=str(dis.pk), summary="Mediation or appeal recorded").exists()
    # Not for an assessment without a refusal, and not for another council's caseworker.
    a1 = constructed.assessments["A1"]
    response = client.post(f"/dashboard/disagreements/{a1.pk}/", {"version": "0", "notes": "x"})
    assert "only after a decision not to assess" in response.content.decode()
    assert client_for(area.users["other_caseworker"]).get(url).status_code == 404  # another council's child does not exist for them
    assert client_for(area.users["leader"]).get(url).status_code == 404


def test_big_plan_rag_from_the_linked_metric_and_the_pdf(constructed, client_for):
    leader = constructed.area.users["leader"]
    la = constructed.area.la
    area = services.add_area(actor=leader, title="Timely, joined-up EHC plans", source="Area SEND inspection, June 2025")
    services.set_target(actor=leader, metric="plans_health_content", target_on=date(2026, 1, 1), value=Decimal("50"),
                        local_authority=la)
    services.set_target(actor=leader, metric="refusals_to_assess", target_on=date(2026, 1, 1), value=Decimal("5"),
                        local_authority=la)
    green = services.save_action(actor=leader, area=area, title="Refusals kept low", owner="Head of SEND",
                                 quarter="2026-Q4", status="in_progress", evidence="", metrics=["refusals_to_assess"])
    unmeasured = services.save_action(actor=leader, area=area, title="Health advice template", owner="Designated clinical officer",
                                      quarter="2027-Q1", status="not_started", evidence="", metrics=[])
    services.refresh_snapshot(as_of=AS_OF, prerender=False)
    client = client_for(leader)
    html = client.get("/dashboard/big-plan/").content.decode()
    assert "Green: on trajectory" in html and "Not measured" in html
    # Health content in the last 3 months: no new plans, so the linked figure cannot be measured (grey).
    services.save_action(actor=leader, action=green, expected_version=1, area=area, title="Refusals kept low",
                         owner="Head of SEND", quarter="2026-Q4", status="in_progress", evidence="Panel minutes",
                         metrics=["refusals_to_assess", "plans_health_content"])
    pdf = client.get("/dashboard/big-plan/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Refusals kept low" in text and "Health advice template" in text and "Green" in text
    assert unmeasured.metrics == []


def test_action_form_refuses_stale_edits_and_bad_quarters(constructed, client_for):
    leader = constructed.area.users["leader"]
    area = ImprovementArea.objects.create(title="Preparing for adulthood", local_authority=constructed.area.la)
    action = services.save_action(actor=leader, area=area, title="PfA pathway", owner="Head of SEND", quarter="2026-Q4",
                                  status="not_started", evidence="", metrics=[])
    client = client_for(leader)
    form = {"version": "1", "area": str(area.pk), "title": "PfA pathway", "owner": "Head of SEND", "quarter": "Q4 2026",
            "status": "in_progress", "evidence": "Draft pathway", "metrics": ["pfa_outcomes"]}
    bad = client.post(f"/dashboard/big-plan/actions/{action.pk}/", form).content.decode()
    assert "Enter the quarter like 2026-Q4" in bad and "Draft pathway" in bad
    form["quarter"] = "2026-Q4"
    assert client.post(f"/dashboard/big-plan/actions/{action.pk}/", form).status_code == 302
    action.refresh_from_db()
    assert action.version == 2 and action.metrics == ["pfa_outcomes"] and action.status == "in_progress"
    form["evidence"] = "Older edit"
    stale = client.post(f"/dashboard/big-plan/actions/{action.pk}/", form).content.decode()
    assert "Someone else changed this" in stale
    action.refresh_from_db()
    assert action.evidence == "Draft pathway"
    assert client_for(constructed.area.users["qa_officer"]).get("/dashboard/big-plan/actions/new").status_code == 403
    assert client.get("/dashboard/big-plan/actions/new").status_code == 200
    assert Action.objects.count() == 1


def test_navigation_and_start_page_links(constructed, snapshot, client_for):
    for role in ("leader", "team_manager", "qa_officer", "caseworker"):
        assert "Partnership dashboard" in client_for(constructed.area.users[role]).get("/").content.decode(), role
    for role in ("senco", "therapist", "parent"):
        assert "Partnership dashboard" not in client_for(constructed.area.users[role]).get("/").content.decode(), role
    assert "/dashboard/public/" in Client().get("/").content.decode()


def test_leaders_add_an_area_then_an_action(constructed, client_for):
    client = client_for(constructed.area.users["leader"])
    assert "Add an action" not in client.get("/dashboard/big-plan/").content.decode()  # no area to put it in yet
    bad = client.post("/dashboard/big-plan/areas/new", {"title": "", "source": "Inspection"})
    assert "Enter the area for improvement" in bad.content.decode() and "Inspection" in bad.content.decode()
    assert client.post("/dashboard/big-plan/areas/new", {"title": "Communication", "source": "Inspection"}).status_code == 302
    area = ImprovementArea.objects.get()
    assert area.title == "Communication" and AuditEvent.objects.filter(object_id=str(area.pk)).exists()
    response = client.post("/dashboard/big-plan/actions/new", {
        "version": "", "area": str(area.pk), "title": "Tell families about waits", "owner": "Local offer manager",
        "quarter": "2027-Q1", "status": "not_started", "evidence": "", "metrics": []})
    assert response.status_code == 302 and Action.objects.get().area == area
    assert client_for(constructed.area.users["caseworker"]).get("/dashboard/big-plan/areas/new").status_code == 403


def test_pages_never_compute_figures_and_say_when_they_are_being_prepared(constructed, client_for, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(services, "refresh_snapshot", lambda **kw: pytest.fail("a page computed the figures"))
    for client, url in [(Client(), "/dashboard/public/"), (Client(), "/dashboard/public/figures.csv"),
                        (client_for(constructed.area.users["leader"]), "/dashboard/"),
                        (client_for(constructed.area.users["leader"]), "/dashboard/export.xlsx"),
                        (client_for(constructed.area.users["leader"]), "/dashboard/big-plan/")]:
        response = client.get(url)
        assert response.status_code == 503 and response["Retry-After"] == "600", url
        assert "The figures are being prepared" in response.content.decode()
    assert DBTaskResult.objects.filter(task_path="sendhub.dashboard.tasks.refresh_dashboard").count() == 1


def test_a_stale_snapshot_is_shown_with_its_age(constructed, client_for, monkeypatch):
    from datetime import datetime, timezone as tz

    snap = services.refresh_snapshot(as_of=AS_OF, prerender=False)
    from sendhub.dashboard.models import DashboardSnapshot

    DashboardSnapshot.objects.filter(pk=snap.pk).update(computed_at=datetime(2026, 11, 20, 6, 0, tzinfo=tz.utc))
    monkeypatch.setattr(services, "refresh_snapshot", lambda **kw: pytest.fail("a page computed the figures"))
    html = client_for(constructed.area.users["leader"]).get("/dashboard/").content.decode()
    assert "Figures as of 20 November 2026, 06:00" in html
    assert "more than a day old: new ones are being prepared" in html
    public = Client().get("/dashboard/public/").content.decode()
    assert "Figures as of 20 November 2026, 06:00" in public and "from Nov 2025 to Oct 2026" in public


def test_the_public_view_shows_whole_months_from_the_first_snapshot_of_the_month(constructed):
    first = services.refresh_snapshot(as_of=AS_OF, prerender=False)
    later = services.refresh_snapshot(as_of=AS_OF, prerender=False)  # the next night, same month
    from sendhub.dashboard import selectors

    assert first.published and not later.published
    assert selectors.public_snapshot() == first  # public figures change once a month
    html = Client().get("/dashboard/public/").content.decode()
    assert "Nov 2026" not in html and "Oct 2026" in html and "Nov 2025" in html  # 12 whole months only
    assert "pfa_outcomes" not in html  # a point-in-time figure is never a whole month


def test_public_view_hides_a_second_month_so_the_small_one_cannot_be_subtracted(area):
    """The review's example, end to end: refusals by month 6, 3, 7, total 16: 16 - 6 - 7 would give 3."""
    from sendhub.dashboard.selectors import public_filters

    for month, count in ((7, 6), (8, 3), (9, 7)):
        for _ in range(count):
            a = f.AssessmentFactory(child=f.ChildFactory(local_authority=area.la), request_received_on=date(2026, month, 1))
            event(a, "decision_not_to_assess", date(2026, month, 20))
    services.refresh_snapshot(as_of=AS_OF, prerender=False)
    rows = list(csv.reader(io.StringIO(Client().get("/dashboard/public/figures.csv").content.decode())))
    refusals = {r[1]: r[2] for r in rows if r and r[0] == "Decisions not to assess"}
    assert refusals["Whole period"] == "16"
    assert refusals["Aug 2026"] == "not shown" and refusals["Jul 2026"] == "not shown"  # 6: the next smallest
    assert refusals["Sep 2026"] == "7"
    shown = [int(v) for k, v in refusals.items() if k != "Whole period" and v.isdigit()]
    assert 16 - sum(shown) == 9  # what is left is two months together, not the 3
    for title in ("Refusals that went to mediation", "Refusals appealed to the tribunal"):  # shares of them too
        share = {r[1]: r[2] for r in rows if r and r[0] == title}
        assert share["Aug 2026"] == share["Jul 2026"] == "not shown"
