import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from sendhub.directory import services
from sendhub.directory.models import DirectoryOrganisation, Service, ServiceLocation
from sendhub.directory.taxonomy import term_id

ROOT = Path(__file__).resolve().parents[3]
# The Open Referral UK schemas, copied unchanged into reference/oruk (CC BY-SA 4.0, see its README and LICENSE).
ORUK = Path(__import__("os").environ.get("SENDHUB_ORUK_REFERENCE", ROOT / "reference" / "oruk"))


def content(**overrides) -> dict:
    """A complete, valid entry; override what a test is about."""
    base = {
        "name": "Talk Together", "description": "Speech and language groups for children and their parents.",
        "category": "health.therapies", "needs": ["SLCN"], "minimum_age": 2, "maximum_age": 11,
        "self_referral": True, "how_to_access": "Phone to book a place.", "eligibility": "Lives in the borough",
        "is_free": True, "cost_description": "", "while_waiting": "", "status": "active",
        "phone": "01632 960 001", "email": "talk@example.org", "url": "https://example.org/talk",
        "contact_name": "Reception", "easy_read": "",
        "locations": [{"location_type": "physical", "name": "Hill Centre", "address_1": "1 Hill Street",
                       "city": "Huddersfield", "postcode": "HD1 2AB", "accessibility": "Step-free"}],
        "schedules": [{"byday": "MO,WE", "opens_at": "09:30", "closes_at": "12:00", "description": "Term time"}],
    }
    base.update(overrides)
    return base


def make_service(*, organisation=None, checked_on: date | None = None, **overrides) -> Service:
    organisation = organisation or DirectoryOrganisation.objects.get_or_create(
        name="Calder Community Health", defaults={"description": "NHS community health services"})[0]
    row = {"id": str(uuid.uuid4()), "content": services.clean_content(content(**overrides)), "terms": [],
           "taxonomies": [], "organisation": {"id": str(organisation.id), "name": organisation.name,
                                              "description": organisation.description}}
    [service] = services.import_services(actor=None, rows=[row], checked_on=checked_on)
    return Service.objects.get(pk=service.pk)


def bulk_services(count: int, *, organisation=None) -> None:
    """Many published services quickly (bulk inserts), varied in age, need, category and place."""
    organisation = organisation or DirectoryOrganisation.objects.create(name="Bulk Provider", description="Many services")
    needs = ["SLCN", "ASD", "SEMH", "PD", "ANY"]
    categories = ["health.therapies", "education.sen_support", "social_care.short_breaks", "voluntary"]
    today = timezone.localdate()
    rows = [Service(organisation=organisation, name=f"Service {i:05d}", description=f"Help number {i}",
                    minimum_age=i % 10, maximum_age=i % 10 + 8, how_to_access="Ask", last_checked=today - timedelta(days=i % 500),
                    phone="01632 960 000", self_referral=i % 2 == 0, while_waiting="Workshops" if i % 3 == 0 else "")
            for i in range(count)]
    Service.objects.bulk_create(rows, batch_size=1000)
    through = Service.terms.through
    links = []
    for i, service in enumerate(rows):
        links.append(through(service_id=service.id, taxonomyterm_id=term_id("need", needs[i % len(needs)])))
        category = categories[i % len(categories)]
        links.append(through(service_id=service.id, taxonomyterm_id=term_id("category", category)))
        if "." in category:
            links.append(through(service_id=service.id, taxonomyterm_id=term_id("category", category.split(".")[0])))
    through.objects.bulk_create(links, batch_size=2000)
    ServiceLocation.objects.bulk_create([
        ServiceLocation(service=s, name=f"Venue {i}", address_1=f"{i} Main Street", city="Huddersfield",
                        postcode="HD1 1AA" if i % 2 else "HD9 1AA", latitude=53.6458 if i % 2 else 53.5720,
                        longitude=-1.7850 if i % 2 else -1.7870) for i, s in enumerate(rows)], batch_size=1000)


def load_schema(name: str) -> dict:
    path = ORUK / "schema" / name
    if not path.exists():
        pytest.fail(f"The ORUK reference schemas are missing at {path}: the tests validate against them")
    return json.loads(path.read_text())


@pytest.fixture
def provider_org(area):
    """The directory organisation of the area's health provider, whose therapist keeps its entries."""
    return services.organisation_for(area.provider)
