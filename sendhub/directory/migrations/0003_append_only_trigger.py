from django.db import migrations

from sendhub.core.append_only import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_taxonomies")]
    operations = [refuse_updates("directory_publishedversion")]
