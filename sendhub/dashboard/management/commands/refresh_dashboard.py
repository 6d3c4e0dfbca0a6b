from datetime import date

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Recompute the partnership dashboard's figures from the case data (run nightly)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="Compute as on this date (YYYY-MM-DD); default today")
        parser.add_argument("--enqueue", action="store_true", help="Queue it as a background task instead")

    def handle(self, *args, as_of=None, enqueue=False, **options):
        if enqueue:
            from sendhub.dashboard.tasks import refresh_dashboard

            result = refresh_dashboard.enqueue()
            self.stdout.write(f"Queued: task {result.id}")
            return
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError as error:
            raise CommandError(f"--as-of must be a date like 2026-11-23, not {as_of!r}") from error
        from sendhub.dashboard.services import run_refresh

        snap = run_refresh(as_of=day)
        if snap is None:
            raise CommandError("Another refresh of the dashboard is running: nothing was computed. "
                               "Wait for it to finish (a claim older than 3 hours is taken over).")
        self.stdout.write(f"Dashboard figures computed for {snap.as_of} in {snap.seconds:.1f} s "
                          f"({snap.cells.count():,} cells, {len(snap.data['waits'])} waiting lists); default charts drawn")
