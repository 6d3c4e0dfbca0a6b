"""`sendhub flush`: Django's flush, able to empty append-only tables in development and tests only.

The database refuses to delete append-only rows (sendhub/core/append_only.py). Emptying a whole
database is still needed in two places: a developer starting again (`sendhub flush`, then `sendhub
demo`), and the test runner, which calls this command to empty the tables after every transactional
test. Both get the narrow escape `allow_teardown`. With DEBUG off and outside a test run, flush
refuses before deleting anything: a live audit trail is never emptied by a command.
"""

from django.conf import settings
from django.core import mail
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections

from sendhub.core.append_only import allow_teardown


def in_test_run() -> bool:
    """Django's test environment (set up by the test runner and pytest-django) keeps sent mail in
    `django.core.mail.outbox`; nothing else in sendhub creates it."""
    return hasattr(mail, "outbox")


class Command(flush.Command):
    help = flush.Command.help + " In sendhub: only with DEBUG on or in the test suite (append-only records)."

    def handle(self, **options):
        if not (settings.DEBUG or in_test_run()):
            raise CommandError(
                "sendhub flush refuses to run when DEBUG is off: it would delete the audit trail and other "
                "append-only records. To start again, create a new, empty database (see docs/database.md).")
        with allow_teardown(connections[options["database"]]):
            super().handle(**options)
