"""Rows that are written once and never changed: audit events and statutory events.

The model and queryset refuse updates and deletes; `refuse_updates` installs a database trigger so
that no other code path can change a row either (see docs/adr/0003-audit-trail.md).
"""

from django.db import models


class AppendOnlyError(PermissionError):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name} rows are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} rows are append-only")


def refuse_updates(table: str):
    """A migration operation adding a trigger that makes the database refuse UPDATE on `table`."""
    trigger = f"{table}_append_only"
    function = f"{table}_refuse_update"
    up = {
        "sqlite": f"CREATE TRIGGER {trigger} BEFORE UPDATE ON {table} "
                  f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
        "postgresql": f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ "
                      f"BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql; "
                      f"CREATE TRIGGER {trigger} BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();",
    }
    down = {
        "sqlite": f"DROP TRIGGER IF EXISTS {trigger};",
        "postgresql": f"DROP TRIGGER IF EXISTS {trigger} ON {table}; DROP FUNCTION IF EXISTS {function}();",
    }

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor in up:
            schema_editor.execute(up[schema_editor.connection.vendor])

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor in down:
            schema_editor.execute(down[schema_editor.connection.vendor])

    from django.db import migrations

    return migrations.RunPython(forwards, backwards)
