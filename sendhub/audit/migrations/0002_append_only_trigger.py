"""The database itself refuses to change an audit row, whatever code runs against it (ADR 3)."""

from django.db import migrations

from sendhub.core.append_only import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [refuse_updates("audit_auditevent")]
