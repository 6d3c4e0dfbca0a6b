"""A family's wait page: no range when it is too wide to help, what happens at 18, and the family's choices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sendhub.testing import factories as f
from sendhub.waits import selectors
from sendhub.waits.models import Referral

pytestmark = pytest.mark.django_db


def family_url(referral):
    return reverse("waits:family-referral", kwargs={"child_pk": referral.child_id, "pk": referral.pk})


@pytest.fixture
def long_list(area):
    """A neurodevelopmental list seeing about one child a fortnight with 250 waiting: the back is years away.

    The parent's child (made 17 here) is at the back of it.
    """
    today = timezone.localdate()
    service = f.HealthServiceFactory(provider=area.provider, kind="neurodevelopmental", name="Autism assessment",
                                     pathway="Autism")
    others = [f.ChildFactory(local_authority=area.la) for _ in range(3)]
    rows = []
    for n in range(80):  # three years of first appointments, one a fortnight, each after a long wait
        referred = today - timedelta(days=1100 - n * 14 - 300)
        rows.append(Referral(child=others[n % 3], service=service, reference=f"H-{n:03d}",
                             referred_on=referred - timedelta(days=300), seen_on=referred))
    for n in range(250):
        rows.append(Referral(child=others[n % 3], service=service, reference=f"W-{n:03d}",
                             referred_on=today - timedelta(days=700 - n * 2)))
    Referral.objects.bulk_create(rows)
    child = area.child
    child.date_of_birth = date(today.year - 17, today.month, 1) if today.day > 1 else date(today.year - 17, 1, 1)
    child.save()
    own = f.ReferralFactory(child=child, service=service, reference="W-999", referred_on=today - timedelta(days=20))
    return {"service": service, "own": own, "today": today}


def test_a_range_too_wide_to_help_is_not_shown(long_list, area, client_for):
    own = long_list["own"]
    wait = selectors.family_wait(own)
    assert wait.placement is not None and not wait.reliable
    assert wait.placement.p90 > wait.placement.p10 + timedelta(days=366)
    page = client_for(area.users["parent"]).get(family_url(own)).content.decode()
    assert "We cannot give a reliable date" in page
    assert "Most children in this position are seen between" not in page
    assert f"Number {wait.placement.position} on the list" in page  # the place is still shown
    assert "has waited 2 weeks so far" in page  # and the weeks waited
    assert "What you can do now" in page
    # the child's tracker says the same, in both versions, and never shows the range
    for read in ("full", "easy"):
        tracker = client_for(area.users["parent"]).get(
            reverse("portal:tracker", args=[own.child_id]), {"read": read}).content.decode()
        assert "Most children in this position are seen between" not in tracker
        assert "Most people are seen between" not in tracker
        assert "We cannot give a reliable date" in tracker or "We cannot say when yet" in tracker


def test_the_limit_is_the_councils(waits_area, area, client_for):
    own = waits_area["queue"]["own_routine"]
    client = client_for(area.users["parent"])
    assert "Most children in this position are seen between" in client.get(family_url(own)).content.decode()
    with override_settings(WAITS_RELIABLE_RANGE_MONTHS=0):  # any range at all is too wide
        page = client.get(family_url(own)).content.decode()
    assert "We cannot give a reliable date" in page and "more than 0 months apart" in page


def test_at_18_is_explained_when_the_wait_reaches_it(long_list, area, client_for):
    wait = selectors.family_wait(long_list["own"])
    assert wait.reaches_18 and wait.turns_18 == selectors.eighteenth_birthday(area.child.date_of_birth)
    page = client_for(area.users["parent"]).get(family_url(long_list["own"])).content.decode()
    assert f"turns 18 on {wait.turns_18:%-d %B %Y}" in page
    assert "Children's health services, and their waiting lists, usually end at 18" in page
    assert "adult service" in page and "GP" in page


def test_no_at_18_text_for_a_young_child_seen_long_before(waits_area, area, client_for):
    own = waits_area["queue"]["own_routine"]  # a child born in 2015 on a short list
    assert not selectors.family_wait(own).reaches_18
    assert "turns 18" not in client_for(area.users["parent"]).get(family_url(own)).content.decode()


def test_eighteenth_birthday_of_a_leap_day_child() -> None:
    assert selectors.eighteenth_birthday(date(2008, 2, 29)) == date(2026, 3, 1)
    assert selectors.eighteenth_birthday(date(2009, 6, 30)) == date(2027, 6, 30)


@override_settings(COUNCIL_ADVICE_SERVICE_NAME="Testshire SENDIASS", COUNCIL_ADVICE_SERVICE_TELEPHONE="01632 960999",
                   COUNCIL_ADVICE_SERVICE_EMAIL="advice@testshire.example.test")
def test_choices_right_to_choose_only_for_assessment_pathways(long_list, waits_area, area, client_for):
    client = client_for(area.users["parent"])
    autism = client.get(family_url(long_list["own"])).content.decode()
    assert "NHS Right to Choose" in autism
    therapy = client.get(family_url(waits_area["queue"]["own_routine"])).content.decode()
    assert "NHS Right to Choose" not in therapy
    for page in (autism, therapy):
        assert "Testshire SENDIASS" in page and "01632 960999" in page and "advice@testshire.example.test" in page
        assert "without a diagnosis" in page
    with override_settings(WAITS_RIGHT_TO_CHOOSE_KINDS=["neurodevelopmental", "speech_language"]):
        assert "NHS Right to Choose" in client.get(family_url(waits_area["queue"]["own_routine"])).content.decode()


def test_commissioners_see_each_lists_measured_coverage(long_list, area, client_for):
    (figures,) = selectors.list_figures([long_list["service"]])
    cal = figures.calibration
    assert cal.scored >= 0 and cal.cuts >= 0
    leader = client_for(area.users["leader"])
    page = leader.get(reverse("waits:figures")).content.decode()
    assert 'data-testid="coverage"' in page and "before → after calibration" in page
    detail = leader.get(reverse("waits:service-figures", kwargs={"pk": long_list["service"].pk})).content.decode()
    assert "How well families' dates held on this list's past" in detail


def test_the_api_gives_a_family_no_dates_where_their_page_gives_none(long_list, area):
    """Finding 4's rule for waiting lists: the family's token gets what the family's page shows."""
    from django.test import Client

    from sendhub.accounts.services import issue_api_token

    own = long_list["own"]
    url = f"/api/v1/children/{own.child_id}/referrals"
    for user, hidden in ((area.users["parent"], True), (area.users["caseworker"], False)):
        raw = issue_api_token(user=user)
        [row] = [r for r in Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").json() if r["id"] == own.pk]
        assert row["estimate_reliable"] is False and row["position"]
        assert (row["estimate_p10"] is None and row["estimate_p90"] is None) == hidden
