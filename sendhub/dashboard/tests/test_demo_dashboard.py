"""The demo seeds the dashboard: the sourced national figure, trajectories, the Big Plan and disagreements."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from sendhub.accounts.models import Role, User
from sendhub.conftest import signed_in_client
from sendhub.dashboard.models import Action, Comparator, Disagreement, ImprovementArea, Trajectory
from sendhub.demo.area import demo_email

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_dashboard_and_it_renders():
    with override_settings(DEBUG=True, DEMO_COMMANDS_ENABLED=True):
        call_command("demo", "--scale", "300", "--seed", "5", "--quiet", stdout=StringIO())
    national = Comparator.objects.get(metric="final_plan_20w")
    assert str(national.value) == "46.4" and not national.placeholder and "Department for Education" in national.source
    assert Comparator.objects.count() == 1  # nothing else is claimed as a published figure
    assert ImprovementArea.objects.count() == 4 and Action.objects.count() >= 8
    assert Trajectory.objects.filter(local_authority=None).exists() and Trajectory.objects.exclude(local_authority=None).exists()
    for dis in Disagreement.objects.select_related("assessment"):
        assert dis.assessment.events.filter(type="decision_not_to_assess").exists()
    leader = User.objects.get(email=demo_email(Role.PARTNERSHIP_LEADER))
    response = signed_in_client(leader).get("/dashboard/")
    assert response.status_code == 200 and "England: 46.4%" in response.content.decode()
    assert signed_in_client(leader).get("/dashboard/big-plan/").status_code == 200
