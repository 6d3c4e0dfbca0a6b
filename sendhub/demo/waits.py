"""Demo details for health waiting lists: national standards, help while waiting, triage and later steps.

Called once per area after its referrals exist. Uses its own seeded generator so that the rest of the
demo area is the same with or without it, and touches a bounded number of rows so that a national
run stays fast.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from sendhub.organisations.models import HealthService, HealthServiceKind
from sendhub.waits.models import EventKind, Referral, ReferralEvent

EIGHTEEN_WEEKS = (18, "18 weeks from referral to treatment")
# kind: (standard, clinicians, what is offered while waiting, pathway)
DETAILS = {
    HealthServiceKind.WHEELCHAIR: (EIGHTEEN_WEEKS, 4, "Loan equipment when a child's current chair no longer fits "
                                   "safely, and a phone call with a therapist to check posture and pressure care."),
    HealthServiceKind.NEURODEVELOPMENTAL: (
        (13, "NICE: 3 months from referral to the start of an autism assessment"), 12,
        "Parent workshops on understanding behaviour, sleep and communication (no diagnosis needed), and the "
        "school's SENCO can put support in place now: support does not wait for a diagnosis."),
    HealthServiceKind.SPEECH_LANGUAGE: (EIGHTEEN_WEEKS, 14, "A weekly drop-in advice session for parents, online "
                                        "activities to try at home, and advice to your child's setting."),
    HealthServiceKind.OCCUPATIONAL_THERAPY: (EIGHTEEN_WEEKS, 6, "Self-help guides on handwriting, dressing and "
                                             "daily living skills, and a monthly parent advice line."),
    HealthServiceKind.SENSORY_OT: (EIGHTEEN_WEEKS, 3, "A sensory strategies workshop for parents and school staff, "
                                   "and a guide to making home and classroom calmer."),
    HealthServiceKind.PHYSIOTHERAPY: (EIGHTEEN_WEEKS, 7, "Exercise sheets from the team and an advice line for "
                                      "parents on positioning and activity."),
    HealthServiceKind.CAMHS: ((None, ""), 15, "Kooth online counselling (free, anonymous), the mental health support "
                              "team in school, and a parents' group on anxiety."),
    HealthServiceKind.COMMUNITY_PAEDIATRICS: (EIGHTEEN_WEEKS, 5, "Your GP remains your first contact for health "
                                              "concerns while you wait."),
}
TRIAGE_NOTES = {
    "urgent": ["Significant risk to feeding and safety at school: seen as urgent.",
               "Loss of skills reported by parents and school: urgent.",
               "Equipment no longer safe: urgent review."],
    "routine": ["Needs are stable and support is in place at school: routine.",
                "No immediate risk; school strategies advised while waiting: routine.",
                "Routine: advice sheet sent to the family."],
}


def add_waiting_list_details(services: dict, *, seed: int, today: date) -> None:
    """Standards and help-while-waiting for each service; triage notes, treatment and discharge for some referrals."""
    rng = random.Random(seed)
    for kind, service in services.items():
        (weeks, standard), clinicians, offer, *_ = DETAILS.get(kind, ((None, ""), None, ""))
        service.standard_weeks, service.standard = weeks, standard
        service.clinicians = Decimal(clinicians) if clinicians else None
        service.while_waiting = offer
        service.if_worse = (f"Call the {service.name.lower()} team at {service.provider} on 0300 555 0{rng.randrange(100, 999)}"
                            " (Monday to Friday, 9am to 5pm). If you are worried about your child's safety or health "
                            "now, call NHS 111, or 999 in an emergency.")
    HealthService.objects.bulk_update(services.values(), ["standard_weeks", "standard", "clinicians", "while_waiting",
                                                          "if_worse"])
    ids = [s.pk for s in services.values()]
    waiting = list(Referral.objects.filter(service_id__in=ids, seen_on__isnull=True, removed_on__isnull=True,
                                           referred_on__lte=today - timedelta(days=14))
                   .order_by("pk").only("pk", "priority", "referred_on", "version"))
    seen = list(Referral.objects.filter(service_id__in=ids, seen_on__isnull=False,
                                        seen_on__gte=today - timedelta(days=365), seen_on__lte=today - timedelta(days=28))
                .order_by("pk").only("pk", "priority", "seen_on", "version", "treatment_started_on", "discharged_on"))
    triaged = rng.sample(waiting, min(400, len(waiting)))
    treated = rng.sample(seen, min(150, len(seen)))
    events = []
    for r in triaged:
        r.triaged_on = min(r.referred_on + timedelta(days=rng.randint(2, 10)), today)
        r.triage_note = rng.choice(TRIAGE_NOTES[r.priority])
        r.version += 1
        events.append(ReferralEvent(referral=r, kind=EventKind.TRIAGED, date=r.triaged_on, priority=r.priority,
                                    note=r.triage_note))
    for r in treated:
        r.treatment_started_on = min(r.seen_on + timedelta(days=rng.randint(7, 42)), today)
        events.append(ReferralEvent(referral=r, kind=EventKind.TREATMENT_STARTED, date=r.treatment_started_on,
                                    priority=r.priority))
        if rng.random() < 0.4 and r.treatment_started_on + timedelta(days=56) <= today:
            r.discharged_on = r.treatment_started_on + timedelta(days=rng.randint(56, 120))
            r.discharged_on = min(r.discharged_on, today)
            events.append(ReferralEvent(referral=r, kind=EventKind.DISCHARGED, date=r.discharged_on,
                                        priority=r.priority, note="Goals met; advice given to family and school."))
        r.version += 1
    Referral.objects.bulk_update(triaged, ["triaged_on", "triage_note", "version"], batch_size=500)
    Referral.objects.bulk_update(treated, ["treatment_started_on", "discharged_on", "version"], batch_size=500)
    ReferralEvent.objects.bulk_create(events, batch_size=1000)
