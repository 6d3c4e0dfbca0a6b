"""Statutory events are append-only at the database too (ADR 3)."""

from django.db import migrations

from sendhub.core.append_only import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("clock", "0002_initial")]
    operations = [refuse_updates("clock_statutoryevent")]
