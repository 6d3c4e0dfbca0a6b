"""Append-only rows cannot be changed, deleted or truncated, even with raw SQL (issue 15, ADR 3).

The only way past the delete triggers is `allow_teardown`, which `sendhub flush` takes in development
and in the test suite; transactional tests (emptied by flush afterwards) must keep working.
"""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from sendhub.audit.models import AuditEvent
from sendhub.audit.services import record
from sendhub.clock.models import StatutoryEvent
from sendhub.clock.services import record_event
from sendhub.core import append_only
from sendhub.core.append_only import allow_teardown, append_only_tables
from sendhub.core.management.commands import flush
from sendhub.testing import factories as f

TODAY = timezone.localdate()


def make_rows():
    """One child with an audit row and a statutory event (recorded through the real services)."""
    la = f.LocalAuthorityFactory()
    caseworker = f.UserFactory(role="caseworker", organisation=la)
    child = f.ChildFactory(local_authority=la)
    viewed = record(actor=caseworker, action="view", channel="web", obj=child, child=child, summary="looked")
    plan = f.EHCPlanFactory(child=child, first_issued_on=date(2024, 2, 29))
    case = f.AnnualReviewFactory(plan=plan, previous_review_meeting=TODAY - timedelta(days=380))
    record_event(actor=caseworker, case=case, type="review_meeting", date=TODAY - timedelta(days=20))
    return viewed, StatutoryEvent.objects.get(review=case)


def refused(sql: str, params=()) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def triggers_by_table() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
        found: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name)
    return found


@pytest.mark.django_db
def test_every_append_only_table_has_its_update_and_delete_triggers():
    """A new append-only model without `refuse_updates` and `refuse_deletes` in its migration fails here."""
    tables = append_only_tables()
    assert {"audit_auditevent", "clock_statutoryevent", "waits_referralevent", "plans_planversion"} <= set(tables)
    found = triggers_by_table()
    for table in tables:
        expected = {f"{table}_append_only", f"{table}_no_delete"}
        if connection.vendor == "postgresql":
            expected.add(f"{table}_no_truncate")
        assert expected <= found.get(table, set()), table


@pytest.mark.django_db
def test_the_database_refuses_to_delete_audit_and_statutory_event_rows():
    audit_row, event = make_rows()
    refused("DELETE FROM audit_auditevent WHERE id = %s", [audit_row.pk])
    refused("DELETE FROM audit_auditevent WHERE child_id = %s", [audit_row.child_id])
    refused("DELETE FROM clock_statutoryevent WHERE id = %s", [event.pk])
    refused("UPDATE clock_statutoryevent SET note = 'changed' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # TRUNCATE waits for no deferred foreign-key check of this test's rows
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        refused("TRUNCATE audit_auditevent CASCADE")
        refused("TRUNCATE clock_statutoryevent")
        refused("TRUNCATE people_child CASCADE")  # a cascade reaching an append-only table is refused too
    assert AuditEvent.objects.filter(pk=audit_row.pk).exists()
    assert StatutoryEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_a_delete_matching_no_row_is_not_an_error():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = -1")


@pytest.mark.django_db
def test_the_escape_is_for_this_connection_and_block_only():
    audit_row, event = make_rows()
    with allow_teardown(connection), connection.cursor() as cursor:
        cursor.execute("DELETE FROM clock_statutoryevent WHERE id = %s", [event.pk])
    assert not StatutoryEvent.objects.filter(pk=event.pk).exists()
    refused("DELETE FROM audit_auditevent WHERE id = %s", [audit_row.pk])  # and closed again afterwards
    with allow_teardown(connection):
        pass
    refused("DELETE FROM audit_auditevent WHERE id = %s", [audit_row.pk])


@pytest.mark.django_db
def test_updates_still_refused_inside_the_escape():
    audit_row, _ = make_rows()
    with allow_teardown(connection):
        refused("UPDATE audit_auditevent SET summary = 'tampered' WHERE id = %s", [audit_row.pk])


@pytest.mark.django_db
def test_flush_refuses_with_debug_off_outside_tests(monkeypatch):
    audit_row, _ = make_rows()
    monkeypatch.setattr(flush, "in_test_run", lambda: False)
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG is off"):
        call_command("flush", "--no-input", verbosity=0)
    assert AuditEvent.objects.filter(pk=audit_row.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_append_only_tables_in_development():
    make_rows()
    with override_settings(DEBUG=True):
        call_command("flush", "--no-input", verbosity=0)
    assert not AuditEvent.objects.exists() and not StatutoryEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_are_still_emptied_afterwards():
    """pytest-django flushes after this test; append-only rows left behind must not break that."""
    make_rows()
    assert AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_and_the_next_transactional_test_starts_empty():
    assert not AuditEvent.objects.exists() and not StatutoryEvent.objects.exists()


def test_the_sqlite_function_is_named_as_the_triggers_expect():
    assert append_only.TEARDOWN_FUNCTION in append_only.refuse_deletes.__doc__
