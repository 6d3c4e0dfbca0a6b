from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sendhub.clock.reminders import raise_reminders


class Command(BaseCommand):
    help = ("Daily job: check the deadlines lists against the statutory clock (repair and alert if they differ); raise reminders for statutory deadlines falling due soon, and tell owners about local "
            "offer entries not checked for 12 months; queue their emails (run `sendhub db_worker` to send them).")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="The day to run for (YYYY-MM-DD); today by default")
        parser.add_argument("--days", type=int, default=10, help="Remind this many days before a deadline (default 10)")

    def handle(self, *args, as_of, days, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--as-of must be a date like 2026-03-02, not {as_of!r}") from error
        if days < 0:
            raise CommandError("--days must be 0 or more")
        from sendhub.clock.projection import check_and_repair

        wrong = check_and_repair()  # the deadlines lists equal a fresh computation; repaired and alerted if not
        self.stdout.write(f"Deadlines lists checked against the statutory clock: "
                          f"{f'{len(wrong)} case(s) repaired, team managers told' if wrong else 'all correct'}.")
        ids = raise_reminders(as_of=day, within_days=days)  # each also goes to the outbox, email queued
        self.stdout.write(f"Raised {len(ids)} reminder{'s' if len(ids) != 1 else ''} for deadlines due by "
                          f"{day:%-d %B %Y} + {days} days; emails queued.")
        from sendhub.directory.services import remind_stale_owners

        told = remind_stale_owners(today=day)
        self.stdout.write(f"Told {told} {'person' if told == 1 else 'people'} about local offer entries not checked "
                          "for 12 months.")
