import base64
import hashlib
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendhub.accounts.models import STAFF_ROLES, User
from sendhub.demo.area import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_ROLES, DemoArea, Scale, demo_email
from sendhub.demo.guard import refuse_unless_demo_allowed
from sendhub.organisations.models import Organisation


def demo_totp_key_hex(seed: int) -> str:
    """One authenticator key for every demo staff account, so a newcomer adds it to an app once."""
    return hashlib.sha1(f"sendhub-demo-{seed}".encode()).hexdigest()


def hex_to_base32(key_hex: str) -> str:
    return base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")


class Command(BaseCommand):
    help = "Load a synthetic local area: fictional people only, deterministic for a seed."

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="kirklees",
                            help="kirklees (one borough, about 5,000 plans), national (640,000 plans in 153 areas) or N plans")
        parser.add_argument("--seed", type=int, default=2014)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the database already has organisations")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, scale, seed, if_empty, quiet, **options):
        refuse_unless_demo_allowed("demo")
        try:
            parsed = Scale.parse(scale)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if Organisation.objects.exists():
            if if_empty:
                if not quiet:
                    self.stdout.write("Demo data is already loaded.")
                    self.print_sign_ins()
                return
            raise CommandError("The database already has data: use a new database (or `sendhub flush`) first")
        started = time.monotonic()
        area = DemoArea(seed=seed, progress=None if quiet else self._progress)
        totals = area.build(parsed)
        self._demo_devices(seed)
        if totals["local_authorities"] <= 3:
            # Pages never compute the dashboard (the task worker does): give the demo its first figures now.
            from sendhub.dashboard.services import run_refresh

            run_refresh()
        elif not quiet:
            self.stdout.write("Run `sendhub refresh_dashboard` (or `sendhub db_worker`) for the dashboard's figures.")
        elapsed = time.monotonic() - started
        if not quiet:
            sys.stderr.write("\n")
            self.stdout.write(
                f"Loaded {totals['local_authorities']} local authorit{'y' if totals['local_authorities'] == 1 else 'ies'}, "
                f"{totals['schools']:,} schools and settings, {totals['children']:,} children, {totals['plans']:,} EHC plans, "
                f"{totals['assessments']:,} assessment requests, {totals['referrals']:,} health referrals "
                f"({totals['waiting']:,} still waiting) in {elapsed:.1f} s.")
            self.print_sign_ins()

    def _progress(self, done: int, total: int) -> None:
        width = 40
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} local authorities")
        sys.stderr.flush()

    @transaction.atomic
    def _demo_devices(self, seed: int) -> None:
        key = demo_totp_key_hex(seed)
        staff = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", role__in=STAFF_ROLES)
        TOTPDevice.objects.bulk_create([
            TOTPDevice(user=user, name="Demo authenticator", key=key, confirmed=True) for user in staff
        ])

    def print_sign_ins(self) -> None:
        self.stdout.write("\nDemo sign-in (fictional people only). Password for every account: " + DEMO_PASSWORD)
        for role in DEMO_ROLES:
            self.stdout.write(f"  {demo_email(role):42} {role.label}")
        device = TOTPDevice.objects.filter(user__email=demo_email("caseworker")).first()
        if device is None:
            return
        self.stdout.write(
            "Staff accounts also ask for a code from an authenticator app. Add this key to any app (TOTP, 6 digits, 30 s): "
            f"{hex_to_base32(device.key)}\n"
            "or print the current code with: DEBUG=true SENDHUB_DEMO=1 .venv/bin/sendhub totp_code caseworker@" + DEMO_DOMAIN)
        if connection.vendor == "sqlite":
            self.stdout.write(f"Database: {connection.settings_dict['NAME']}")
