from django.core.management.base import BaseCommand, CommandError

from sendhub.accounts.models import ApiToken
from sendhub.accounts.services import revoke_api_token


class Command(BaseCommand):
    help = "Revoke an API token at once, by the first characters `sendhub token` printed (at least 8, e.g. sh_AbC12)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix, **options):
        matches = list(ApiToken.objects.filter(prefix=prefix[:8]).select_related("user")) if len(prefix) >= 8 else []
        if len(matches) != 1:
            raise CommandError(f"{'No' if not matches else 'More than one'} token starts with {prefix!r}: "
                               "give its first 8 characters (the support admin site lists them)")
        token = revoke_api_token(token=matches[0])
        self.stdout.write(f"Revoked {token.prefix}… of {token.user.email}")
