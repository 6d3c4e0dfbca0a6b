"""A synthetic local area: fictional people only, the same every time for the same seed.

Sizes follow one English metropolitan borough (about 5,000 EHC plans, 1,200 requests for
assessment a year, 150 schools and settings). Names come from pools drawn once from Faker en_GB
and are then sampled with a seeded generator, which keeps a 640,000-plan national run fast.
NHS numbers are in the 999 range, which the NHS keeps for testing and never issues.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sendhub.accounts.models import Role, User
from sendhub.assessments.models import AssessmentOutcome, EHCNeedsAssessment, Requester
from sendhub.core.identifiers import UPN_LETTERS, nhs_check_digit, upn_check_letter
from sendhub.core.schoolyear import years_before
from sendhub.organisations.models import (
    HealthService, HealthServiceKind, Organisation, OrganisationKind, Phase, SettingType, Team,
)
from sendhub.people.models import Child, FamilyMember, Involvement, InvolvementRole, Need, Relationship
from sendhub.clock.models import StatutoryEvent
from sendhub.clock.timescales import end_of_twelve_months
from sendhub.core.schoolyear import next_phase_transfer
from sendhub.plans.models import EHCPlan, PlanStatus, PlanVersion, VersionKind
from sendhub.reviews.models import AnnualReview
from sendhub.demo.reviews import add_review_details
from sendhub.demo.directory import add_local_offer
from sendhub.demo.dashboard import add_dashboard_details
from sendhub.demo.quality import add_quality_details
from sendhub.demo.deliveries import add_deliveries, give_routes
from sendhub.demo.waits import add_waiting_list_details
from sendhub.waits.models import Referral
from sendhub.waits.simulate import DEFAULT_PROFILES, simulate_borough

DEMO_DOMAIN = "demo.sendhub.test"
DEMO_PASSWORD = "demo-password-2026"
BATCH = 2000

# Primary need of children with EHC plans in England (SEN2, roughly): autism about a third.
NEED_WEIGHTS = {
    Need.ASD: 33, Need.SLCN: 21, Need.SEMH: 14, Need.MLD: 8, Need.SLD: 5, Need.PD: 3, Need.SPLD: 3,
    Need.OTH: 3, Need.HI: 2, Need.PMLD: 1.5, Need.VI: 1, Need.MSI: 0.3,
}
# Who waits for which service: ages in years and the needs typical of the list.
REFERRAL_CHILDREN = {
    "wheelchair": ((2, 18), [Need.PD, Need.PMLD]),
    "neurodevelopmental": ((3, 16), [Need.ASD, Need.SEMH, Need.SLCN]),
    "speech_language": ((2, 11), [Need.SLCN, Need.ASD]),
    "occupational_therapy": ((4, 16), [Need.PD, Need.SPLD, Need.ASD]),
    "sensory_ot": ((3, 12), [Need.ASD, Need.SLCN]),
    "physiotherapy": ((0, 16), [Need.PD, Need.OTH]),
    "camhs_core": ((6, 17), [Need.SEMH, Need.ASD]),
}
CLOSING_EVENTS = {"decision_not_to_assess": AssessmentOutcome.NOT_ASSESSED,
                  "decision_not_to_issue_plan": AssessmentOutcome.NO_PLAN,
                  "final_plan_issued": AssessmentOutcome.PLAN_ISSUED}
# Age of children with plans: few under 5, most 5 to 15, fewer 16 to 25.
AGE_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 7, 8, 8, 8, 9, 9, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1.5, 1, 1, 0.5]
SCHOOL_MIX = [  # (phase, setting type, share of 150, name suffix)
    (Phase.EARLY_YEARS, SettingType.MAINSTREAM, 10, "Nursery"),
    (Phase.PRIMARY, SettingType.MAINSTREAM, 96, "Primary School"),
    (Phase.PRIMARY, SettingType.RESOURCED_PROVISION, 4, "Primary Academy"),
    (Phase.SECONDARY, SettingType.MAINSTREAM, 22, "High School"),
    (Phase.SECONDARY, SettingType.RESOURCED_PROVISION, 3, "Academy"),
    (Phase.ALL_THROUGH, SettingType.SPECIAL, 7, "Special School"),
    (Phase.SECONDARY, SettingType.ALTERNATIVE_PROVISION, 2, "Learning Centre"),
    (Phase.POST16, SettingType.MAINSTREAM, 5, "College"),
    (Phase.ALL_THROUGH, SettingType.INDEPENDENT_SPECIAL, 1, "School (independent special)"),
]
HEALTH_ROLES = {
    HealthServiceKind.SPEECH_LANGUAGE: InvolvementRole.SPEECH_LANGUAGE_THERAPIST,
    HealthServiceKind.OCCUPATIONAL_THERAPY: InvolvementRole.OCCUPATIONAL_THERAPIST,
    HealthServiceKind.PHYSIOTHERAPY: InvolvementRole.PHYSIOTHERAPIST,
    HealthServiceKind.CAMHS: InvolvementRole.CAMHS,
    HealthServiceKind.COMMUNITY_PAEDIATRICS: InvolvementRole.PAEDIATRICIAN,
    HealthServiceKind.WHEELCHAIR: InvolvementRole.WHEELCHAIR_SERVICE,
}


@dataclass(frozen=True)
class Scale:
    local_authorities: int
    plans_per_area: int
    schools_per_area: int
    requests_per_area: int
    referral_years: int = 3

    @classmethod
    def parse(cls, value: str) -> "Scale":
        if value == "kirklees":
            return cls(1, 5000, 150, 1200)
        if value == "national":
            return cls(153, 640_000 // 153 + 1, 150, 1200, referral_years=1)
        if value.isdigit() and int(value) > 0:
            plans = int(value)
            return cls(1, plans, max(12, min(150, plans // 33)), max(5, plans * 6 // 25))
        raise ValueError("--scale must be kirklees, national or a number of EHC plans, like 500")


class DemoArea:
    def __init__(self, *, seed: int, today: date | None = None, progress: Callable[[int, int], None] | None = None):
        self.rng = random.Random(seed)
        try:
            from faker import Faker  # a demo-only dependency: production installs leave it out
        except ImportError as error:
            raise ImportError(
                "The demo area needs the demo extra: pip install -r requirements/demo.txt"
            ) from error
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.today = today or timezone.localdate()
        self.first_names = sorted({fake.first_name() for _ in range(3000)})
        self.last_names = sorted({fake.last_name() for _ in range(3000)})
        self.places = sorted({fake.city() for _ in range(800)} | {fake.city_prefix() + fake.last_name() for _ in range(400)})
        self.streets = sorted({fake.street_name() for _ in range(1500)})
        self.password_hash = make_password(DEMO_PASSWORD)
        self.progress = progress or (lambda done, total: None)
        self.nhs_serial = 0
        self.upn_serials: dict[str, int] = {}

    # identifiers ---------------------------------------------------------------------------
    def nhs_number(self) -> str | None:
        """The next unused test number; the 999 range holds about 909,000, so a national run outgrows it
        and later children have no NHS number recorded (as some real records have none)."""
        while True:
            self.nhs_serial += 1
            if self.nhs_serial > 999_999:
                return None
            first_nine = f"999{self.nhs_serial:06d}"
            check = nhs_check_digit(first_nine)
            if check is not None:
                return first_nine + str(check)

    def upn(self, la_code: str, urn: int, year: int) -> str:
        prefix = f"{int(la_code) % 1000:03d}{urn % 10000:04d}{year % 100:02d}"
        serial = self.upn_serials[prefix] = self.upn_serials.get(prefix, 0) + 1
        body = f"{prefix}{serial:03d}"
        return upn_check_letter(body) + body

    def name(self) -> tuple[str, str]:
        return self.rng.choice(self.first_names), self.rng.choice(self.last_names)

    # building ------------------------------------------------------------------------------
    def build(self, scale: Scale) -> dict[str, int]:
        totals = {"local_authorities": 0, "schools": 0, "children": 0, "plans": 0, "assessments": 0,
                  "referrals": 0, "waiting": 0}
        for index in range(scale.local_authorities):
            with transaction.atomic():
                counts = self.build_area(index, scale, with_demo_accounts=index == 0)
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            self.progress(index + 1, scale.local_authorities)
        from sendhub.clock.projection import rebuild

        rebuild(as_of=self.today)  # events were bulk-inserted (no signals): the deadlines projection in bulk
        return totals

    def build_area(self, index: int, scale: Scale, *, with_demo_accounts: bool) -> dict[str, int]:
        place = "Calderbrook" if index == 0 else self.places[index % len(self.places)] + ("" if index < len(self.places) else f" {index}")
        la_code = str(900 + index) if index < 100 else str(100 + index)
        la = Organisation.objects.create(kind=OrganisationKind.LOCAL_AUTHORITY, name=f"{place} Council", code=la_code,
                                         email=f"send@{place.lower().replace(' ', '')}.{DEMO_DOMAIN}",
                                         telephone=f"01632 960{index % 1000:03d}")  # Ofcom's drama range: fictional
        icb = Organisation.objects.create(kind=OrganisationKind.INTEGRATED_CARE_BOARD, local_authority=la,
                                          name=f"{place} and District Integrated Care Board", code=f"Q{index:03d}")
        community = Organisation.objects.create(kind=OrganisationKind.HEALTH_PROVIDER, local_authority=la,
                                                name=f"{place} Community Health NHS Trust", code=f"R{index:03d}C")
        mental_health = Organisation.objects.create(kind=OrganisationKind.HEALTH_PROVIDER, local_authority=la,
                                                    name=f"{place} Children's Mental Health NHS Foundation Trust",
                                                    code=f"R{index:03d}M")
        social_care = Organisation.objects.create(kind=OrganisationKind.SOCIAL_CARE, local_authority=la,
                                                  name=f"{place} Children's Social Care", code=f"{la_code}SC")
        services = {}
        for kind in HealthServiceKind:
            if kind == HealthServiceKind.OTHER:
                continue
            provider = mental_health if kind == HealthServiceKind.CAMHS else community
            services[kind] = HealthService.objects.create(provider=provider, kind=kind, name=kind.label)
        send_team = Team.objects.create(organisation=la, name="SEND assessment and review team")
        ep_team = Team.objects.create(organisation=la, name="Educational psychology service")
        sw_team = Team.objects.create(organisation=social_care, name="Children with disabilities team")
        therapy_teams = {kind: Team.objects.create(organisation=svc.provider, name=f"{svc.name} team")
                         for kind, svc in services.items() if kind in HEALTH_ROLES}

        schools = self._schools(la, index, scale.schools_per_area)
        staff = self._staff(la, community, mental_health, social_care, schools, send_team, sw_team, therapy_teams,
                            with_demo_accounts, icb)
        children = self._children(la, la_code, schools, scale.plans_per_area, scale.requests_per_area)
        plan_children = children[: scale.plans_per_area]
        assessments, issued_on = self._assessments(children, scale)
        plans = self._plans(plan_children, issued_on, staff["caseworkers"])
        referrals, referral_children = self._referral_rows(la, la_code, schools, services, scale.referral_years)
        children = children + referral_children
        self._families(children, with_demo_accounts, staff, place=place)
        waiting = self._referrals(referrals, referral_children, children, staff.get("demo_children", []))
        add_waiting_list_details(services, seed=int(la_code), today=self.today)
        assessed = children[scale.plans_per_area: scale.plans_per_area + scale.requests_per_area * 3 // 5]
        self._involvements(la, community, mental_health, social_care, plan_children, staff, send_team, ep_team,
                           therapy_teams, with_demo_accounts, assessed)
        add_review_details(la, staff, seed=int(la_code) + 1, today=self.today)
        add_local_offer(la, seed=int(la_code) + 2, today=self.today, count=320 if with_demo_accounts else 0)
        add_dashboard_details(la, seed=int(la_code) + 3, today=self.today)
        add_quality_details(la, seed=int(la_code) + 4, today=self.today)
        # after every version exists, the amended plans the quality details add among them
        add_deliveries(la, seed=int(la_code) + 4, today=self.today, posted_by=staff["demo"].get(Role.BUSINESS_SUPPORT))
        return {"local_authorities": 1, "schools": len(schools), "children": len(children), "plans": plans,
                "assessments": assessments, "referrals": len(referrals), "waiting": waiting}

    def _schools(self, la, index: int, count: int) -> list[Organisation]:
        total_share = sum(share for _, _, share, _ in SCHOOL_MIX)
        schools = []
        for phase, setting_type, share, suffix in SCHOOL_MIX:
            for _ in range(max(1, round(count * share / total_share))):
                urn = 900000 + index * 1000 + len(schools) if index < 99 else 100000 + index * 1000 + len(schools)
                street = self.rng.choice(self.streets).replace(" Street", "").replace(" Road", "")
                schools.append(Organisation(kind=OrganisationKind.SCHOOL, local_authority=la, urn=urn, phase=phase,
                                            setting_type=setting_type, name=f"{street} {suffix}", code=str(urn)))
        return Organisation.objects.bulk_create(schools, batch_size=BATCH)

    def _user(self, email: str, full_name: str, role: str, organisation, job_title: str = "", **extra) -> User:
        return User(email=email, full_name=full_name, role=role, organisation=organisation, job_title=job_title,
                    password=self.password_hash, **extra)

    def _staff(self, la, community, mental_health, social_care, schools, send_team, sw_team, therapy_teams,
               with_demo_accounts: bool, icb) -> dict:
        tag = la.code
        caseworkers = []
        for n in range(max(3, len(schools) // 5)):
            first, last = self.name()
            caseworkers.append(self._user(f"{first}.{last}.{n}.{tag}@staff.{DEMO_DOMAIN}".lower(), f"{first} {last}",
                                          Role.CASEWORKER, la, "SEND caseworker"))
        therapists = {}
        for kind, team in therapy_teams.items():
            therapists[kind] = []
            for n in range(4):
                first, last = self.name()
                provider = mental_health if kind == HealthServiceKind.CAMHS else community
                therapists[kind].append(self._user(f"{first}.{last}.{kind}.{n}.{tag}@staff.{DEMO_DOMAIN}".lower(),
                                                   f"{first} {last}", Role.HEALTH_PROFESSIONAL, provider,
                                                   HEALTH_ROLES[kind].label))
        social_workers = []
        for n in range(6):
            first, last = self.name()
            social_workers.append(self._user(f"{first}.{last}.sw{n}.{tag}@staff.{DEMO_DOMAIN}".lower(),
                                             f"{first} {last}", Role.SOCIAL_CARE, social_care, "Social worker"))
        first, last = self.name()
        # Health advice for assessments is asked through the ICB's designated clinical officer.
        dco = self._user(f"dco.{tag}@staff.{DEMO_DOMAIN}", f"{first} {last}", Role.HEALTH_PROFESSIONAL, icb,
                         "Designated clinical officer")
        sencos = []
        for school in schools:
            first, last = self.name()
            sencos.append(self._user(f"senco.{school.urn}@staff.{DEMO_DOMAIN}", f"{first} {last}", Role.SENCO, school,
                                     "SENCO"))
        people = caseworkers + [t for group in therapists.values() for t in group] + social_workers + sencos + [dco]
        demo = {}
        if with_demo_accounts:
            first_primary = next(s for s in schools if s.phase == Phase.PRIMARY)
            for role, organisation, title, name in [
                (Role.CASEWORKER, la, "SEND caseworker", "Priya Caseworker"),
                (Role.TEAM_MANAGER, la, "SEND team manager", "Tom Manager"),
                (Role.HEALTH_PROFESSIONAL, community, "Speech and language therapist", "Hannah Therapist"),
                (Role.SOCIAL_CARE, social_care, "Social worker", "Sam Socialworker"),
                (Role.SENCO, first_primary, "SENCO", "Sophie Senco"),
                (Role.QA_OFFICER, la, "Quality assurance officer", "Quinn Quality"),
                (Role.PARTNERSHIP_LEADER, la, "Director of children's services", "Lee Leader"),
                (Role.ADMINISTRATOR, la, "Service support", "Ada Administrator"),
                (Role.BUSINESS_SUPPORT, la, "SEND business support officer", "Bea Support"),
            ]:
                extra = {"is_staff": True, "is_superuser": True} if role == Role.ADMINISTRATOR else {}
                demo[role] = self._user(demo_email(role), name, role, organisation, title, **extra)
            people += list(demo.values())
        User.objects.bulk_create(people, batch_size=BATCH)
        send_team.members.add(*caseworkers[:3], *([demo[Role.CASEWORKER]] if demo else []))
        sw_team.members.add(*social_workers)
        for kind, group in therapists.items():
            therapy_teams[kind].members.add(*group)
        if demo:
            therapy_teams[HealthServiceKind.SPEECH_LANGUAGE].members.add(demo[Role.HEALTH_PROFESSIONAL])
        return {"caseworkers": caseworkers, "therapists": therapists, "social_workers": social_workers, "demo": demo}

    def _children(self, la, la_code: str, schools, plans: int, requests: int) -> list[Child]:
        """Children with plans first, then children whose assessment is their first contact."""
        by_phase: dict[str, list] = {}
        for school in schools:
            by_phase.setdefault(school.phase, []).append(school)
        needs, need_weights = list(NEED_WEIGHTS), list(NEED_WEIGHTS.values())
        newcomers = requests * 3 // 5
        rows = []
        for n in range(plans + newcomers):
            age = self.rng.choices(range(26), AGE_WEIGHTS)[0] if n < plans else self.rng.choices(
                range(2, 18), [5, 8, 9, 9, 9, 8, 7, 6, 6, 5, 5, 4, 3, 2, 1, 1])[0]
            dob = years_before(self.today, age) - timedelta(days=self.rng.randrange(365))
            setting = self._setting_for(age, by_phase)
            first, last = self.name()
            primary = self.rng.choices(needs, need_weights)[0]
            secondary = self.rng.choice([""] * 3 + [x for x in needs if x != primary])
            rows.append(Child(
                given_name=first, family_name=last, date_of_birth=dob, local_authority=la, setting=setting,
                nhs_number=self.nhs_number(), primary_need=primary, secondary_need=secondary,
                upn=self.upn(la_code, setting.urn, dob.year + 10) if setting and setting.phase != Phase.EARLY_YEARS else None,
                # With no school or college, the SEN2 setting code says where they are (no extra random draw,
                # so a seed builds the same area as before).
                sen_setting="" if setting else ("EYP" if age < 3 else "NEET"),
                child_in_need=self.rng.random() < 0.08, looked_after=self.rng.random() < 0.04,
                child_protection=self.rng.random() < 0.02,
            ))
        return Child.objects.bulk_create(rows, batch_size=BATCH)

    def _referral_rows(self, la, la_code: str, schools, services, years: int) -> tuple[list, list[Child]]:
        """Years of each service's list (three for one borough), simulated with recovery plans, shortages and surges.

        Most children still waiting are new to the partnership (no plan); they get their own records.
        """
        history = simulate_borough(start=years_before(self.today, years), end=self.today,
                                   seed=self.rng.randrange(2**31), profiles=DEFAULT_PROFILES)
        by_phase: dict[str, list] = {}
        for school in schools:
            by_phase.setdefault(school.phase, []).append(school)
        new_children, rows = [], []
        for referral in history:
            service = services[referral.service]
            waiting = referral.seen_on is None and referral.removed_on is None
            child = None
            if waiting and self.rng.random() < 0.65:
                (youngest, oldest), needs = REFERRAL_CHILDREN[referral.service]
                age = self.rng.randint(youngest, oldest)
                dob = years_before(self.today, age) - timedelta(days=self.rng.randrange(365))
                setting = self._setting_for(age, by_phase)
                first, last = self.name()
                child = Child(given_name=first, family_name=last, date_of_birth=dob, local_authority=la,
                              setting=setting, nhs_number=self.nhs_number(), primary_need=self.rng.choice(needs),
                              upn=self.upn(la_code, setting.urn, dob.year + 10)
                              if setting and setting.phase != Phase.EARLY_YEARS else None)
                new_children.append(child)
            rows.append((referral, service, child))
        return rows, Child.objects.bulk_create(new_children, batch_size=BATCH)

    def _referrals(self, rows, referral_children, children, demo_children) -> int:
        new = {child.pk for child in referral_children}
        existing = [c for c in children if c.pk not in new]
        demo_wanted = dict(zip(["speech_language", "neurodevelopmental"], demo_children[:2], strict=False))
        objects = []
        for referral, service, child in rows:
            waiting = referral.seen_on is None and referral.removed_on is None
            if waiting and referral.service in demo_wanted and referral.priority == "routine":
                child = demo_wanted.pop(referral.service)  # the demo parent's children are waiting too
            objects.append(Referral(
                child=child or self.rng.choice(existing), service=service, reference=referral.referral_id,
                priority=referral.priority, referred_on=referral.referred_on, seen_on=referral.seen_on,
                removed_on=referral.removed_on,
                removal_reason="No longer needed" if referral.removed_on else "",
            ))
        Referral.objects.bulk_create(objects, batch_size=BATCH)
        return sum(1 for r in objects if r.seen_on is None and r.removed_on is None)

    def _setting_for(self, age: int, by_phase: dict) -> Organisation | None:
        if age < 3 or age > 19:
            return None
        if self.rng.random() < 0.11:
            return self.rng.choice(by_phase.get(Phase.ALL_THROUGH) or by_phase[Phase.PRIMARY])
        phase = (Phase.EARLY_YEARS if age < 4 else Phase.PRIMARY if age < 11 else Phase.SECONDARY if age < 16
                 else Phase.POST16)
        return self.rng.choice(by_phase.get(phase) or by_phase[Phase.PRIMARY])

    def _plans(self, children: list[Child], issued_on: dict[int, date], caseworkers: list) -> int:
        """Active plans, each with its final version as issued and its current review round."""
        plans = []
        for child in children:
            issued = issued_on.get(child.pk)
            if issued is None:
                age_days = (self.today - child.date_of_birth).days
                low = min(age_days // 2, 700)
                issued = child.date_of_birth + timedelta(days=self.rng.randint(low, max(low, age_days - 14)))
                issued = max(child.date_of_birth, min(issued, self.today - timedelta(days=14)))
            plans.append(EHCPlan(child=child, status=PlanStatus.ACTIVE, first_issued_on=issued))
        EHCPlan.objects.bulk_create(plans, batch_size=BATCH)
        PlanVersion.objects.bulk_create([
            PlanVersion(child=plan.child, number=1, kind=VersionKind.FINAL, sections=self._plan_text(plan.child, n),
                        issued_on=plan.first_issued_on, issued_by=caseworkers[n % len(caseworkers)],
                        named_setting_id=plan.child.setting_id)
            for n, plan in enumerate(plans)], batch_size=BATCH)
        reviews = []
        for plan in plans:
            since = (self.today - plan.first_issued_on).days
            previous = None
            if since > 365:
                # Most plans were reviewed within the year; some are late; a few untouched for two years.
                late = self.rng.random()
                gap = (self.rng.randint(30, 365) if late < 0.72 else self.rng.randint(366, 700) if late < 0.95
                       else self.rng.randint(731, 900))
                previous = max(plan.first_issued_on + timedelta(days=300), self.today - timedelta(days=gap))
            transfer = next_phase_transfer(plan.child.date_of_birth, self.today)
            reviews.append(AnnualReview(plan=plan, previous_review_meeting=previous,
                                        phase_transfer_on=transfer[0] if transfer else None,
                                        phase_transfer_to=transfer[1] if transfer else ""))
        AnnualReview.objects.bulk_create(reviews, batch_size=BATCH)
        events = []
        for review in reviews:
            due = end_of_twelve_months(review.previous_review_meeting or review.plan.first_issued_on)
            if (due - self.today).days > 45 or self.rng.random() < 0.3:
                continue  # the meeting is not due yet, or has not been held
            meeting = due - timedelta(days=self.rng.randint(-20, 40))
            if meeting > self.today:
                continue
            events.append(StatutoryEvent(review=review, type="review_meeting", date=meeting))
            report = meeting + timedelta(days=self.rng.randint(5, 24))
            if report <= self.today:
                events.append(StatutoryEvent(review=review, type="review_report_sent", date=report))
            decision = meeting + timedelta(days=self.rng.randint(14, 40))
            if decision <= self.today and report <= decision and self.rng.random() < 0.6:
                events.append(StatutoryEvent(review=review, type="la_decision", date=decision, outcome="amend"))
                notice = decision + timedelta(days=self.rng.randint(0, 10))
                if notice <= self.today:
                    events.append(StatutoryEvent(review=review, type="amendment_notice_sent", date=notice))
        StatutoryEvent.objects.bulk_create(events, batch_size=BATCH)
        return len(plans)

    def _plan_text(self, child: Child, n: int = 0) -> dict[str, str]:
        """Plausible, fictional plan wording for the child's primary need. Most plans pass every automatic quality
        check; every eighth or so has one typical fault (sendhub.demo.quality.FAULTS), so each check fails somewhere."""
        from sendhub.demo.quality import plan_text

        return plan_text(child, self.today, n)

    def _assessments(self, children: list[Child], scale: Scale) -> tuple[int, dict[int, date]]:
        """A year of requests, each with the events of its route so far; returns final plan dates too."""
        newcomers = children[scale.plans_per_area:]
        old_enough = (c for c in children[: scale.plans_per_area] if (self.today - c.date_of_birth).days > 730)
        recent_plans = [c for _, c in zip(range(scale.requests_per_area - len(newcomers)), old_enough)]
        rows, routes = [], []
        for child in newcomers:
            received = self.today - timedelta(days=self.rng.randrange(365))
            outcome = self.rng.choices(
                [AssessmentOutcome.OPEN, AssessmentOutcome.NOT_ASSESSED, AssessmentOutcome.NO_PLAN,
                 AssessmentOutcome.WITHDRAWN], [60, 28, 8, 4])[0]
            rows.append(EHCNeedsAssessment(child=child, request_received_on=received, outcome=outcome,
                                           requested_by=self.rng.choices(list(Requester), [55, 5, 35, 5])[0]))
        for child in recent_plans:
            received = self.today - timedelta(days=self.rng.randint(200, 364))  # final plan issued by now
            rows.append(EHCNeedsAssessment(child=child, request_received_on=received,
                                           outcome=AssessmentOutcome.PLAN_ISSUED,
                                           requested_by=self.rng.choices(list(Requester), [55, 5, 35, 5])[0]))
        events, issued_on = [], {}
        for assessment in rows:
            timeline = self._assessment_timeline(assessment)
            closing = [e for e in timeline if e[0] in CLOSING_EVENTS]
            if assessment.outcome == AssessmentOutcome.WITHDRAWN:
                assessment.closed_on = min(self.today, timeline[-1][1] + timedelta(days=self.rng.randint(5, 30))
                                           if timeline else assessment.request_received_on + timedelta(days=20))
            elif closing:
                assessment.outcome, assessment.closed_on = CLOSING_EVENTS[closing[0][0]], closing[0][1]
            else:
                assessment.outcome = AssessmentOutcome.OPEN
            if assessment.outcome == AssessmentOutcome.PLAN_ISSUED:
                issued_on[assessment.child.pk] = assessment.closed_on
            routes.append(timeline)
        EHCNeedsAssessment.objects.bulk_create(rows, batch_size=BATCH)
        for assessment, timeline in zip(rows, routes, strict=True):
            events += [StatutoryEvent(assessment=assessment, type=kind, date=day, source=source, outcome="")
                       for kind, day, source in timeline]
        StatutoryEvent.objects.bulk_create(events, batch_size=BATCH)
        return len(rows), issued_on

    def _assessment_timeline(self, assessment: EHCNeedsAssessment) -> list[tuple[str, date, str]]:
        """The events of an assessment's route up to today; most on time, some late, as in practice."""
        r, rng, out = assessment.request_received_on, self.rng, []

        def add(kind: str, day: date, source: str = "") -> bool:
            if day > self.today:
                return False
            out.append((kind, day, source))
            return True

        wanted = assessment.outcome
        if wanted == AssessmentOutcome.NOT_ASSESSED:
            add("decision_not_to_assess", r + timedelta(days=rng.randint(20, 55)))
            return out
        if not add("decision_to_assess", r + timedelta(days=rng.randint(21, 50))):
            return out
        asked = out[-1][1] + timedelta(days=rng.randint(1, 5))
        for source in ("education", "health", "educational_psychology", "social_care"):
            if source == "social_care" and rng.random() < 0.5:
                continue
            if add("advice_requested", asked, source):
                add("advice_received", asked + timedelta(days=rng.randint(20, 70)), source)
        decided = r + timedelta(days=rng.randint(90, 125))
        if wanted == AssessmentOutcome.NO_PLAN:
            add("decision_not_to_issue_plan", decided)
            return out
        if wanted == AssessmentOutcome.WITHDRAWN or not add("decision_to_issue_plan", decided):
            return out
        draft = decided + timedelta(days=rng.randint(1, 7))
        if add("draft_plan_sent", draft) and wanted == AssessmentOutcome.PLAN_ISSUED:
            add("final_plan_issued", draft + timedelta(days=rng.randint(15, 50)))
        return out

    def _families(self, children: list[Child], with_demo_accounts: bool, staff: dict, *, place: str) -> None:
        rows = []
        for child in children:
            last = child.family_name
            first = self.rng.choice(self.first_names)
            if child.looked_after:
                rows.append(FamilyMember(child=child, full_name=f"{first} {self.rng.choice(self.last_names)}",
                                         relationship=Relationship.FOSTER_CARER, parental_responsibility=False))
                continue
            rows.append(FamilyMember(child=child, full_name=f"{first} {last}", relationship=Relationship.MOTHER,
                                     email=f"{first}.{last}.{child.pk}@family.{DEMO_DOMAIN}".lower()))
            if self.rng.random() < 0.55:
                rows.append(FamilyMember(child=child, full_name=f"{self.rng.choice(self.first_names)} {last}",
                                         relationship=Relationship.FATHER))
        # Their own generator, so the rest of the demo is the same whatever routes are given.
        give_routes(rows, place, random.Random(len(rows) * 7 + children[0].local_authority_id))
        FamilyMember.objects.bulk_create(rows, batch_size=BATCH)
        if not with_demo_accounts:
            return
        # The demo parent has two children at different stages; the young person is 17.
        parent = self._user(demo_email(Role.FAMILY), "Pat Parent", Role.FAMILY, None)
        young_person = self._user(demo_email(Role.YOUNG_PERSON), "Yasmin Young", Role.YOUNG_PERSON, None)
        User.objects.bulk_create([parent, young_person])
        under_ten = next(c for c in children if 6 <= c.age(self.today) <= 10 and not c.looked_after and c.setting)
        teen = next(c for c in children if 12 <= c.age(self.today) <= 15 and not c.looked_after and c.pk != under_ten.pk)
        seventeen = next(c for c in children if c.age(self.today) == 17 and not c.looked_after)
        for child in (under_ten, teen):
            FamilyMember.objects.filter(child=child, relationship=Relationship.MOTHER).update(
                user=parent, full_name=parent.full_name, email=parent.email, by_portal=True)
        Child.objects.filter(pk=teen.pk).update(family_name=under_ten.family_name)
        Child.objects.filter(pk=under_ten.pk).update(setting=staff["demo"][Role.SENCO].organisation)
        Child.objects.filter(pk=seventeen.pk).update(account=young_person, given_name="Yasmin", family_name="Young")
        FamilyMember.objects.filter(child=seventeen).update(full_name="Yvonne Young")
        staff["demo_children"] = [under_ten, teen, seventeen]

    def _involvements(self, la, community, mental_health, social_care, children, staff, send_team, ep_team,
                      therapy_teams, with_demo_accounts: bool, assessed: list[Child]) -> None:
        rows = []
        # Every child with a plan or a request has a caseworker; the demo caseworker holds one case in eight.
        caseworkers = staff["caseworkers"] + ([staff["demo"][Role.CASEWORKER]] * max(1, len(staff["caseworkers"]) // 7)
                                              if with_demo_accounts else [])
        for n, child in enumerate(assessed):
            rows.append(Involvement(child=child, role=InvolvementRole.CASEWORKER, organisation=la, team=send_team,
                                    professional=caseworkers[n % len(caseworkers)],
                                    started_on=self.today - timedelta(days=self.rng.randint(0, 200))))
        need_services = {
            Need.SLCN: [HealthServiceKind.SPEECH_LANGUAGE], Need.ASD: [HealthServiceKind.SPEECH_LANGUAGE, HealthServiceKind.COMMUNITY_PAEDIATRICS],
            Need.PD: [HealthServiceKind.PHYSIOTHERAPY, HealthServiceKind.OCCUPATIONAL_THERAPY, HealthServiceKind.WHEELCHAIR],
            Need.PMLD: [HealthServiceKind.PHYSIOTHERAPY, HealthServiceKind.WHEELCHAIR, HealthServiceKind.COMMUNITY_PAEDIATRICS],
            Need.SEMH: [HealthServiceKind.CAMHS], Need.SLD: [HealthServiceKind.SPEECH_LANGUAGE, HealthServiceKind.OCCUPATIONAL_THERAPY],
        }
        for n, child in enumerate(children):
            started = self.today - timedelta(days=self.rng.randint(30, 900))
            rows.append(Involvement(child=child, role=InvolvementRole.CASEWORKER, organisation=la,
                                    professional=caseworkers[n % len(caseworkers)], team=send_team, started_on=started))
            for kind in need_services.get(child.primary_need, []):
                if self.rng.random() < 0.6:
                    provider = mental_health if kind == HealthServiceKind.CAMHS else community
                    rows.append(Involvement(child=child, role=HEALTH_ROLES[kind], organisation=provider,
                                            professional=self.rng.choice(staff["therapists"][kind]),
                                            team=therapy_teams[kind], started_on=started))
            if child.child_in_need or child.looked_after or child.child_protection:
                rows.append(Involvement(child=child, role=InvolvementRole.SOCIAL_WORKER, organisation=social_care,
                                        professional=self.rng.choice(staff["social_workers"]), started_on=started))
            if self.rng.random() < 0.15:
                ended = started + timedelta(days=self.rng.randint(30, 300))
                rows.append(Involvement(child=child, role=InvolvementRole.EDUCATIONAL_PSYCHOLOGIST, organisation=la,
                                        team=ep_team, started_on=started, ended_on=min(ended, self.today - timedelta(days=1)),
                                        ended_reason="Advice given"))
        demo = staff["demo"]
        if with_demo_accounts:
            # The demo therapist and social worker each work with some children, including the demo parent's.
            picked = staff["demo_children"][:2] + [c for c in children if c.primary_need == Need.SLCN][:30]
            for child in picked:
                rows.append(Involvement(child=child, role=InvolvementRole.SPEECH_LANGUAGE_THERAPIST, organisation=community,
                                        professional=demo[Role.HEALTH_PROFESSIONAL], started_on=self.today - timedelta(days=200)))
            for child in [c for c in children if c.looked_after or c.child_in_need][:15] + staff["demo_children"][1:2]:
                rows.append(Involvement(child=child, role=InvolvementRole.SOCIAL_WORKER, organisation=social_care,
                                        professional=demo[Role.SOCIAL_CARE], started_on=self.today - timedelta(days=120)))
        Involvement.objects.bulk_create(rows, batch_size=BATCH)


def demo_email(role: str) -> str:
    local = {Role.FAMILY: "parent"}.get(role, role.replace("_", "-"))
    return f"{local}@{DEMO_DOMAIN}"


DEMO_ROLES = [Role.FAMILY, Role.YOUNG_PERSON, Role.CASEWORKER, Role.TEAM_MANAGER, Role.HEALTH_PROFESSIONAL,
              Role.SOCIAL_CARE, Role.SENCO, Role.QA_OFFICER, Role.PARTNERSHIP_LEADER, Role.ADMINISTRATOR,
              Role.BUSINESS_SUPPORT]
