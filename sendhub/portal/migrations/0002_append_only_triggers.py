from django.db import migrations

from sendhub.core.append_only import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [refuse_updates("portal_allaboutme"), refuse_updates("portal_allaboutmepicture")]
