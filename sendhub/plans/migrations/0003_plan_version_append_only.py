from django.db import migrations

from sendhub.core.append_only import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_planversion_sectiondraft")]
    operations = [refuse_updates("plans_planversion")]
