"""When the demo commands may run: never against a real installation.

`sendhub demo` loads fictional accounts with a published password and `sendhub totp_code` prints their
two-factor codes. Either on a live database would be a way in, so each needs all three of: DEBUG on,
SENDHUB_DEMO=1 set on purpose (script/server does), and a database whose accounts are all demo accounts
(@demo.sendhub.test or one of its subdomains, as the demo makes them). One forgotten setting is not
enough to reach a database with real people in it.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.db.models import Q

from sendhub.accounts.models import User
from sendhub.demo.area import DEMO_DOMAIN


def real_accounts():
    """Accounts that are not the demo's: any email outside the demo domain and its subdomains."""
    demo = Q(email__iendswith=f"@{DEMO_DOMAIN}") | Q(email__iendswith=f".{DEMO_DOMAIN}")
    return User.objects.exclude(demo)


def refuse_unless_demo_allowed(command: str) -> None:
    """Raise CommandError naming every reason the command may not run here."""
    reasons = []
    if not settings.DEBUG:
        reasons.append("DEBUG is off")
    if not settings.DEMO_COMMANDS_ENABLED:
        reasons.append("SENDHUB_DEMO=1 is not set")
    try:
        real = real_accounts().count()
    except DatabaseError as error:
        reasons.append(f"the database's accounts could not be checked ({error.__class__.__name__})")
    else:
        if real:
            reasons.append(f"the database has {real} real account{'s' if real != 1 else ''} "
                           f"(not @{DEMO_DOMAIN})")
    if reasons:
        raise CommandError(f"sendhub {command} refuses to run: {'; '.join(reasons)}. "
                           "Demo data and demo sign-ins are for development only and must never reach a real installation.")
