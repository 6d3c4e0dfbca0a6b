"""SEN2's SEN types gained DS (Down syndrome, from 2025/26): refresh the need taxonomy so the local offer and its
Open Referral UK API offer it on installations migrated before (seed_taxonomies creates or updates, never deletes)."""

from django.db import migrations


def seed(apps, schema_editor):
    from sendhub.directory.taxonomy import seed_taxonomies

    seed_taxonomies(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_refuse_deletes"), ("people", "0004_contact_routes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
