"""The local offer in Chromium: a parent follows the link on their child's page to services that fit
the child's need and age (and help while they wait); axe at WCAG 2.2 AA on the search and service pages."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from sendhub.accounts.models import Role
from sendhub.demo.area import demo_email
from sendhub.directory.models import Service
from sendhub.directory.taxonomy import term_id
from sendhub.people.models import Child
from sendhub.web.tests.test_personas import demo_area, sign_in  # noqa: F401 (a fixture and a helper)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_parent_goes_from_the_childs_page_to_services_that_fit(page, live_server, check_accessibility, demo_area):  # noqa: F811
    sign_in(page, live_server, Role.FAMILY)
    children = {c.full_name: c for c in Child.objects.filter(family_members__user__email=demo_email(Role.FAMILY))}
    page.locator("main h2 a").first.click()
    child = children[page.locator("h1").inner_text()]
    page.get_by_test_id("local-offer-link").click()

    expect(page).to_have_url(re.compile(r"/local-offer/\?need=\w+&age=\d+$"))
    query = parse_qs(urlparse(page.url).query)
    assert query == {"need": [child.primary_need], "age": [str(child.age())]}
    expect(page.get_by_label("Need")).to_have_value(child.primary_need)
    expect(page.get_by_label("Age of the child or young person")).to_have_value(str(child.age()))
    check_accessibility(page, "local offer search from the child's page")

    page.get_by_label("Only services that help while you wait").check()
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"waiting=on"))
    results = page.get_by_test_id("results").locator("h3 a")
    expect(results.first).to_be_visible()
    assert page.get_by_test_id("results").locator(".govuk-tag", has_text="Helps while you wait").count() == results.count()
    age = child.age()
    for name in results.all_inner_texts():
        service = Service.objects.get(name=name)
        assert service.while_waiting, name
        assert (service.minimum_age or 0) <= age <= (service.maximum_age if service.maximum_age is not None else 99), name
        assert service.terms.filter(id__in=[term_id("need", child.primary_need), term_id("need", "ANY")]).exists(), name
    check_accessibility(page, "local offer results: help while waiting")

    results.first.click()
    expect(page.get_by_test_id("while-waiting")).to_contain_text("Help while you wait")
    check_accessibility(page, "local offer service page")


def test_anyone_searches_by_postcode_and_reads_a_service(page, live_server, check_accessibility, screenshot, demo_area):  # noqa: F811
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="find local services in the local offer").click()
    expect(page.locator("h1")).to_have_text("Find local services")
    check_accessibility(page, "local offer search")
    page.get_by_label("Postcode").fill("ZZ9 9ZZ")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("We cannot find ZZ9")
    expect(page).to_have_title(re.compile("^Error:"))
    check_accessibility(page, "local offer search with an error")
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_postcode"

    page.get_by_label("Postcode").fill("HD9 2AB")
    page.get_by_label("Distance").select_option("3")
    page.get_by_label("Kind of service").select_option("health")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("nearest to HD9")
    expect(page.get_by_test_id("results").locator("li").first).to_contain_text(re.compile(r"mile"))
    check_accessibility(page, "local offer results by distance")
    page.get_by_test_id("results").locator("h3 a").first.click()
    expect(page.get_by_test_id("last-checked")).to_contain_text("last checked")
    check_accessibility(page, "service page")
    easy = Service.objects.exclude(easy_read="").order_by("name").first()
    page.goto(f"{live_server.url}/local-offer/services/{easy.pk}")
    page.get_by_role("link", name="Read an easy-read version").click()
    check_accessibility(page, "easy-read page")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/local-offer/?need=ASD&age=7")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the search scrolls sideways at 320px"
    screenshot(page, "local-offer-320px")


def test_provider_and_local_offer_team_pages_are_accessible(page, live_server, check_accessibility, demo_area):  # noqa: F811
    sign_in(page, live_server, Role.HEALTH_PROFESSIONAL)
    page.get_by_role("link", name="Local offer entries").click()
    expect(page.get_by_test_id("stale-banner")).to_contain_text("not been checked for over a year")
    check_accessibility(page, "provider's entries")
    page.get_by_test_id("drafts").get_by_role("link").first.click()
    check_accessibility(page, "entry form")
    page.get_by_label("Name of the service").fill("")
    page.get_by_role("button", name="Save and send for review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the service")
    check_accessibility(page, "entry form with errors")


def test_parent_finds_help_while_waiting_from_a_waiting_list_entry(page, live_server, check_accessibility, demo_area):  # noqa: F811
    """From the child's place on a health waiting list to services for that need, at that age, that help while
    the family waits."""
    sign_in(page, live_server, Role.FAMILY)
    children = {c.full_name: c for c in Child.objects.filter(family_members__user__email=demo_email(Role.FAMILY))}
    page.locator("main h2 a").first.click()
    child = children[page.locator("h1").inner_text()]
    page.get_by_role("link", name=re.compile("Place on the list and help while waiting")).first.click()
    expect(page.get_by_test_id("position")).to_be_visible()
    page.get_by_test_id("local-offer-link").click()
    query = parse_qs(urlparse(page.url).query)
    assert query == {"need": [child.primary_need], "age": [str(child.age())], "waiting": ["1"]}
    results = page.get_by_test_id("results").locator("h3 a")
    expect(results.first).to_be_visible()
    check_accessibility(page, "local offer from a waiting-list entry")
    for name in results.all_inner_texts():
        service = Service.objects.get(name=name)
        assert service.while_waiting, name
        assert (service.minimum_age or 0) <= child.age() <= (service.maximum_age if service.maximum_age is not None
                                                               else 99), name
        assert service.terms.filter(id__in=[term_id("need", child.primary_need), term_id("need", "ANY")]).exists(), name
