from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sendhub.accounts.models import ApiToken, TokenScope, User
from sendhub.accounts.services import issue_api_token


class Command(BaseCommand):
    help = ("Print a new API token for an existing user (only its hash is stored: keep it safe). Tokens are "
            "read-only and expire after SENDHUB_API_TOKEN_DAYS (90) days unless you say otherwise. This is an "
            "operator's command: run on the server, it is the only way to make a token, write tokens included.")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="integration", help="What the token is for")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ,
                            help="read (default): GET only; write: may also record and change records")
        parser.add_argument("--expires-in-days", type=int, default=None, dest="days",
                            help=f"1 to {ApiToken.MAX_DAYS}; default SENDHUB_API_TOKEN_DAYS ({settings.API_TOKEN_DAYS})")

    def handle(self, *args, email, name, scope, days, **options):
        user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with email {email}")
        try:
            raw = issue_api_token(user=user, name=name, scope=scope, days=days)
        except ValidationError as error:
            raise CommandError("; ".join(m for ms in error.message_dict.values() for m in ms)) from error
        self.stdout.write(raw)
