"""The database itself refuses to change an audit row, whatever code runs against it.

Deletes are refused by the model and queryset; a DELETE trigger would also block the test
runner's table flush on SQLite, so only UPDATE is refused at the database (see docs/adr/0003).
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
POSTGRES_UP = """
CREATE OR REPLACE FUNCTION audit_auditevent_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE ON audit_auditevent
FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_update();
"""
DOWN = {
    "sqlite": "DROP TRIGGER IF EXISTS audit_auditevent_append_only;",
    "postgresql": "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;"
    " DROP FUNCTION IF EXISTS audit_auditevent_refuse_update();",
}


def forwards(apps, schema_editor):
    sql = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = DOWN.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
