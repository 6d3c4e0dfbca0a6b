from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the automatic plan quality checks on every issued plan version again (after a change of rules)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Queue it as a background task instead")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from sendhub.quality.tasks import backfill_checks

            self.stdout.write(f"Queued: task {backfill_checks.enqueue().id}")
            return
        from sendhub.quality.checks import backfill

        self.stdout.write(f"Checked {backfill():,} plan versions")
