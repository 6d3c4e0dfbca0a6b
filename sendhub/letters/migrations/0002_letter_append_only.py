from django.db import migrations

from sendhub.core.append_only import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]
    operations = [refuse_updates("letters_letter")]
