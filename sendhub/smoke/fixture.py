"""The smoke test's production-like data: one local authority, one school, one child — and no accounts.

    python -m sendhub.smoke.fixture      (with the installation's environment: DATABASE_URL, SECRET_KEY…)

A fresh installation has no users: the first account comes from `sendhub invite_staff` (the invitation
journey test does that), so this creates none. The child is recorded through the same service as on the
web page (validated, audited as "System"). Everything here is fictional; the NHS number is in the 999
range the NHS keeps for testing.
"""

import os
import sys
from datetime import date

LOCAL_AUTHORITY = {"name": "Calderbrook Council", "code": "990"}
SCHOOL = {"name": "Millbeck Primary School", "urn": 990001}
CHILD = {"given_name": "Robin", "family_name": "Smoketest", "date_of_birth": date(2017, 4, 12),
         "nhs_number": "9990001006", "primary_need": "SLCN"}


def load() -> str:
    from django.db import transaction

    from sendhub.accounts.models import User
    from sendhub.organisations.models import Organisation, OrganisationKind, Phase
    from sendhub.people.services import ChildDetails, register_child

    if Organisation.objects.exists() or User.objects.exists():
        raise SystemExit("The smoke data goes into an empty database only: this one already has data.")
    with transaction.atomic():
        la = Organisation.objects.create(kind=OrganisationKind.LOCAL_AUTHORITY, **LOCAL_AUTHORITY)
        school = Organisation.objects.create(kind=OrganisationKind.SCHOOL, phase=Phase.PRIMARY, local_authority=la,
                                             **SCHOOL)
        child = register_child(actor=None, details=ChildDetails(local_authority_id=la.pk, setting_id=school.pk, **CHILD))
    return f"Loaded the smoke data: {la.name}, {school.name} (URN {school.urn}), child {child.pk}; no accounts."


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendhub.settings")
    import django

    django.setup()
    sys.stdout.write(load() + "\n")


if __name__ == "__main__":
    main()
