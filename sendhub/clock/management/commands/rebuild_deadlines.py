import time

from django.core.management.base import BaseCommand

from sendhub.clock.projection import check_and_repair, rebuild


class Command(BaseCommand):
    help = ("Rebuild the deadlines projection (each open case's open deadlines, for the Deadlines and Review "
            "priorities pages) from the statutory events, in bulk. With --check, only compare it with a fresh "
            "computation and repair the cases that differ (the daily job does this too).")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare and repair only what differs")

    def handle(self, *args, check, **options):
        started = time.monotonic()
        if check:
            wrong = check_and_repair()
            self.stdout.write(f"{len(wrong)} case{'s' if len(wrong) != 1 else ''} differed from the statutory clock"
                              f"{' and were repaired' if wrong else ''} ({time.monotonic() - started:.1f} s).")
            return
        count = rebuild()
        self.stdout.write(f"Rebuilt the deadlines of {count:,} open case{'s' if count != 1 else ''} "
                          f"in {time.monotonic() - started:.1f} s.")
