"""Append-only rows cannot be deleted or truncated at the database either (issue 15, docs/database.md)."""

from django.db import migrations

from sendhub.core.append_only import refuse_deletes


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_append_only_triggers")]
    operations = [refuse_deletes("portal_allaboutme"), refuse_deletes("portal_allaboutmepicture")]
