"""The public view and the dashboard in Chromium: axe at WCAG 2.2 AA, and no count under 5 on the public page."""

import re

import pytest

from sendhub.conftest import signed_in_client
from sendhub.dashboard import services

from .conftest import AS_OF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_view_passes_axe_and_hides_small_numbers(constructed, live_server, page, check_accessibility):
    services.refresh_snapshot(as_of=AS_OF, prerender=False)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="see how our SEND services are doing").click()
    assert page.get_by_role("heading", level=1).inner_text() == "How our SEND services are doing"
    check_accessibility(page, "public dashboard")
    values = page.locator("[data-testid^='value-']").all_inner_texts()
    assert values and all(v in ("not shown", "0", "No cases") for v in values), values
    cells = page.locator("td.govuk-table__cell--numeric").all_inner_texts()
    assert not [c for c in cells if re.fullmatch(r"[1-4]", c.strip())]
    assert page.locator("svg[role='img']").count() >= 10
    assert constructed.area.child.family_name not in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename == "send-figures.csv"


def test_leader_dashboard_and_big_plan_pass_axe(constructed, live_server, page, check_accessibility):
    services.refresh_snapshot(as_of=AS_OF, prerender=False)
    client = signed_in_client(constructed.area.users["leader"])
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/dashboard/")
    assert "Figures as of" in page.get_by_test_id("snapshot-time").inner_text()
    check_accessibility(page, "partnership dashboard")
    page.get_by_label("Primary need").select_option("ASD")
    page.get_by_role("button", name="Show figures").click()
    check_accessibility(page, "filtered dashboard")
    page.goto(f"{live_server.url}/dashboard/targets/")
    check_accessibility(page, "targets")
    page.goto(f"{live_server.url}/dashboard/big-plan/")
    check_accessibility(page, "big plan")
