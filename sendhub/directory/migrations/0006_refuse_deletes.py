"""Append-only rows cannot be deleted or truncated at the database either (issue 15, docs/database.md)."""

from django.db import migrations

from sendhub.core.append_only import refuse_deletes


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_web_addresses_http_only")]
    operations = [refuse_deletes("directory_publishedversion")]
