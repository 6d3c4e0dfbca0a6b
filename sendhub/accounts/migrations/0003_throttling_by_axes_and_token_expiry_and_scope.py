"""Sign-in failures move to django-axes (the User's own counters go); API tokens get an expiry and a scope.

Tokens issued before this migration keep working for 90 days from now, read and write as before; new
ones are read-only unless issued with --scope write.
"""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def existing_tokens_expire_in_90_days(apps, schema_editor):
    apps.get_model("accounts", "ApiToken").objects.update(expires_at=timezone.now() + timedelta(days=90))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_message_preferences"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="failed_sign_ins"),
        migrations.RemoveField(model_name="user", name="locked_until"),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, help_text="The token stops working at this time"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(choices=[("read", "Read only"), ("write", "Read and change records")],
                                   default="write", help_text="Read-only tokens cannot record or change anything",
                                   max_length=10),
        ),
        migrations.RunPython(existing_tokens_expire_in_90_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(help_text="The token stops working at this time"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(choices=[("read", "Read only"), ("write", "Read and change records")],
                                   default="read", help_text="Read-only tokens cannot record or change anything",
                                   max_length=10),
        ),
    ]
