"""The cases behind a dashboard figure name children, so each child shown is audited (issue 15, finding 1)."""

import pytest

from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.dashboard import services

from .conftest import AS_OF


@pytest.fixture
def snapshot(constructed):
    return services.refresh_snapshot(as_of=AS_OF, prerender=False)


def test_the_cases_behind_a_figure_leave_a_row_per_child_shown(constructed, snapshot, client_for):
    area = constructed.area
    caseworker = area.users["caseworker"]
    client_for(caseworker).get("/dashboard/cases/final_plan_20w/?from_month=2024-12&to_month=2026-11")
    rows = AuditEvent.objects.filter(actor=caseworker, action=AuditAction.LIST)
    assert set(rows.values_list("child_id", flat=True)) == {area.child.pk, area.sibling.pk, area.other_child.pk}
    assert all(summary.startswith("Saw in the cases behind the figure") for summary in rows.values_list("summary",
                                                                                                          flat=True))
