import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from sendhub.accounts.models import Role
from sendhub.testing import factories as f
from sendhub.testing.browser import (  # noqa: F401 (fixtures and the hook marking browser tests)
    browser, check_accessibility, page, pytest_collection_modifyitems, screenshot,
)

hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, max_examples=200)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@dataclass
class Area:
    """Two local authorities, two schools, two families, and one of every professional."""

    la: object
    other_la: object
    school: object
    other_school: object
    provider: object
    child: object  # at `school`, in `la`, parent `parent`, therapist involved
    sibling: object  # same parent
    other_child: object  # another family, `other_school`, same la
    far_child: object  # another local authority
    users: dict


@pytest.fixture
def area(db) -> Area:
    la, other_la = f.LocalAuthorityFactory(), f.LocalAuthorityFactory()
    school = f.SchoolFactory(local_authority=la)
    other_school = f.SchoolFactory(local_authority=la)
    provider = f.ProviderFactory(local_authority=la)
    social_care = f.ProviderFactory(kind="social_care", name="Testshire Children's Social Care", local_authority=la)
    users = {
        "parent": f.UserFactory(role=Role.FAMILY, email="parent@example.test"),
        "other_parent": f.UserFactory(role=Role.FAMILY, email="other-parent@example.test"),
        "young_person": f.UserFactory(role=Role.YOUNG_PERSON, email="young@example.test"),
        "caseworker": f.UserFactory(role=Role.CASEWORKER, organisation=la, email="caseworker@example.test"),
        "other_caseworker": f.UserFactory(role=Role.CASEWORKER, organisation=other_la),
        "team_manager": f.UserFactory(role=Role.TEAM_MANAGER, organisation=la),
        "qa_officer": f.UserFactory(role=Role.QA_OFFICER, organisation=la),
        "therapist": f.UserFactory(role=Role.HEALTH_PROFESSIONAL, organisation=provider),
        "social_worker": f.UserFactory(role=Role.SOCIAL_CARE, organisation=social_care),
        "senco": f.UserFactory(role=Role.SENCO, organisation=school),
        "leader": f.UserFactory(role=Role.PARTNERSHIP_LEADER, organisation=la),
        "administrator": f.UserFactory(role=Role.ADMINISTRATOR, organisation=la, is_staff=True, is_superuser=True),
    }
    child = f.ChildFactory(local_authority=la, setting=school)
    sibling = f.ChildFactory(local_authority=la, setting=other_school, date_of_birth=child.date_of_birth.replace(year=2012))
    other_child = f.ChildFactory(local_authority=la, setting=other_school)
    far_child = f.ChildFactory(local_authority=other_la)
    for kid in (child, sibling):
        f.FamilyMemberFactory(child=kid, user=users["parent"], full_name=users["parent"].full_name)
    f.FamilyMemberFactory(child=other_child, user=users["other_parent"])
    f.InvolvementFactory(child=child, professional=users["therapist"], organisation=provider)
    return Area(la, other_la, school, other_school, provider, child, sibling, other_child, far_child, users)


def signed_in_client(user) -> Client:
    """A client signed in as `user`, with two-factor already passed for staff."""
    client = Client()
    client.force_login(user)
    if user.needs_two_factor:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for():
    return signed_in_client


@pytest.fixture(autouse=True)
def uploaded_files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def no_sign_in_time_floor(settings):
    """Sign-in answers are padded to a minimum time (accounts.throttling); tests of it set their own."""
    settings.SIGN_IN_MIN_SECONDS = 0


@pytest.fixture(autouse=True)
def _taxonomies_from_the_migration(request):
    """Put back the Open Referral UK taxonomies that a migration makes, for any test using the database.

    A browser or other transactional test empties every table when it ends; with the suite spread over
    workers (pytest-xdist), the next test on that worker would otherwise find no categories or needs.
    """
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from sendhub.directory.models import Taxonomy, TaxonomyTerm
    from sendhub.directory.taxonomy import seed_taxonomies

    if not TaxonomyTerm.objects.exists():
        seed_taxonomies(Taxonomy, TaxonomyTerm)
