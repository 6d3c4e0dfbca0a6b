"""Append-only rows cannot be deleted or truncated at the database either (issue 15, docs/database.md)."""

from django.db import migrations

from sendhub.core.append_only import refuse_deletes


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_more_actions_lists_and_access")]
    operations = [refuse_deletes("audit_auditevent")]
