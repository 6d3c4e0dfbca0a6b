"""The SEN2 page in Chromium at 320px: axe at WCAG 2.2 AA, checks run from the form, the XML downloaded."""

import pytest

from sendhub.accounts.models import Role
from sendhub.conftest import signed_in_client
from sendhub.people.models import Child
from sendhub.testing.factories import UserFactory

from . import casebook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_checks_and_downloads_the_return(live_server, page, check_accessibility):
    la = casebook.build()
    Child.objects.filter(given_name="Ben").update(postcode="NOPE")
    client = signed_in_client(UserFactory(role=Role.TEAM_MANAGER, organisation=la))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/sen2/")
    page.get_by_label("Day").fill("15")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Run the checks").click()
    assert "1 error to put right" in page.get_by_test_id("check-summary").inner_text()
    check_accessibility(page, "SEN2 checks")
    with page.expect_download() as download:
        page.get_by_role("link", name="SEN2 return for COLLECT (XML)").click()
    assert download.value.suggested_filename == "SEN2_881_2026-01-15.xml"
    page.get_by_role("link", name="Ben Brook (born 1 September 2016)").click()
    assert "Ben Brook" in page.get_by_role("heading", level=1).inner_text()
