from django.db import migrations

from sendhub.core.append_only import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_draftcomment_schoolrequest")]
    operations = [refuse_updates("plans_draftcomment"), refuse_updates("plans_schoolrequest")]
