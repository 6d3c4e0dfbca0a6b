"""The DfE's published figures, loaded from the real release files, beside the dashboard's live figures."""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from sendhub.dashboard import definitions as d
from sendhub.dashboard import selectors as dashboard
from sendhub.dashboard import services as dashboard_services
from sendhub.sen2 import published
from sendhub.sen2.models import PublishedFigure
from sendhub.sen2.selectors import live_vs_published, published_comparators
from sendhub.sen2.services import import_published

from . import casebook

pytestmark = pytest.mark.django_db
RELEASE = Path(__file__).resolve().parents[4] / "shared" / "reference" / "dfe-ehcp"
if not RELEASE.exists():
    RELEASE = Path("/work/shared/reference/dfe-ehcp")


def council_382():
    la = casebook.build()
    la.code, la.name = "382", "Kirklees Council"
    la.save()
    return la


@pytest.fixture
def kirklees(db):
    la = council_382()
    out = StringIO()
    call_command("published-figures", "import", str(RELEASE), stdout=out)
    assert "statistical neighbour links" in out.getvalue()
    return la


@pytest.fixture
def kirklees_timeliness(db, tmp_path):
    """Only the 20-week file and the neighbours: enough for the dashboard, in a quarter of the time."""
    for name in ("timeliness_20_week.csv", "statistical_neighbours.csv"):
        (tmp_path / name).symlink_to(RELEASE / name)
    import_published(path=tmp_path)
    return council_382()


def values(items, geography):
    return [float(c.value) for c in items if c.geography == geography]


def test_england_and_kirklees_read_back_and_the_live_figure_beside_the_published(kirklees):
    comps = published_comparators(kirklees)
    assert values(comps["requests_received"], "national") == [154489]
    assert values(comps["final_plan_20w_exc"], "national") == [46.4]
    assert values(comps["review_decision_4w"], "national") == [44.4]
    assert values(comps["final_plan_20w_exc"], "own")[::-1] == [71.5, 83.4, 41.0, 14.4, 13.0, 22.9]
    assert values(comps["final_plan_20w"], "own")[:3] == [22.9, 13.0, 14.4]  # Kirklees 2024, 2023, 2022
    region = next(c for c in comps["final_plan_20w_exc"] if c.geography == "regional")
    assert region.area_name == "Yorkshire and The Humber (region)" and region.period == "Calendar year 2024"
    neighbours = next(c for c in comps["final_plan_20w_exc"] if c.geography == "neighbours")
    assert neighbours.area_name.startswith("Statistical neighbours (average of ")
    assert "timeliness_20_week.csv" in neighbours.source
    # the live figure for a closed year beside the published one (the same load: loading takes seconds)
    result = live_vs_published(kirklees, 2025)
    assert (result.live_issued, result.live_within, result.live_excepted) == (2, 1, 1)
    assert result.live_pc == Decimal("100.0")
    assert result.published_issued is None  # 2025 is not published yet
    y2024 = live_vs_published(kirklees, 2024)
    assert y2024.published_issued == 785 and y2024.published_pc == Decimal("22.9")
    assert y2024.explanation()[0].startswith("785 of the 785 plans the council reported for 2024 are not in")


def test_the_dashboard_shows_them_beside_the_live_figure_and_typed_ones_still_count(kirklees_timeliness, client_for,
                                                                                   monkeypatch):
    from sendhub.dashboard import charts
    from sendhub.dashboard.services import add_comparator
    from sendhub.testing.factories import UserFactory

    kirklees = kirklees_timeliness
    monkeypatch.setattr(charts, "chart_for", lambda fig, public: "")  # drawing charts is not what is tested here

    leader = UserFactory(role="partnership_leader", organisation=kirklees)
    add_comparator(actor=leader, metric="final_plan_20w_exc", geography="national", area_name="England",
                   value=Decimal("50.0"), period="Leader's figure", source="Typed in", placeholder=True)
    snapshot = dashboard_services.refresh_snapshot(as_of=date(2026, 1, 15), prerender=False)
    filters, months = dashboard.default_filters(snapshot, local_authority=kirklees.pk)
    figure = next(f for f in dashboard.figures(snapshot, filters, months=months) if f.metric.key == "final_plan_20w_exc")
    names = [c.area_name for c in figure.comparators]
    assert names[0] == "England" and figure.comparators[0].placeholder  # typed first, kept
    assert "Kirklees (published)" in names and "Yorkshire and The Humber (region)" in names
    assert d.BY_KEY["final_plan_20w_exc"]
    html = client_for(leader).get("/dashboard/").content.decode()
    assert "Plans issued within 20 weeks in 2025: the record against what was published" in html
    assert "Kirklees (published): 22.9% (Calendar year 2024)." in html


def test_2026_renames_load_and_anything_unknown_is_refused(tmp_path, db):
    good = tmp_path / "good"
    good.mkdir()
    head = ",".join(sorted(published.COMMON)) + ",pc_plans_issued_20_weeks_ex,avg_weeks_issue_plan"
    row = {"time_period": "2025", "time_identifier": "Calendar year", "geographic_level": "National",
           "country_code": "E92000001", "country_name": "England", "breakdown_topic": "All EHC plans issued",
           "breakdown": "All EHC plans issued"}
    line = ",".join(row.get(c, "") for c in sorted(published.COMMON)) + ",47.5,19.8"
    (good / "timeliness_20_week.csv").write_text(head + "\n" + line + "\n")
    import zipfile

    packed = tmp_path / "release.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(good / "timeliness_20_week.csv", "release/timeliness_20_week.csv")
    assert import_published(path=packed)[0].startswith("Published figures loaded: 2 figures from 1 files")
    assert PublishedFigure.objects.get(measure="final_plan_20w_exc", time_period="2025").value == Decimal("47.5")
    assert PublishedFigure.objects.get(measure="avg_weeks_issue_plan").shown == "19.8"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "timeliness_20_week.csv").write_text(head + ",shoe_size\n" + line + ",9\n")
    (bad / "pupils.csv").write_text("a\n1\n")
    with pytest.raises(published.FileRefused) as refused:
        import_published(path=bad)
    assert str(refused.value).splitlines() == [
        "pupils.csv is not a file of the release that sendhub knows (known: annual_reviews, assessments, "
        "ceased_plans, personal_budgets, requests, sen_needs_all_plans, statistical_neighbours, timeliness_20_week)",
        "timeliness_20_week.csv: unknown column(s) shoe_size"]
    assert PublishedFigure.objects.count() == 2  # nothing more loaded
