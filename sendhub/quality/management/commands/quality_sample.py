import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Draw this month's plan quality audit sample for every council that has none yet (run monthly)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; default this month")
        parser.add_argument("--enqueue", action="store_true", help="Queue it as a background task instead")

    def handle(self, *args, month=None, enqueue=False, **options):
        month = month or f"{timezone.localdate():%Y-%m}"
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            raise CommandError(f"--month must be like 2026-12, not {month!r}")
        if enqueue:
            from sendhub.quality.tasks import draw_samples

            self.stdout.write(f"Queued: task {draw_samples.enqueue(month).id}")
            return
        from sendhub.quality.services import draw_all_samples

        self.stdout.write(f"Drew {draw_all_samples(month=month)} sample(s) for {month}")
