"""Demo local offer: a few hundred fictional services from every partner, each with full detail.

Deterministic for a seed, and quick: everything is written with bulk inserts. About one entry in
eight was last checked more than a year ago, so the stale flags have work; one draft waits for the
local offer team and one has been returned to its provider.
"""

import random
import uuid
from datetime import date, timedelta

from django.utils import timezone

from sendhub.directory import postcodes
from sendhub.directory.models import (
    DirectoryOrganisation, EntryDraft, EntryState, PublishedVersion, PublishSource, Schedule, Service, ServiceLocation,
)
from sendhub.directory.services import clean_content, content_of
from sendhub.directory.models import Taxonomy, TaxonomyTerm
from sendhub.directory.taxonomy import seed_taxonomies, term_id
from sendhub.organisations.models import Organisation, OrganisationKind

STREETS = ["Market Street", "Station Road", "Church Lane", "Mill Street", "Victoria Road", "Park Avenue", "High Street",
           "New North Road", "Westgate", "Queen Street", "Bradford Road", "Manchester Road", "Wakefield Road"]
VENUES = ["Community Centre", "Family Hub", "Health Centre", "Library", "Children's Centre", "Youth Centre", "College",
          "Sports Centre", "Clinic", "Church Hall"]
DAYS = ["MO", "TU", "WE", "TH", "FR"]

# (category, name pattern, description, needs, ages, self-referral, free, owner key, while waiting)
KINDS = [
    ("education.sen_support", "{place} SEN Support Advice Line",
     "Advice for parents and schools on SEN support: what schools should put in place, and how to plan, do and review it.",
     ["ANY"], (0, 25), True, True, "la", ""),
    ("education.specialist_teams", "Communication and Autism Team ({place})",
     "Specialist teachers who visit schools to help staff support autistic pupils and pupils with communication needs.",
     ["ASD", "SLCN"], (2, 19), False, True, "la", ""),
    ("education.specialist_teams", "Sensory Support Service ({place})",
     "Qualified teachers of the deaf and of children with vision impairment, working with families and schools.",
     ["HI", "VI", "MSI"], (0, 25), True, True, "la", ""),
    ("education.specialist_teams", "Educational Psychology Consultation ({place})",
     "Educational psychologists advise schools and families on learning, behaviour and wellbeing.",
     ["ANY"], (0, 25), False, True, "la", ""),
    ("education.alternative_provision", "{place} Learning Centre",
     "Small-group education for pupils who cannot attend school for now, with a plan to return.",
     ["SEMH", "ANY"], (11, 16), False, True, "la", ""),
    ("health.therapies", "Speech and Language Therapy Drop-in ({place})",
     "Talk to a speech and language therapist about your child's talking, understanding or eating and drinking.",
     ["SLCN"], (0, 18), True, True, "community",
     "Drop-in advice sessions and a 'Talking Together' course for families waiting for a first appointment."),
    ("health.therapies", "Children's Occupational Therapy ({place})",
     "Help with everyday skills such as dressing, writing and play, and advice on equipment at home.",
     ["PD", "ASD", "ANY"], (0, 18), False, True, "community",
     "Online workshops on sensory needs and handwriting, and an advice line while you wait."),
    ("health.therapies", "Children's Physiotherapy ({place})",
     "Assessment and therapy for children with movement difficulties, at clinic, home or school.",
     ["PD", "PMLD"], (0, 18), False, True, "community", "Exercise videos and a monthly advice clinic while you wait."),
    ("health.camhs", "Young Minds Matter ({place})",
     "Mental health support for children and young people: assessment, therapy and advice for families.",
     ["SEMH"], (5, 18), False, True, "mental_health",
     "A weekly wellbeing group and a text support line for young people on the waiting list."),
    ("health.wheelchair", "Wheelchair and Seating Service",
     "Assessment for wheelchairs and specialist seating, repairs, and advice for families.",
     ["PD", "PMLD"], (0, 25), False, True, "community", "A repairs line and loan chairs while you wait."),
    ("health.neurodevelopmental", "Autism and ADHD Assessment ({place})",
     "The neurodevelopmental pathway: assessment for autism and ADHD, and what happens after.",
     ["ASD", "SEMH"], (4, 18), False, True, "community",
     "Understanding Autism and Understanding ADHD courses for parents, and a monthly support session while you wait."),
    ("health.while_waiting", "Waiting Well Sessions ({place})",
     "Friendly sessions for families waiting for a health assessment or therapy: ideas to try at home and someone to talk to.",
     ["ANY"], (0, 18), True, True, "community", "Open to any family on a children's health waiting list."),
    ("social_care.short_breaks", "{place} Short Breaks Club",
     "After-school and holiday clubs for disabled children, giving parents and carers a break.",
     ["ANY"], (5, 18), False, False, "social_care", ""),
    ("social_care.short_breaks", "Saturday Sensory Play ({place})",
     "Play sessions in a sensory room for disabled children and their brothers and sisters.",
     ["PMLD", "SLD", "ASD"], (0, 11), True, False, "social_care", ""),
    ("social_care.direct_payments", "Direct Payments Support ({place})",
     "Help to use direct payments: employing a personal assistant, payroll and keeping records.",
     ["ANY"], (0, 25), True, True, "social_care", ""),
    ("adulthood.post16", "Foundation Learning at {place} College",
     "College courses for young people with SEND: independence, English, maths and work skills.",
     ["MLD", "SLD", "ASD", "ANY"], (16, 25), True, True, "college", ""),
    ("adulthood.supported_internships", "Supported Internship ({place})",
     "A year learning on the job with a local employer, with a job coach, for young people with an EHC plan.",
     ["MLD", "ASD", "SLCN"], (16, 24), False, True, "college", ""),
    ("adulthood.employment", "Pathways to Work ({place})",
     "One-to-one help to find and keep a job: CVs, interviews, travel training and in-work support.",
     ["ANY"], (16, 25), True, True, "charity", ""),
    ("voluntary", "{place} Autism Family Group",
     "A monthly coffee morning and holiday activities run by parents of autistic children.",
     ["ASD"], (0, 25), True, True, "charity", ""),
    ("voluntary", "Deaf Children's Activity Club ({place})",
     "Games, trips and signing for deaf children and their families.",
     ["HI", "MSI"], (4, 16), True, False, "charity", ""),
    ("voluntary", "{place} Inclusive Sports",
     "Football, swimming and multi-sports sessions adapted for disabled young people.",
     ["PD", "ANY"], (6, 25), True, False, "charity", ""),
    ("parent_carer_forum", "Calderbrook Parent Carer Forum ({place})",
     "Parents and carers of children with SEND sharing experience and working with the council and NHS to improve services.",
     ["ANY"], (None, None), True, True, "forum", ""),
]
EASY_READ = ("This service helps children and young people.\n\nYou can ask a grown-up to help you contact them.\n\n"
             "It is {cost}.")


def _phone(rng: random.Random) -> str:
    return f"01632 {rng.randint(960000, 960999)}"  # Ofcom keeps 01632 960xxx for drama: never a real line


def add_local_offer(la: Organisation, *, seed: int, today: date | None = None, count: int = 320) -> int:
    """Publish `count` demo services for the area of `la`; return how many."""
    if count <= 0:
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    seed_taxonomies(Taxonomy, TaxonomyTerm)  # a migration made them, but a flushed test database has none
    partners = {o.kind: o for o in Organisation.objects.filter(local_authority=la).exclude(kind=OrganisationKind.SCHOOL)}
    health = Organisation.objects.filter(local_authority=la, kind=OrganisationKind.HEALTH_PROVIDER).order_by("pk")
    community_trust = health.filter(name__icontains="community").first()
    mental_health_trust = health.filter(name__icontains="mental health").first()
    owners = {
        "la": DirectoryOrganisation(partner=la, name=la.name, description="The council's SEND and inclusion services"),
        "community": DirectoryOrganisation(partner=community_trust, name=getattr(community_trust, "name", "Community Health"),
                                           description="NHS community health services for children"),
        "mental_health": DirectoryOrganisation(partner=mental_health_trust,
                                               name=getattr(mental_health_trust, "name", "Children's Mental Health"),
                                               description="NHS children and young people's mental health services"),
        "social_care": DirectoryOrganisation(partner=partners.get(OrganisationKind.SOCIAL_CARE),
                                             name=getattr(partners.get(OrganisationKind.SOCIAL_CARE), "name", "Social Care"),
                                             description="Children's social care: short breaks and direct payments"),
        "forum": DirectoryOrganisation(name="Calderbrook Parent Carer Forum", email="hello@forum.demo.sendhub.test",
                                       description="The parent carer forum for Calderbrook"),
    }
    colleges = [DirectoryOrganisation(name=f"{p} College", description="Further education college")
                for p in ("Calder Valley", "Holme Valley", "Spen Valley")]
    charities = [DirectoryOrganisation(name=n, description="Local charity") for n in (
        "Calderbrook Autism Support", "Kirkstall Deaf Children's Society", "Able Sports Trust", "Next Steps Employment",
        "Families Together Calderbrook")]
    DirectoryOrganisation.objects.bulk_create([o for o in owners.values()] + colleges + charities)
    places = list(postcodes.districts().values())

    services, contents, links, locations, schedules = [], [], [], [], []
    for n in range(count):
        category, pattern, description, needs, (low, high), self_ref, free, owner_key, waiting = KINDS[n % len(KINDS)]
        place = places[rng.randrange(len(places))]
        town = place.name.split(",")[0].split(" and ")[0]
        owner = {"college": colleges[n % len(colleges)], "charity": charities[n % len(charities)]}.get(owner_key) or owners[owner_key]
        name = pattern.format(place=town)
        if n >= len(KINDS) * 2:
            name = f"{name} {['North', 'South', 'East', 'West', 'Central'][n % 5]} {n // len(KINDS)}"
        days = sorted(rng.sample(DAYS, rng.randint(1, 3)), key=DAYS.index)
        opens = rng.choice(["09:00", "09:30", "10:00", "13:00", "16:00"])
        closes = {"09:00": "12:00", "09:30": "15:00", "10:00": "12:30", "13:00": "15:30", "16:00": "18:00"}[opens]
        online = rng.random() < 0.15
        street = f"{rng.randint(1, 180)} {rng.choice(STREETS)}"
        raw = {
            "name": name, "description": description, "category": category, "needs": needs,
            "minimum_age": low, "maximum_age": high, "self_referral": self_ref,
            "how_to_access": ("Phone or email to book: no referral needed." if self_ref else
                              "Ask your GP, health visitor, school SENCO or social worker to refer you."),
            "eligibility": f"Children and young people who live in the {la.name.replace(' Council', '')} area.",
            "is_free": free, "cost_description": "" if free else f"£{rng.choice([3, 5, 8, 10])} a session; "
                                                                "free for families on a low income.",
            "while_waiting": waiting, "status": "temporarily closed" if n % 97 == 13 else "active",
            "phone": _phone(rng), "email": f"service{n}@{owner_key.replace('_', '-')}.demo.sendhub.test",
            "url": f"https://{owner_key.replace('_', '-')}.demo.sendhub.test/services/{n}", "contact_name": "Reception team",
            "easy_read": EASY_READ.format(cost="free" if free else "not free") if n % 4 == 0 else "",
            "locations": ([{"location_type": "virtual", "name": "Online and by phone"}] if online else
                          [{"location_type": "physical", "name": f"{town} {rng.choice(VENUES)}", "address_1": street,
                            "city": "Huddersfield" if place.outward.startswith("HD") else town,
                            "postcode": f"{place.outward} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                                        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                            "accessibility": rng.choice(["Step-free access and an accessible toilet",
                                                         "Ground floor, hearing loop, quiet room on request",
                                                         "Lift to all floors; parking for blue badge holders"])}]),
            "schedules": [{"byday": ",".join(days), "opens_at": opens, "closes_at": closes,
                           "description": "Term time only" if category.startswith("education") else ""}],
        }
        content = clean_content(raw)
        checked = today - timedelta(days=rng.randint(380, 700) if n % 8 == 3 else rng.randint(1, 330))
        service = Service(id=uuid.UUID(int=rng.getrandbits(128), version=4), organisation=owner, name=content["name"],
                          description=content["description"], easy_read=content["easy_read"], status=content["status"],
                          minimum_age=content["minimum_age"], maximum_age=content["maximum_age"],
                          self_referral=content["self_referral"], how_to_access=content["how_to_access"],
                          eligibility=content["eligibility"], is_free=content["is_free"],
                          cost_description=content["cost_description"], while_waiting=content["while_waiting"],
                          url=content["url"], email=content["email"], phone=content["phone"],
                          contact_name=content["contact_name"], last_checked=checked, version=1)
        services.append(service)
        contents.append(content)
        term_ids = {term_id("category", category), term_id("category", category.split(".")[0])}
        term_ids |= {term_id("need", code) for code in content["needs"]}
        links += [Service.terms.through(service_id=service.id, taxonomyterm_id=t) for t in term_ids]
        locations += [ServiceLocation(service=service, location_type=loc["location_type"], name=loc["name"],
                                      address_1=loc["address_1"], city=loc["city"], postcode=loc["postcode"],
                                      accessibility=loc["accessibility"], latitude=loc["latitude"],
                                      longitude=loc["longitude"]) for loc in content["locations"]]
        schedules += [Schedule(service=service, byday=s["byday"], description=s["description"],
                               opens_at=s["opens_at"], closes_at=s["closes_at"]) for s in content["schedules"]]
    Service.objects.bulk_create(services, batch_size=500)
    Service.terms.through.objects.bulk_create(links, batch_size=2000)
    ServiceLocation.objects.bulk_create(locations, batch_size=1000)
    Schedule.objects.bulk_create(schedules, batch_size=1000)
    PublishedVersion.objects.bulk_create([
        PublishedVersion(service=s, number=1, content=dict(c, last_checked=s.last_checked.isoformat()),
                         source=PublishSource.REVIEW) for s, c in zip(services, contents, strict=True)], batch_size=500)
    _drafts(services, owners["community"], today)
    return len(services)


def _drafts(services: list[Service], community: DirectoryOrganisation, today: date) -> None:
    """One change waiting for review and one returned, both by the community health trust."""
    from sendhub.accounts.models import Role, User

    author = User.objects.filter(organisation=community.partner, role=Role.HEALTH_PROFESSIONAL).order_by("pk").first()
    theirs = [s for s in services if s.organisation_id == community.id][:2]
    if author is None or len(theirs) < 2:
        return
    for service, state, note in ((theirs[0], EntryState.SUBMITTED, ""),
                                 (theirs[1], EntryState.RETURNED, "Please add the Saturday sessions and check the phone number.")):
        content = content_of(Service.objects.prefetch_related("terms", "locations", "schedules").get(pk=service.pk))
        content["description"] += " Sessions now also run on Saturday mornings."
        EntryDraft.objects.create(service=service, organisation=community, content=content, state=state,
                                  base_version=1, created_by=author, review_note=note,
                                  submitted_at=timezone.now())
