"""Each figure against values worked out by hand on constructed data, and against the clock and the review figures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sendhub.clock import timescales as clock
from sendhub.clock.cases import clock_case
from sendhub.dashboard import definitions as d, selectors, services
from sendhub.dashboard.models import DashboardSnapshot
from sendhub.assessments.models import EHCNeedsAssessment
from sendhub.people.models import Child
from sendhub.reviews.selectors import timeliness

from .conftest import AS_OF, EXPECTED, EXPECTED_LA

pytestmark = pytest.mark.django_db


def totals(snapshot, local_authority=None, **filters):
    cells = selectors.cells_for(snapshot, local_authority)
    agg = d.aggregate(cells, d.Filters(local_authority=local_authority, **filters))
    return {key: d.total(agg.get(key, {})) for key in d.BY_KEY}


def test_every_metric_equals_the_hand_computed_value(constructed):
    snap = services.refresh_snapshot(as_of=AS_OF, prerender=False)
    got = totals(snap)
    for key, expected in EXPECTED.items():
        assert got[key] == expected, key
    assert set(EXPECTED) == set(d.BY_KEY)


def test_figures_by_local_authority_and_month(constructed):
    snap = services.refresh_snapshot(as_of=AS_OF, prerender=False)
    got = totals(snap, local_authority=constructed.area.la.pk)
    for key, expected in EXPECTED_LA.items():
        assert got[key] == expected, key
    july = totals(snap, months=frozenset({"2026-07"}))
    assert july["final_plan_20w"] == (1, 3)  # A1 (met), A2 and A3 (late) were issued in July; A4 in August
    assert july["refusals_to_assess"] == (1, 1)
    fig = {f.metric.key: f for f in selectors.figures(snap, d.Filters())}
    assert fig["final_plan_20w"].shown == "50.0%" and fig["final_plan_20w_exc"].shown == "66.7%"
    assert fig["refusals_to_assess"].shown == "2"


def test_filters_by_phase_need_and_setting(constructed):
    area = constructed.area
    area.other_school.phase, area.other_school.setting_type = "secondary", "special"
    area.other_school.save()
    Child.objects.filter(pk=area.other_child.pk).update(primary_need="SEMH")
    snap = services.refresh_snapshot(as_of=AS_OF, prerender=False)
    assert totals(snap, phase="secondary")["final_plan_20w"] == (0, 2)  # A2 (sibling) and A3 (other_child)
    assert totals(snap, need="SEMH")["final_plan_20w"] == (0, 1)
    assert totals(snap, setting_type="special")["final_plan_20w"] == (0, 2)
    assert totals(snap, phase="")["final_plan_20w"] == (1, 1)  # far_child has no setting


def test_twenty_week_figure_equals_the_share_straight_from_the_clock(constructed):
    snap = services.refresh_snapshot(as_of=AS_OF, prerender=False)
    met = issued = met_exc = issued_exc = 0
    for a in EHCNeedsAssessment.objects.all():
        for dl in clock.compute_deadlines(clock_case(a), AS_OF):
            if dl.key == "final_plan" and dl.done is not None:
                issued += 1
                met += dl.status == "met"
                if not (dl.status == "late" and dl.exception):
                    issued_exc += 1
                    met_exc += dl.status == "met"
    got = totals(snap)
    assert got["final_plan_20w"] == (met, issued) and got["final_plan_20w_exc"] == (met_exc, issued_exc)


def test_review_figures_equal_the_review_timeliness_figures(constructed):
    snap = services.refresh_snapshot(as_of=AS_OF, prerender=False)
    since = d.add_months(AS_OF, -23)
    rows = {row.key: row for row in timeliness(Child.objects.all(), since=since, until=AS_OF, as_of=AS_OF)}
    meetings = [rows["annual_review:transfer"], rows["annual_review:other"]]
    got = totals(snap)
    assert got["reviews_on_time"] == (sum(r.counts.get("met", 0) for r in meetings), sum(r.decided for r in meetings))
    assert got["reviews_overdue"][1] == sum(r.counts.get("overdue", 0) for r in meetings)
    assert got["phase_transfers_on_time"] == (rows["phase_transfer"].counts.get("met", 0), rows["phase_transfer"].decided)


def test_drill_down_lists_the_cases_behind_a_figure_only_from_the_visible_children(constructed):
    area = constructed.area
    cases = selectors.drill_down(area.users["caseworker"], "final_plan_20w", d.Filters(), as_of=AS_OF)
    assert sorted(c.pk for c, _ in cases) == sorted([area.child.pk, area.sibling.pk, area.other_child.pk])
    assert [f.in_numerator for _, f in cases].count(True) == 1
    other = selectors.drill_down(area.users["other_caseworker"], "final_plan_20w", d.Filters(), as_of=AS_OF)
    assert [c.pk for c, _ in other] == [area.far_child.pk]
    assert selectors.drill_down(area.users["leader"], "final_plan_20w", d.Filters(), as_of=AS_OF) == []
    no_setting = selectors.drill_down(area.users["other_caseworker"], "final_plan_20w", d.Filters(phase=""), as_of=AS_OF)
    assert [c.pk for c, _ in no_setting] == [area.far_child.pk]  # far_child has no school
    primary = selectors.drill_down(area.users["caseworker"], "final_plan_20w", d.Filters(phase="primary"), as_of=AS_OF)
    assert len(primary) == 3  # the test schools are primary


def _queued_refreshes() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="sendhub.dashboard.tasks.refresh_dashboard").count()


def test_a_stale_snapshot_is_shown_as_it_is_and_a_refresh_queued_once(constructed, monkeypatch):
    first = services.refresh_snapshot(prerender=False)
    assert selectors.current_snapshot() == first and _queued_refreshes() == 0
    DashboardSnapshot.objects.filter(pk=first.pk).update(computed_at=timezone.now() - timedelta(days=1, minutes=1))
    computed = []
    monkeypatch.setattr(services, "refresh_snapshot", lambda **kw: computed.append(kw))
    for _ in range(3):  # three visitors
        assert selectors.current_snapshot().pk == first.pk
    assert computed == [] and _queued_refreshes() == 1  # nothing computed in the request; queued once
    assert DashboardSnapshot.objects.count() == 1


def test_no_snapshot_at_all_queues_one_refresh_and_computes_nothing(db):
    assert selectors.current_snapshot() is None and selectors.public_snapshot() is None
    assert DashboardSnapshot.objects.count() == 0 and _queued_refreshes() == 1


def test_a_refresh_queued_long_ago_that_never_ran_is_queued_again(db):
    now = timezone.now()
    assert services.request_refresh(now=now) and not services.request_refresh(now=now + timedelta(minutes=59))
    assert services.request_refresh(now=now + timedelta(minutes=61)) and _queued_refreshes() == 2


def test_only_one_refresh_runs_at_a_time_and_a_dead_one_is_taken_over(constructed):
    token = services.claim_refresh()  # a worker is refreshing
    assert token and services.claim_refresh() is None
    assert services.run_refresh(as_of=AS_OF, prerender=False) is None  # a second one does nothing
    assert DashboardSnapshot.objects.count() == 0
    assert not services.request_refresh()  # and pages do not queue another meanwhile
    services.release_refresh(token)
    assert services.run_refresh(as_of=AS_OF, prerender=False) is not None
    stuck = services.claim_refresh(now=timezone.now() - services.STALE_REFRESH - timedelta(minutes=1))
    assert stuck and services.claim_refresh() is not None  # a claim over 3 hours old is from a dead worker


def test_refresh_command_and_task(constructed, capsys):
    from django.core.management import call_command

    call_command("refresh_dashboard", "--as-of", "2026-11-23")
    assert "Dashboard figures computed for 2026-11-23" in capsys.readouterr().out
    from sendhub.dashboard.tasks import refresh_dashboard

    pk = refresh_dashboard.call()
    assert DashboardSnapshot.objects.get(pk=pk).as_of == timezone.localdate()
    call_command("refresh_dashboard", "--enqueue")
    assert "Queued: task" in capsys.readouterr().out
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path="sendhub.dashboard.tasks.refresh_dashboard").exists()


def test_partnership_roll_up_equals_the_sum_of_the_councils(constructed):
    area = constructed.area
    snap = services.refresh_snapshot(as_of=AS_OF, prerender=False)
    whole = totals(snap)
    la, other = totals(snap, local_authority=area.la.pk), totals(snap, local_authority=area.other_la.pk)
    for key in d.BY_KEY:
        assert whole[key] == (la[key][0] + other[key][0], la[key][1] + other[key][1]), key


def test_refresh_draws_the_default_charts_for_every_council_and_the_public(constructed, client_for, django_assert_max_num_queries):
    from django.core.cache import cache

    from sendhub.dashboard.models import DashboardChart
    from sendhub.dashboard import charts

    services.refresh_snapshot(as_of=AS_OF)
    drawn = DashboardChart.objects.count()
    assert drawn >= 2 * len(d.METRICS)  # at least the public and the partnership views; councils share some
    cache.clear()
    calls = []
    original = charts.render_svg
    charts.render_svg = lambda *a, **k: calls.append(a) or original(*a, **k)
    try:
        client_for(area_user := constructed.area.users["leader"]).get("/dashboard/")
        from django.test import Client

        Client().get("/dashboard/public/")
    finally:
        charts.render_svg = original
    assert calls == []  # every default chart was already drawn
    assert area_user.organisation_id == constructed.area.la.pk
    DashboardChart.objects.all().delete()  # as the 3-day clean-up would
    assert not services.refresh_snapshot(as_of=AS_OF).published  # the next night: the public view keeps the first
    cache.clear()
    charts.render_svg = lambda *a, **k: calls.append(a) or original(*a, **k)
    try:
        Client().get("/dashboard/public/")
    finally:
        charts.render_svg = original
    assert calls == []  # the published snapshot's charts were drawn again by the refresh, not by the visitor


def test_a_task_backend_that_runs_tasks_at_once_is_never_used_from_a_page(db, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(services, "refresh_snapshot", lambda **kw: pytest.fail("a page computed the figures"))
    assert selectors.current_snapshot() is None and not services.request_refresh()
