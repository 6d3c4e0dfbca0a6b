"""Append-only rows cannot be deleted or truncated at the database either (issue 15, docs/database.md)."""

from django.db import migrations

from sendhub.core.append_only import refuse_deletes


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_letter_review")]
    operations = [refuse_deletes("letters_letter")]
