"""Append-only rows cannot be deleted or truncated at the database either (issue 15, docs/database.md)."""

from django.db import migrations

from sendhub.core.append_only import refuse_deletes


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_plandelivery")]
    operations = [
        refuse_deletes("plans_planversion"),
        refuse_deletes("plans_draftcomment"),
        refuse_deletes("plans_schoolrequest"),
    ]
