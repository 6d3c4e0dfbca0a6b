"""Factories for tests: fictional people, valid identifiers."""

import itertools
from datetime import date

import factory
from django.contrib.auth.hashers import make_password

from sendhub.accounts.models import Role, User
from sendhub.core.identifiers import nhs_check_digit, upn_check_letter
from sendhub.organisations.models import Organisation, OrganisationKind, Phase
from sendhub.people.models import Child, FamilyMember, Involvement, InvolvementRole, Relationship
from sendhub.plans.models import EHCPlan

PASSWORD = "correct-horse-battery-staple"
_PASSWORD_HASH = None
_nhs = itertools.count(1)
_upn = itertools.count(1)


def password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


def next_nhs_number() -> str:
    while True:
        first_nine = f"999{next(_nhs) + 500000:06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def next_upn() -> str:
    body = f"99912342{next(_upn) + 1000:04d}"
    return upn_check_letter(body) + body


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.LOCAL_AUTHORITY
    name = factory.Sequence(lambda n: f"Testshire {n} Council")
    code = factory.Sequence(lambda n: str(800 + n % 100))


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.SCHOOL
    name = factory.Sequence(lambda n: f"Oak Lane {n} Primary School")
    urn = factory.Sequence(lambda n: 700000 + n)
    phase = Phase.PRIMARY
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.HEALTH_PROVIDER
    name = factory.Sequence(lambda n: f"Testshire {n} Community Health NHS Trust")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.FAMILY
    password = factory.LazyFunction(password_hash)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    given_name = factory.Sequence(lambda n: f"Alex{n}")
    family_name = factory.Sequence(lambda n: f"Testchild{n}")
    date_of_birth = date(2015, 5, 3)
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    nhs_number = factory.LazyFunction(next_nhs_number)
    upn = factory.LazyFunction(next_upn)
    primary_need = "ASD"


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyMember

    child = factory.SubFactory(ChildFactory)
    user = factory.SubFactory(UserFactory, role=Role.FAMILY)
    full_name = factory.SelfAttribute("user.full_name")
    relationship = Relationship.MOTHER


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    child = factory.SubFactory(ChildFactory)
    role = InvolvementRole.SPEECH_LANGUAGE_THERAPIST
    organisation = factory.SubFactory(ProviderFactory)
    professional = factory.SubFactory(UserFactory, role=Role.HEALTH_PROFESSIONAL)
    started_on = date(2025, 1, 1)


class EHCPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EHCPlan

    child = factory.SubFactory(ChildFactory)
    first_issued_on = date(2023, 3, 10)


class HealthServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.HealthService"

    provider = factory.SubFactory(ProviderFactory)
    kind = "speech_language"
    name = factory.Sequence(lambda n: f"Speech and language therapy {n}")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "waits.Referral"

    child = factory.SubFactory(ChildFactory)
    service = factory.SubFactory(HealthServiceFactory)
    reference = factory.Sequence(lambda n: f"REF-{n:06d}")
    referred_on = date(2026, 3, 1)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.EHCNeedsAssessment"

    child = factory.SubFactory(ChildFactory)
    request_received_on = date(2026, 9, 1)
    requested_by = "parent"


class AnnualReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.AnnualReview"

    plan = factory.SubFactory(EHCPlanFactory)
