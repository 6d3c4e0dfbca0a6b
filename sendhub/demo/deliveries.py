"""How the demo's families are reached, and the deliveries of every issued plan version by those routes.

Most parents and carers are reached by email or in their account; some by post only (fictional addresses,
postcodes in the unused XX area); a few need large print, braille, easy read or an interpreter. Each issued
final or amended version has a delivery for everyone entitled: most posted packs marked posted within a few
days, a few still waiting on the post tray, an occasional failed email, and some parents with no way recorded,
so "Plans sent to everyone who should have them" is realistic rather than 0% or 100%. Built with bulk_create.
"""

import random
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from sendhub.accounts.models import Role, User
from sendhub.messaging.models import Delivery
from sendhub.people.models import AccessibleFormat, Child, FamilyMember, Involvement
from sendhub.plans.models import PlanVersion

BATCH = 2000
STREETS = ["Mill Lane", "Station Road", "Church Street", "Victoria Terrace", "Park View", "Moor Close", "Canal Side"]
NEEDS = [AccessibleFormat.LARGE_PRINT, AccessibleFormat.EASY_READ, AccessibleFormat.BRAILLE, AccessibleFormat.AUDIO]
LANGUAGES = ["Polish", "Urdu", "Romanian", "Punjabi", "Arabic"]


def give_routes(members: list[FamilyMember], place: str, rng: random.Random) -> None:
    """Set each family member's routes before they are saved (the caller bulk-creates them)."""
    for member in members:
        if not member.parental_responsibility:
            member.by_portal = False
            continue
        roll = rng.random()
        member.by_portal = member.user_id is not None
        has_email = bool(member.email) or roll < 0.57
        member.by_email = has_email and roll < 0.7
        if member.by_email and not member.email:
            member.email = f"{member.full_name.replace(' ', '.')}.{rng.randint(1, 99999)}@family.example.org".lower()
        if roll >= 0.6 and roll < 0.97:  # post, alone or as well as email
            member.by_post = True
            member.address = f"{rng.randint(1, 180)} {rng.choice(STREETS)}\n{place}"
            member.postcode = f"XX{rng.randint(1, 40)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
        if rng.random() < 0.04:
            member.accessible_format = rng.choice(NEEDS)
        if rng.random() < 0.03:
            member.language = rng.choice(LANGUAGES)


def add_deliveries(la, *, seed: int, today, posted_by: User | None = None) -> int:
    """A delivery for every entitled recipient of every issued final or amended version in the area."""
    rng = random.Random(seed)
    versions = list(PlanVersion.objects.filter(child__local_authority=la, kind__in=["final", "amended"])
                    .values_list("pk", "child_id", "issued_on", "named_setting_id", "kind"))
    members = defaultdict(list)
    for member in FamilyMember.objects.filter(child__local_authority=la).filter(
            Q(parental_responsibility=True) | Q(user__isnull=False)):
        members[member.child_id].append(member)
    young = {c.pk: c for c in Child.objects.filter(local_authority=la, account__isnull=False).select_related("account")}
    through = User.teams.through
    team_members = defaultdict(list)
    for team_id, user_id in through.objects.filter(team__organisation__local_authority=la).values_list(
            "team_id", "user_id"):
        team_members[team_id].append(user_id)
    for team_id, user_id in through.objects.filter(team__organisation=la).values_list("team_id", "user_id"):
        team_members[team_id].append(user_id)
    professionals = defaultdict(dict)
    for child_id, user_id, team_id, role in Involvement.objects.active(today).filter(
            child__local_authority=la).values_list("child_id", "professional_id", "team_id", "role"):
        for person in ([user_id] if user_id else []) + team_members.get(team_id, []):
            professionals[child_id].setdefault(person, role.replace("_", " ").capitalize())
    names = dict(User.objects.filter(Q(organisation=la) | Q(organisation__local_authority=la))
                 .values_list("pk", "full_name"))
    schools = {pk: name for pk, name in la.organisations_in_area.filter(kind="school").values_list("pk", "name")}
    with_senco = set(User.objects.filter(role=Role.SENCO, organisation__local_authority=la)
                     .values_list("organisation_id", flat=True))
    rows = []
    for version_id, child_id, issued_on, setting_id, _kind in versions:
        at = timezone.make_aware(datetime.combine(issued_on, time(10)))
        recent = (today - issued_on).days < 7

        def add(**fields):
            rows.append(Delivery(child_id=child_id, version_id=version_id, created_at=at, **fields))

        for member in members.get(child_id, []):
            base = dict(family_member_id=member.pk, recipient_id=member.user_id, recipient_name=member.full_name,
                        why=f"{member.get_relationship_display()} of the child",
                        needs=member.needs_text())
            routes = [r for r, ok in (("portal", member.by_portal and member.user_id),
                                      ("email", member.by_email and member.email),
                                      ("post", member.by_post and member.postcode)) if ok]
            if not routes:
                add(**base, route="none", state="not_sent")
            for route in routes:
                if route == "portal":
                    add(**base, route=route, state="opened", opened_at=at + timedelta(days=1))
                elif route == "email":
                    failed = rng.random() < 0.02
                    add(**base, route=route, state="email_failed" if failed else "emailed",
                        email_address=member.email, emailed_at=None if failed else at + timedelta(minutes=2),
                        error="Mailbox full" if failed else "")
                else:
                    waiting = recent or rng.random() < 0.02
                    posted = min(today, issued_on + timedelta(days=rng.randint(0, 3)))
                    add(**base, route=route, state="waiting_post" if waiting else "posted",
                        postal_address=f"{member.full_name}\n{member.address}\n{member.postcode}",
                        posted_on=None if waiting else posted, posted_by=None if waiting else posted_by)
        child = young.get(child_id)
        if child is not None:
            add(recipient_id=child.account_id, young_person=True, recipient_name=child.account.full_name,
                why="The young person", route="portal", state="opened", opened_at=at + timedelta(days=2))
        for user_id, why in professionals.get(child_id, {}).items():
            opened = rng.random() < 0.6
            add(recipient_id=user_id, recipient_name=names.get(user_id, "A professional"), why=why, route="portal",
                state="opened" if opened else "in_account", opened_at=at + timedelta(days=3) if opened else None)
        if setting_id and setting_id in schools:
            reached = setting_id in with_senco
            add(organisation_id=setting_id, recipient_name=schools[setting_id],
                why="The school or setting named in the plan", route="portal" if reached else "none",
                state="opened" if reached else "not_sent", opened_at=at + timedelta(days=1) if reached else None)
    Delivery.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
