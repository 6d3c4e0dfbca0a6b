from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sendhub.accounts.invitations import invite_staff
from sendhub.accounts.models import STAFF_ROLES, Role
from sendhub.organisations.models import Organisation, Team


class Command(BaseCommand):
    help = ("Email a member of staff an invitation to set a password and an authenticator app: the way to make "
            "the first administrator of a new installation. Links point at SENDHUB_SITE_URL.")

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="Their full name")
        parser.add_argument("--role", required=True, choices=sorted(STAFF_ROLES))
        parser.add_argument("--organisation", required=True, help="The organisation's name, exactly as recorded")
        parser.add_argument("--team", action="append", default=[], help="A team of that organisation (repeatable)")
        parser.add_argument("--print-link", action="store_true",
                            help="Also print the link (it signs someone up: only where no email can be sent)")

    def handle(self, *args, email, name, role, organisation, team, print_link, **options):
        matches = list(Organisation.objects.filter(name__iexact=organisation.strip())[:2])
        if not matches:
            raise CommandError(f"No organisation is called {organisation!r}")
        if len(matches) > 1:
            raise CommandError(f"More than one organisation is called {organisation!r}: rename one in the support admin site")
        teams = []
        for name_of_team in team:
            found = Team.objects.filter(organisation=matches[0], name__iexact=name_of_team.strip()).first()
            if found is None:
                raise CommandError(f"{matches[0]} has no team called {name_of_team!r}")
            teams.append(found)
        try:
            with transaction.atomic():
                issued = invite_staff(actor=None, email=email, full_name=name, role=role, organisation=matches[0],
                                      teams=teams)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        issued.invitation.refresh_from_db()
        if print_link:
            self.stdout.write(issued.link)
        if issued.invitation.email_error:
            raise CommandError(f"The invitation was saved but the email could not be sent: {issued.invitation.email_error}")
        self.stdout.write(f"Invitation emailed to {issued.invitation.email} as {Role(role).label} at {matches[0]}; "
                          f"the link works until {issued.invitation.expires_at:%Y-%m-%d %H:%M %Z}.")
