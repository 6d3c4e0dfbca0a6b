from django.db import migrations

from sendhub.core.append_only import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_review_workflow")]

    operations = [refuse_updates("reviews_reviewcontribution"), refuse_updates("reviews_transitionupdate")]
