from django.core.management.base import BaseCommand, CommandError

from sendhub.accounts.models import User
from sendhub.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Print a new API token for an existing user. Only its hash is stored: keep it safe."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="integration", help="What the token is for")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with email {email}")
        self.stdout.write(issue_api_token(user=user, name=name))
