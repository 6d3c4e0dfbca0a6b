"""Rows that are written once and never changed or removed: audit events, statutory events, plan
versions, letters and the other records listed by `append_only_tables()`.

The model and queryset refuse updates and deletes. Two migration operations make the database itself
refuse them too, whatever code runs against it (docs/adr/0003-audit-trail.md, docs/database.md):

- `refuse_updates(table)`: a trigger refusing UPDATE;
- `refuse_deletes(table)`: triggers refusing DELETE (and, on PostgreSQL, TRUNCATE).

Every append-only table gets both, in a migration of its own app. The only way past the DELETE and
TRUNCATE triggers is `allow_teardown`, used by `sendhub flush` in development and in the test suite
(which empties tables between transactional tests); see docs/database.md.
"""

from contextlib import contextmanager

from django.db import models

# The name of the PostgreSQL session setting, and of the SQLite function, that the delete triggers
# consult. Only `allow_teardown` switches it on.
TEARDOWN_SETTING = "sendhub.allow_teardown"
TEARDOWN_FUNCTION = "sendhub_teardown_allowed"


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


def append_only_tables() -> list[str]:
    """The database tables of every installed append-only model, sorted.

    The one list used by `sendhub db_role_sql` (the production role's grants) and by the test that
    checks every such table has its UPDATE and DELETE triggers, so neither can go stale.
    """
    from django.apps import apps

    return sorted(model._meta.db_table for model in apps.get_models()
                  if issubclass(model, AppendOnlyModel) and not model._meta.proxy)


def _run_sql(up: dict[str, str], down: dict[str, str]):
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor in up:
            schema_editor.execute(up[schema_editor.connection.vendor])

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor in down:
            schema_editor.execute(down[schema_editor.connection.vendor])

    return migrations.RunPython(forwards, backwards)


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
    return _run_sql(up, down)


def refuse_deletes(table: str):
    """A migration operation adding triggers that make the database refuse DELETE (and, on PostgreSQL,
    TRUNCATE) on `table`, unless `allow_teardown` is in force on that connection.

    Row-level, so a DELETE that matches no row is not an error (as on SQLite, which has only row
    triggers). On SQLite the trigger asks the function `sendhub_teardown_allowed()`, which sendhub
    registers on each of its own connections (`register_teardown_function`); on any other connection
    (the sqlite3 shell) the function does not exist and the DELETE fails all the same.
    """
    delete_trigger = f"{table}_no_delete"
    truncate_trigger = f"{table}_no_truncate"
    function = f"{table}_refuse_delete"
    message = f"{table} is append-only: rows cannot be deleted"
    up = {
        "sqlite": f"CREATE TRIGGER {delete_trigger} BEFORE DELETE ON {table} WHEN NOT {TEARDOWN_FUNCTION}() "
                  f"BEGIN SELECT RAISE(ABORT, '{message}'); END;",
        "postgresql": f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ "
                      f"BEGIN "
                      f"IF current_setting('{TEARDOWN_SETTING}', true) = 'on' THEN "
                      f"IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NULL; END IF; "
                      f"RAISE EXCEPTION '{message}'; "
                      f"END; $$ LANGUAGE plpgsql; "
                      f"CREATE TRIGGER {delete_trigger} BEFORE DELETE ON {table} "
                      f"FOR EACH ROW EXECUTE FUNCTION {function}(); "
                      f"CREATE TRIGGER {truncate_trigger} BEFORE TRUNCATE ON {table} "
                      f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();",
    }
    down = {
        "sqlite": f"DROP TRIGGER IF EXISTS {delete_trigger};",
        "postgresql": f"DROP TRIGGER IF EXISTS {delete_trigger} ON {table}; "
                      f"DROP TRIGGER IF EXISTS {truncate_trigger} ON {table}; "
                      f"DROP FUNCTION IF EXISTS {function}();",
    }
    return _run_sql(up, down)


def register_teardown_function(sender, connection, **kwargs):
    """`connection_created` receiver: give each SQLite connection the function the delete triggers ask.

    It answers from a flag on Django's connection object, which only `allow_teardown` sets, so the
    flag lives and dies with that one connection.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            TEARDOWN_FUNCTION, 0, lambda: int(getattr(connection, "sendhub_allow_teardown", False)))


@contextmanager
def allow_teardown(connection):
    """Let the DELETE/TRUNCATE triggers pass, on this connection only, for the duration of the block.

    For emptying a development or test database (`sendhub flush`, and the test runner's flush after
    each transactional test) — never for application code. On PostgreSQL this is `SET LOCAL
    sendhub.allow_teardown = on` inside a transaction (or savepoint), switched off again at the end
    of the block and undone by a rollback; on SQLite, a flag on the connection object.
    """
    from django.db import transaction

    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [TEARDOWN_SETTING])
            yield
            # SET LOCAL lasts until the outermost transaction ends: switch it off at the block's end.
            # (If the block fails, rolling back restores the setting.)
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', true)", [TEARDOWN_SETTING])
        return
    connection.sendhub_allow_teardown = True
    try:
        yield
    finally:
        connection.sendhub_allow_teardown = False
