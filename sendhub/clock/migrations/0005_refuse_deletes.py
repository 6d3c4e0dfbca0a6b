"""Append-only rows cannot be deleted or truncated at the database either (issue 15, docs/database.md)."""

from django.db import migrations

from sendhub.core.append_only import refuse_deletes


class Migration(migrations.Migration):
    dependencies = [("clock", "0004_remove_reminder_emailed_at")]
    operations = [refuse_deletes("clock_statutoryevent")]
