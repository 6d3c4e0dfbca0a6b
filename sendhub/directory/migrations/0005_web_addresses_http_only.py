"""Website addresses must be http(s) (sendhub.directory.weblinks), and rows stored before that are blanked.

An imported `javascript:` or `data:` "website" would otherwise go on being re-published to every consumer
of the Open Referral API and shown as a link on the service page. The check is copied here, not imported,
so this migration keeps meaning what it meant when it was written.
"""

import django.core.validators
from django.core.exceptions import ValidationError
from django.db import migrations, models

FIELDS = [("DirectoryOrganisation", "website"), ("Service", "url"), ("Taxonomy", "uri"), ("TaxonomyTerm", "term_uri")]


def blank_addresses_that_are_not_http(apps, schema_editor):
    check = django.core.validators.URLValidator(schemes=["http", "https"])
    for model_name, field in FIELDS:
        model = apps.get_model("directory", model_name)
        bad = []
        for pk, value in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            try:
                check(value)
            except ValidationError:
                bad.append(pk)
        for start in range(0, len(bad), 500):
            model.objects.filter(pk__in=bad[start:start + 500]).update(**{field: ""})


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0004_service_stale_reminded_on'),
    ]

    operations = [
        migrations.AlterField(
            model_name='directoryorganisation',
            name='website',
            field=models.URLField(blank=True, validators=[django.core.validators.URLValidator(message='Enter a website address starting https:// (or http://)', schemes=['http', 'https'])]),
        ),
        migrations.AlterField(
            model_name='service',
            name='url',
            field=models.URLField(blank=True, max_length=500, validators=[django.core.validators.URLValidator(message='Enter a website address starting https:// (or http://)', schemes=['http', 'https'])]),
        ),
        migrations.AlterField(
            model_name='taxonomy',
            name='uri',
            field=models.URLField(blank=True, validators=[django.core.validators.URLValidator(message='Enter a website address starting https:// (or http://)', schemes=['http', 'https'])]),
        ),
        migrations.AlterField(
            model_name='taxonomyterm',
            name='term_uri',
            field=models.URLField(blank=True, validators=[django.core.validators.URLValidator(message='Enter a website address starting https:// (or http://)', schemes=['http', 'https'])]),
        ),
        migrations.RunPython(blank_addresses_that_are_not_http, migrations.RunPython.noop),
    ]
