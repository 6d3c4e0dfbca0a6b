"""Our two taxonomies, with fixed ids so every installation and every export names them the same way."""

import uuid

from sendhub.people.models import Need

NAMESPACE = uuid.UUID("6f1c2b7e-4a57-4d3b-9f0e-3c1b2a9d5e10")


def fixed_id(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


CATEGORY_TAXONOMY = {"id": fixed_id("taxonomy:category"), "name": "Local offer categories",
                     "description": "Who provides the service and what kind of help it is"}
NEED_TAXONOMY = {"id": fixed_id("taxonomy:need"), "name": "SEN2 primary need",
                 "description": "The special educational needs categories of the SEN2 return"}

# (code, name, description, parent code)
CATEGORIES = [
    ("education", "Education", "Help in early years settings, schools and colleges", ""),
    ("education.sen_support", "SEN support", "Support in schools and settings without an EHC plan", "education"),
    ("education.specialist_teams", "Specialist teaching and advisory teams",
     "Teachers and advisers who help schools support a child", "education"),
    ("education.alternative_provision", "Alternative provision",
     "Education for children who cannot attend school for now", "education"),
    ("health", "Health", "NHS and other health services", ""),
    ("health.therapies", "Therapies", "Speech and language therapy, occupational therapy and physiotherapy", "health"),
    ("health.camhs", "Mental health (CAMHS)", "Children and young people's mental health services", "health"),
    ("health.wheelchair", "Wheelchair service", "Assessment for and supply of wheelchairs", "health"),
    ("health.neurodevelopmental", "Autism and ADHD assessment",
     "The neurodevelopmental pathway: assessment for autism and ADHD", "health"),
    ("health.while_waiting", "Support while you wait",
     "Help for families waiting for a health assessment or therapy", "health"),
    ("social_care", "Social care", "Support from children's social care", ""),
    ("social_care.short_breaks", "Short breaks", "Time apart for children and a break for their carers", "social_care"),
    ("social_care.direct_payments", "Direct payments",
     "Money from the council to arrange support yourself", "social_care"),
    ("adulthood", "Preparing for adulthood", "Help for young people moving towards adult life", ""),
    ("adulthood.post16", "Post-16 courses", "College and sixth form courses", "adulthood"),
    ("adulthood.supported_internships", "Supported internships",
     "Learning on the job with an employer and a job coach", "adulthood"),
    ("adulthood.employment", "Employment support", "Help to find and keep a job", "adulthood"),
    ("voluntary", "Voluntary and community groups", "Charities, clubs and community groups", ""),
    ("parent_carer_forum", "Parent carer forum", "Parents and carers working with the council and NHS", ""),
]
CATEGORY_NAMES = {code: name for code, name, _, _ in CATEGORIES}
TOP_CATEGORIES = [(code, name) for code, name, _, parent in CATEGORIES if not parent]

ANY_NEED = "ANY"
NEEDS = [(code, label) for code, label in Need.choices] + [(ANY_NEED, "Any need or disability")]
NEED_NAMES = dict(NEEDS)


def term_id(taxonomy: str, code: str) -> uuid.UUID:
    return fixed_id(f"term:{taxonomy}:{code}")


def seed_taxonomies(Taxonomy, TaxonomyTerm) -> None:
    """Create or refresh our taxonomies (called from a migration with its historical models, and by tests)."""
    category, _ = Taxonomy.objects.update_or_create(id=CATEGORY_TAXONOMY["id"], defaults={
        "name": CATEGORY_TAXONOMY["name"], "description": CATEGORY_TAXONOMY["description"]})
    need, _ = Taxonomy.objects.update_or_create(id=NEED_TAXONOMY["id"], defaults={
        "name": NEED_TAXONOMY["name"], "description": NEED_TAXONOMY["description"]})
    for code, name, description, parent in CATEGORIES:
        TaxonomyTerm.objects.update_or_create(id=term_id("category", code), defaults={
            "taxonomy": category, "code": code, "name": name, "description": description,
            "parent_id": term_id("category", parent) if parent else None})
    for code, label in NEEDS:
        TaxonomyTerm.objects.update_or_create(id=term_id("need", code), defaults={
            "taxonomy": need, "code": code, "name": label, "description": label})
