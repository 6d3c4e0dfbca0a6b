"""The fields the return needs, recorded through the child's form and service, with clear errors."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from sendhub.people.services import ChildDetails, register_child
from sendhub.testing.factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_postcode_sex_ethnicity_and_setting_code_are_checked_and_kept():
    la = LocalAuthorityFactory()
    child = register_child(actor=None, details=ChildDetails(
        given_name="Nia", family_name="Nash", date_of_birth=date(2008, 2, 2), local_authority_id=la.pk,
        postcode="hd12ab", sex="F", ethnicity="wbri", sen_setting="NEET"))
    assert (child.postcode, child.sex, child.ethnicity, child.sen_setting) == ("HD1 2AB", "F", "WBRI", "NEET")
    with pytest.raises(ValidationError) as error:
        register_child(actor=None, details=ChildDetails(
            given_name="Oli", family_name="Ode", date_of_birth=date(2010, 2, 2), local_authority_id=la.pk,
            postcode="12345", ethnicity="W", sex="X", sen_setting="EHE", setting_id=SchoolFactory(local_authority=la).pk))
    assert error.value.message_dict == {
        "postcode": ["Enter a real postcode, like HD1 2AB"],
        "ethnicity": ["Ethnicity must be a 4-letter DfE code, like WBRI"], "sex": ["Select sex from the list"],
        "sen_setting": ["Choose a school or setting, or a setting code when there is none: not both"]}


def test_a_college_or_provider_known_only_by_ukprn_can_be_the_setting():
    from sendhub.organisations.models import Organisation

    la = LocalAuthorityFactory()
    provider = Organisation.objects.create(kind="other", name="Skills Ltd", ukprn=10009999, local_authority=la)
    child = register_child(actor=None, details=ChildDetails(
        given_name="Ivy", family_name="Irwin", date_of_birth=date(2007, 7, 7), local_authority_id=la.pk,
        setting_id=provider.pk))
    assert child.setting == provider
