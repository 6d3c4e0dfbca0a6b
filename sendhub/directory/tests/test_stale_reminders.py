"""Entries not checked for 12 months are flagged to their owner by the daily job, every 30 days until checked."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from sendhub.directory.services import remind_stale_owners
from sendhub.messaging.models import Notification

from .conftest import make_service

TODAY = timezone.localdate()


def test_owners_are_told_about_stale_entries_once_a_month(area, provider_org):
    therapist, team_manager = area.users["therapist"], area.users["team_manager"]
    stale = make_service(organisation=provider_org, name="Old Group", checked_on=TODAY - timedelta(days=400))
    make_service(organisation=provider_org, name="Fresh Group", checked_on=TODAY - timedelta(days=30))
    charity = make_service(name="Charity Club", checked_on=TODAY - timedelta(days=500))  # no partner organisation
    assert remind_stale_owners(today=TODAY) >= 2
    note = Notification.objects.get(recipient=therapist, subject="Local offer entries to check")
    assert "Old Group" in note.body and "Fresh Group" not in note.body and "Charity Club" not in note.body
    assert Notification.objects.filter(recipient=team_manager, body__contains="Charity Club").exists()
    assert remind_stale_owners(today=TODAY + timedelta(days=1)) == 0  # not again the next day
    assert remind_stale_owners(today=TODAY + timedelta(days=30)) >= 2  # but again a month later
    stale.refresh_from_db()
    assert stale.stale_reminded_on == TODAY + timedelta(days=30)
    charity.refresh_from_db()
    assert charity.stale_reminded_on == TODAY + timedelta(days=30)


def test_the_daily_job_includes_it(area, provider_org):
    make_service(organisation=provider_org, name="Old Group", checked_on=TODAY - timedelta(days=400))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "about local offer entries not checked for 12 months" in out.getvalue()
    assert Notification.objects.filter(recipient=area.users["therapist"], subject="Local offer entries to check").exists()
