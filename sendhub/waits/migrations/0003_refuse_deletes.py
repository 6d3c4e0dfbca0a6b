"""Append-only rows cannot be deleted or truncated at the database either (issue 15, docs/database.md)."""

from django.db import migrations

from sendhub.core.append_only import refuse_deletes


class Migration(migrations.Migration):
    dependencies = [("waits", "0002_referral_lifecycle")]
    operations = [refuse_deletes("waits_referralevent")]
