"""`sendhub db_role_sql`: the application role may read and add append-only rows but never change or
remove them, nor truncate, alter or migrate anything; the list of tables comes from the models."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from sendhub.core.append_only import append_only_tables


def role_sql(role: str) -> str:
    out = StringIO()
    call_command("db_role_sql", "--app-role", role, stdout=out)
    return out.getvalue()


def test_every_append_only_table_loses_update_and_delete():
    sql = role_sql("sendhub_app")
    revoke = next(line for line in sql.splitlines() if line.startswith("REVOKE UPDATE, DELETE ON"))
    named = {part.strip().split(".")[1].strip('"') for part in revoke.removeprefix("REVOKE UPDATE, DELETE ON ")
             .removesuffix(' FROM "sendhub_app";').split(",")}
    assert named == set(append_only_tables())
    assert "TRUNCATE" not in sql.replace("No TRUNCATE", "")


@pytest.mark.parametrize("bad", ["Robert'); DROP TABLE x;--", "app role", "UPPER"])
def test_a_role_name_that_is_not_a_plain_identifier_is_refused(bad):
    with pytest.raises(CommandError, match="--app-role must be"):
        role_sql(bad)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")
@pytest.mark.django_db
def test_the_privileges_on_postgresql():
    role = "sendhub_app_privileges_test"
    with connection.cursor() as cursor:  # all inside the test's transaction: the role vanishes with it
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(role_sql(role))

        def can(table: str, privilege: str) -> bool:
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
            return cursor.fetchone()[0]

        for table in append_only_tables():
            assert can(table, "SELECT") and can(table, "INSERT"), table
            assert not any(can(table, p) for p in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")), table
        for table in ("people_child", "waits_referral", "django_session"):
            assert all(can(table, p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE")), table
            assert not can(table, "TRUNCATE"), table
        assert can("django_migrations", "SELECT") and not can("django_migrations", "INSERT")

        cursor.execute(f"SET ROLE {role}")
        try:
            for statement in ("DELETE FROM audit_auditevent", "UPDATE clock_statutoryevent SET note = ''",
                              "TRUNCATE people_child CASCADE", "ALTER TABLE people_child ADD COLUMN x int",
                              "CREATE TABLE sneaky (x int)"):
                with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
                    cursor.execute(statement)
        finally:
            cursor.execute("RESET ROLE")
