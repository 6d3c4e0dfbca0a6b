"""NHS numbers are unique per council (people.Child): a provider serving no single area may find the same
number in two councils' records. It must never pick one of them silently."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendhub.organisations.models import Organisation
from sendhub.testing import factories as f
from sendhub.waits import services
from sendhub.waits.models import Referral
from sendhub.waits.selectors import NO_MATCHING_CHILD

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional(area):
    Organisation.objects.filter(pk=area.provider.pk).update(local_authority=None)  # serves every area
    area.provider.refresh_from_db()
    twin = f.ChildFactory(local_authority=area.other_la, nhs_number=area.child.nhs_number,
                          date_of_birth=area.child.date_of_birth)
    service = f.HealthServiceFactory(provider=area.provider, kind="speech_language", name="Speech and language therapy")
    return service, twin


def test_adding_a_referral_for_a_number_two_councils_hold_is_refused(area, client_for, regional):
    service, twin = regional
    today = timezone.localdate()
    response = client_for(area.users["therapist"]).post(reverse("waits:new-referral", kwargs={"pk": service.pk}), {
        "nhs_number": area.child.nhs_number, "reference": "NEW-1", "priority": "routine",
        "date_of_birth-day": area.child.date_of_birth.day, "date_of_birth-month": area.child.date_of_birth.month,
        "date_of_birth-year": area.child.date_of_birth.year,
        "referred_on-day": today.day, "referred_on-month": today.month, "referred_on-year": today.year})
    assert response.status_code == 200 and NO_MATCHING_CHILD in response.content.decode()  # never one picked
    assert not Referral.objects.filter(reference="NEW-1").exists()


def test_importing_a_number_two_councils_hold_is_refused(area, regional):
    day = (timezone.localdate() - timedelta(days=30)).isoformat()
    content = ("referral_id,service,priority,referred_on,seen_on,removed_on,nhs_number,date_of_birth\n"
               f"IMP-1,speech_language,routine,{day},,,{area.child.nhs_number},{area.child.date_of_birth}\n").encode()
    with pytest.raises(services.ImportRefused) as refused:
        services.import_list(actor=area.users["therapist"], provider=area.provider, content=content, filename="x.csv")
    assert [(e.line, e.column) for e in refused.value.result.errors] == [(2, "nhs_number")]
    assert refused.value.result.errors[0].message == NO_MATCHING_CHILD
