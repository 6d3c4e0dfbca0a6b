from datetime import date

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from sendhub.accounts.services import issue_api_token
from sendhub.audit.models import AuditAction, AuditChannel, AuditEvent
from sendhub.people.services import ChildDetails, update_child

pytestmark = pytest.mark.django_db


def test_reading_a_childs_page_is_audited_and_shown_to_the_family(area, client_for):
    client_for(area.users["therapist"]).get(reverse("web:child", kwargs={"pk": area.child.pk}))
    event = AuditEvent.objects.get(action=AuditAction.VIEW, actor=area.users["therapist"])
    assert event.child == area.child
    assert event.channel == AuditChannel.WEB
    response = client_for(area.users["parent"]).get(reverse("web:child", kwargs={"pk": area.child.pk}))
    assert area.users["therapist"].full_name in response.content.decode()


def test_reading_through_the_api_is_audited(area, client):
    token = issue_api_token(user=area.users["caseworker"])
    client.get(f"/api/v1/children/{area.child.pk}", headers={"authorization": f"Bearer {token}"})
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.actor, event.child, event.channel) == (area.users["caseworker"], area.child, AuditChannel.API)


def test_a_change_records_who_when_and_before_and_after(area):
    child = area.child
    details = ChildDetails(given_name="Robin", family_name=child.family_name, date_of_birth=child.date_of_birth,
                           local_authority_id=child.local_authority_id, nhs_number=child.nhs_number,
                           upn=child.upn, primary_need="SLCN", setting_id=child.setting_id)
    update_child(actor=area.users["caseworker"], child=child, details=details, expected_version=child.version)
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.actor == area.users["caseworker"]
    assert event.changes["given_name"] == [child.given_name, "Robin"]
    assert event.changes["primary_need"] == ["ASD", "SLCN"]
    assert "nhs_number" not in event.changes  # unchanged fields are not listed


def test_audit_rows_cannot_be_changed_or_deleted(area, client_for):
    client_for(area.users["parent"]).get(reverse("web:child", kwargs={"pk": area.child.pk}))
    event = AuditEvent.objects.get()
    event.summary = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_to_update_an_audit_row(area, client_for):
    client_for(area.users["parent"]).get(reverse("web:child", kwargs={"pk": area.child.pk}))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = %s", ["tampered"])
    assert AuditEvent.objects.get().summary != "tampered"


def test_a_failed_change_leaves_no_audit_row(area):
    from django.core.exceptions import ValidationError

    child = area.child
    details = ChildDetails(given_name="Robin", family_name=child.family_name, date_of_birth=date(2099, 1, 1),
                           local_authority_id=child.local_authority_id)
    with pytest.raises(ValidationError):
        update_child(actor=area.users["caseworker"], child=child, details=details, expected_version=child.version)
    assert not AuditEvent.objects.exists()
