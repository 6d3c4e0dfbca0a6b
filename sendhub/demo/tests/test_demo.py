from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import override_settings

from django.utils import timezone

from sendhub.accounts.models import Role, User
from sendhub.dashboard.selectors import plan_facts
from sendhub.messaging.models import Delivery
from sendhub.core.identifiers import normalise_nhs_number, normalise_upn
from sendhub.demo.area import DEMO_ROLES, Scale, demo_email
from sendhub.organisations.models import Organisation
from sendhub.people.models import Child, FamilyMember
from sendhub.people.selectors import children_visible_to
from sendhub.plans.models import EHCPlan
from sendhub.waits.models import Referral

pytestmark = pytest.mark.django_db


def load(scale="150", seed=11):
    out = StringIO()
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True):
        call_command("demo", "--scale", scale, "--seed", str(seed), "--quiet", stdout=out)
    return out.getvalue()


def test_demo_refuses_when_debug_is_off():
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo", "--scale", "20")


def test_demo_refuses_a_bad_scale():
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True), pytest.raises(CommandError, match="--scale must be"):
        call_command("demo", "--scale", "huge")


def test_demo_builds_a_consistent_fictional_area():
    load()
    assert EHCPlan.objects.count() == 150
    for role in DEMO_ROLES:
        assert User.objects.filter(email=demo_email(role), role=role).exists(), role
    for child in Child.objects.all():
        assert child.nhs_number.startswith("999")  # the NHS's range for testing, never issued
        assert normalise_nhs_number(child.nhs_number) == child.nhs_number
        if child.upn:
            assert normalise_upn(child.upn) == child.upn
        assert 0 <= child.age() <= 25
    parent = User.objects.get(email=demo_email(Role.FAMILY))
    assert children_visible_to(parent).count() == 2
    for role in (Role.SENCO, Role.HEALTH_PROFESSIONAL, Role.SOCIAL_CARE, Role.CASEWORKER):
        assert children_visible_to(User.objects.get(email=demo_email(role))).exists(), role
    assert not children_visible_to(User.objects.get(email=demo_email(Role.PARTNERSHIP_LEADER))).exists()
    assert FamilyMember.objects.values("child").annotate(n=Count("pk")).filter(n__gt=2).count() == 0
    # Plan quality: every issued version checked; plans that pass every check, and each check failing somewhere.
    from sendhub.plans.models import PlanVersion
    from sendhub.quality.checklist import RULES
    from sendhub.quality.models import CheckRun

    assert CheckRun.objects.count() == PlanVersion.objects.count()
    assert CheckRun.objects.filter(passed=True, version__kind="final").exists()
    failed = {key for keys in CheckRun.objects.values_list("failed_rules", flat=True) for key in keys}
    assert failed == {rule.key for rule in RULES}

    from sendhub.clock.models import OpenCase
    from sendhub.clock.projection import check_and_repair

    assert OpenCase.objects.count() >= 150 and check_and_repair() == []  # the deadlines projection, filled in bulk

    # plans reach families by every route, and "Plans sent to everyone who should have them" is neither 0 nor 100%
    assert set(Delivery.objects.values_list("route", flat=True)) >= {"portal", "email", "post"}
    assert Delivery.objects.filter(state="posted", posted_on__isnull=False).exists()
    assert FamilyMember.objects.exclude(accessible_format="").exists()
    today = timezone.localdate()
    reached = [fact.in_numerator for fact in plan_facts(Child.objects.all(), since=today.replace(year=today.year - 2),
                                                        as_of=today) if fact.metric == "versions_reached_all"]
    assert reached and 0.5 < sum(reached) / len(reached) < 1


@pytest.mark.django_db(transaction=True)  # flush cannot run inside the test's transaction on PostgreSQL
def test_demo_is_deterministic_for_a_seed():
    load(seed=5)
    first = list(Child.objects.order_by("pk").values_list("given_name", "family_name", "date_of_birth", "primary_need"))
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True):
        call_command("flush", "--no-input", verbosity=0)
    load(seed=5)
    second = list(Child.objects.order_by("pk").values_list("given_name", "family_name", "date_of_birth", "primary_need"))
    assert first == second


def test_need_mix_is_realistic_at_borough_scale():
    load(scale="kirklees")
    total = EHCPlan.objects.count()
    assert total == 5000
    asd = EHCPlan.objects.filter(child__primary_need="ASD").count()
    assert 0.28 < asd / total < 0.38  # about a third
    assert Organisation.objects.filter(kind="school").count() == 150
    waiting = Referral.objects.waiting()
    assert 5000 < waiting.count() < 9500  # about 7,000 children on health waiting lists (varies with the date)
    assert waiting.filter(service__kind="neurodevelopmental").count() > waiting.filter(service__kind="wheelchair").count()
    parent = User.objects.get(email=demo_email(Role.FAMILY))
    assert waiting.filter(child__in=children_visible_to(parent)).count() >= 2


def test_demo_if_empty_leaves_existing_data_alone():
    load()
    before = Child.objects.count()
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True):
        out = StringIO()
        call_command("demo", "--if-empty", stdout=out)
    assert Child.objects.count() == before
    assert "already loaded" in out.getvalue()
    assert "parent@demo.sendhub.test" in out.getvalue()


def test_scale_parsing():
    assert Scale.parse("national").local_authorities == 153
    assert Scale.parse("national").plans_per_area * 153 >= 640_000
    assert Scale.parse("kirklees").plans_per_area == 5000

