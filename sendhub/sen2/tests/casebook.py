"""A small hand-made council whose SEN2 return uses every module and every kind of case (census 15 January 2026).

Ava: plan issued in 19 weeks, at a college with URN and UKPRN, needs ASD then DS.
Ben: refused an assessment, then mediation and an appeal.       Cara: withdrew before a decision.
Dan: no decision yet.                                         Eve: plan ceased at 25 (reason 1).
Finn: electively home educated (setting code, no URN), reviewed and amended, moving to secondary in September.
Gus: plan issued after 20 weeks, with an exception recorded.  Hana: assessed, no plan issued, mediation.
Ivy: a training provider with only a UKPRN.                   Jay: request and plan from 2023 (historical H).
"""

from datetime import date

from sendhub.assessments.models import AssessmentOutcome, EHCNeedsAssessment
from sendhub.clock.models import StatutoryEvent
from sendhub.core.identifiers import upn_check_letter
from sendhub.dashboard.models import Disagreement
from sendhub.organisations.models import Organisation, OrganisationKind, Phase
from sendhub.people.models import Child
from sendhub.plans.models import EHCPlan
from sendhub.reviews.models import AnnualReview

CENSUS = date(2026, 1, 15)


def _upn(body: str) -> str:
    return upn_check_letter(body) + body
D = date.fromisoformat


def build() -> Organisation:
    la = Organisation.objects.create(kind=OrganisationKind.LOCAL_AUTHORITY, name="Casebook Council", code="881")
    college = Organisation.objects.create(kind=OrganisationKind.SCHOOL, name="Riverside College", urn=130001,
                                          ukprn=10001234, phase=Phase.POST16, local_authority=la)
    primary = Organisation.objects.create(kind=OrganisationKind.SCHOOL, name="Hill Primary", urn=107001,
                                          phase=Phase.PRIMARY, local_authority=la)
    provider = Organisation.objects.create(kind=OrganisationKind.OTHER, name="Skills Ltd", ukprn=10009999,
                                           local_authority=la)

    def child(given, family, born, **extra):
        return Child.objects.create(given_name=given, family_name=family, date_of_birth=D(born), local_authority=la,
                                    **extra)

    def request(kid, received, outcome=AssessmentOutcome.OPEN, closed=None, events=()):
        a = EHCNeedsAssessment.objects.create(child=kid, request_received_on=D(received), requested_by="parent",
                                              outcome=outcome, closed_on=D(closed) if closed else None)
        for type_, day, *rest in events:
            StatutoryEvent.objects.create(assessment=a, type=type_, date=D(day),
                                          exception_to=D(rest[0]) if rest else None,
                                          exception_reason="absent_from_area" if rest else "")
        return a

    def plan(kid, issued, ceased=None, reason=""):
        return EHCPlan.objects.create(child=kid, first_issued_on=D(issued), status="ceased" if ceased else "active",
                                      ceased_on=D(ceased) if ceased else None, cease_reason=reason)

    ava = child("Ava", "Ashby", "2008-03-14", sex="F", ethnicity="WBRI", postcode="HD1 2AB", upn=_upn("881700108001"), setting=college, primary_need="ASD", secondary_need="DS")
    request(ava, "2025-02-03", AssessmentOutcome.PLAN_ISSUED, "2025-06-16",
            [("decision_to_assess", "2025-03-10"), ("final_plan_issued", "2025-06-16")])
    plan(ava, "2025-06-16")

    ben = child("Ben", "Brook", "2016-09-01", sex="M", setting=primary, primary_need="SEMH")
    refused = request(ben, "2025-04-01", AssessmentOutcome.NOT_ASSESSED, "2025-05-09",
                      [("decision_not_to_assess", "2025-05-09")])
    Disagreement.objects.create(assessment=refused, mediation_requested_on=D("2025-05-20"),
                                appeal_lodged_on=D("2025-07-01"))

    cara = child("Cara", "Cole", "2017-01-20", setting=primary)
    request(cara, "2025-05-02", AssessmentOutcome.WITHDRAWN, "2025-05-20")

    dan = child("Dan", "Dale", "2018-04-04", setting=primary)
    request(dan, "2025-12-01")

    eve = child("Eve", "Eden", "2000-06-01", sex="F", sen_setting="NEET", primary_need="MLD")
    plan(eve, "2015-03-01", ceased="2025-07-31", reason="1")

    finn = child("Finn", "Ford", "2015-02-02", sex="M", sen_setting="EHE", primary_need="SLCN")
    finn_plan = plan(finn, "2019-05-01")
    review = AnnualReview.objects.create(plan=finn_plan, previous_review_meeting=D("2024-05-03"),
                                         phase_transfer_on=D("2026-09-01"), phase_transfer_to="secondary")
    for type_, day, outcome in (("review_meeting", "2025-05-10", ""), ("la_decision", "2025-05-30", "amend"),
                                ("amendment_notice_sent", "2025-06-05", "")):
        StatutoryEvent.objects.create(review=review, type=type_, date=D(day), outcome=outcome)

    gus = child("Gus", "Grey", "2012-11-11", setting=primary, primary_need="PD", secondary_need="VI")
    request(gus, "2025-01-06", AssessmentOutcome.PLAN_ISSUED, "2025-07-21",
            [("decision_to_assess", "2025-02-14"), ("exception", "2025-03-01", "2025-04-15"),
             ("final_plan_issued", "2025-07-21")])
    plan(gus, "2025-07-21")

    hana = child("Hana", "Hart", "2013-03-03", setting=primary)
    no_plan = request(hana, "2025-02-10", AssessmentOutcome.NO_PLAN, "2025-08-01",
                      [("decision_to_assess", "2025-03-20"), ("decision_not_to_issue_plan", "2025-08-01")])
    Disagreement.objects.create(assessment=no_plan, mediation_requested_on=D("2025-08-20"))

    ivy = child("Ivy", "Irwin", "2007-07-07", setting=provider, primary_need="SpLD")
    plan(ivy, "2021-09-01")

    jay = child("Jay", "Jones", "2011-05-05", setting=primary, primary_need="HI")
    request(jay, "2023-01-09", AssessmentOutcome.PLAN_ISSUED, "2023-05-26",
            [("decision_to_assess", "2023-02-17"), ("final_plan_issued", "2023-05-26")])
    plan(jay, "2023-05-26")
    return la
