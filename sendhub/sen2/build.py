"""The SEN2 return built from the case record, for one council and one census date.

Every row comes from what the record holds, read in a fixed number of queries whatever the size of the council
(children with their setting; their requests with events and disagreements; their plans with reviews and events):

- a request (module 2) is an EHC needs assessment request; its outcome is the decision to assess (Y) or not (N),
  W when withdrawn before a decision, A while none is made, and H when decided before the collection period
  (the calendar year before the census). Mediation and tribunal come from the recorded disagreement.
- the assessment (module 3) follows a decision to assess: Y when the final plan was issued (dated that day), N
  when the council decided not to issue one, W when withdrawn, A while under way. `week20` is Y when the
  statutory clock found an exception (reg 13(3)) overlapping the 20-week deadline.
- the named plan (module 4a) is the plan the assessment led to, with its cease date and reason; a plan the
  record holds no request for (made before sendhub) hangs from a request with outcome H and no dates.
- an active plan (module 5) is a plan in force on the census date, with its placement (the child's school or
  college by URN or UKPRN, or the setting code), its needs ranked (primary 1, secondary 2), the latest review
  meeting and decision in the period, and the phase transfer's statutory due date and the date it was met.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch

from sendhub.assessments.models import AssessmentOutcome, EHCNeedsAssessment
from sendhub.clock import timescales as clock
from sendhub.clock.cases import clock_case
from sendhub.clock.models import EventType
from sendhub.organisations.models import Organisation
from sendhub.people.models import Child
from sendhub.plans.models import EHCPlan
from sendhub.reviews.models import AnnualReview

from . import spec
from .spec import Node, node

SOFTWARE_CODE = "sendhub"
RELEASE = "2026.1"
NEED_TO_SEN2 = {"SpLD": "SPLD"}
SEN2_TO_NEED = {v: k for k, v in NEED_TO_SEN2.items()}


@dataclass(frozen=True)
class Period:
    census: date

    @property
    def start(self) -> date:
        return date(self.census.year - 1, 1, 1)

    @property
    def end(self) -> date:
        return date(self.census.year - 1, 12, 31)


def _first(events, type_: str) -> date | None:
    days = [e.date for e in events if e.type == type_]
    return min(days) if days else None


def _latest(days) -> date | None:
    days = [d for d in days if d is not None]
    return max(days) if days else None


def _outcome(decided: date | None, code: str, period: Period) -> tuple[str, date | None]:
    if decided is not None and decided < period.start:
        return "H", decided
    return code, decided


def _first_outcome(period: Period, *candidates: tuple[date | None, str]) -> tuple[str, date | None]:
    """The first (day, code) that happened, as its code and day (H before the period); A when none has."""
    for day, code in candidates:
        if day is not None:
            return _outcome(day, code, period)
    return "A", None


def _children(local_authority: Organisation, census: date):
    events = "events"
    assessments = Prefetch(
        "assessments", to_attr="assessment_list",
        queryset=EHCNeedsAssessment.objects.filter(request_received_on__lte=census)
        .select_related("disagreement").prefetch_related(events).order_by("request_received_on", "id"))
    reviews = Prefetch("reviews", to_attr="review_list",
                       queryset=AnnualReview.objects.prefetch_related(events).order_by("opened_at", "id"))
    plans = Prefetch("plans", to_attr="plan_list", queryset=EHCPlan.objects.filter(first_issued_on__lte=census)
                     .prefetch_related(reviews).order_by("first_issued_on", "id"))
    return (Child.objects.filter(local_authority=local_authority).select_related("setting")
            .prefetch_related(assessments, plans).order_by("family_name", "given_name", "date_of_birth", "id"))


def build_return(*, local_authority: Organisation, census: date, generated_at: datetime | None = None,
                 serial: int = 1) -> Node:
    """The whole return as a tree (spec.Node): write it with spec.to_xml or spec.to_tables."""
    period = Period(census)
    stamp = (generated_at or datetime.combine(census, datetime.min.time())).replace(microsecond=0)
    header = node("sen2", collection=spec.COLLECTION, year=census.year, referencedate=census,
                  sourcelevel=spec.SOURCE_LEVEL, lea=local_authority.code, softwarecode=SOFTWARE_CODE,
                  release=RELEASE, serialno=serial, datetime=stamp.isoformat())
    for child in _children(local_authority, census):
        person = _person(child, period)
        if person is not None:
            header.children.append(person)
    return header


def _person(child: Child, period: Period) -> Node | None:
    plans_by_issue = {}
    for plan in child.plan_list:
        plans_by_issue.setdefault(plan.first_issued_on, plan)
    linked: set[int] = set()
    requests = []
    for assessment in child.assessment_list:
        plan = None
        issued = _first(list(assessment.events.all()), EventType.FINAL_PLAN_ISSUED)
        if issued is not None and issued in plans_by_issue:
            plan = plans_by_issue[issued]
            linked.add(plan.pk)
        row = _request(child, assessment, plan, period)
        if row is not None:
            requests.append(row)
    for plan in child.plan_list:
        if plan.pk not in linked and _plan_in_scope(plan, period):
            # A plan made before the record began: its request and assessment are historical (H).
            req = node("requests", requestoutcome="H")
            assess = node("assessment", assessmentoutcome="H")
            assess.children.append(_named_plan(child, plan, period))
            req.children.append(assess)
            if _active(plan, period.census):
                req.children.append(_active_plan(child, plan, period))
            requests.append(req)
    if not requests:
        return None
    person = node("person", surname=child.family_name, forename=child.given_name,
                  personbirthdate=child.date_of_birth, sex=child.sex, ethnicity=child.ethnicity,
                  postcode=child.postcode, upn=child.upn)
    person.ref = str(child.pk)
    person.children = requests
    return person


def _active(plan: EHCPlan, census: date) -> bool:
    return plan.first_issued_on <= census and (plan.ceased_on is None or plan.ceased_on > census)


def _plan_in_scope(plan: EHCPlan, period: Period) -> bool:
    return _active(plan, period.census) or (plan.ceased_on is not None and period.start <= plan.ceased_on <= period.census)


def _request(child: Child, assessment: EHCNeedsAssessment, plan: EHCPlan | None, period: Period) -> Node | None:
    events = [e for e in list(assessment.events.all()) if e.date <= period.census]
    yes, no = _first(events, EventType.DECISION_TO_ASSESS), _first(events, EventType.DECISION_NOT_TO_ASSESS)
    withdrawn = (assessment.outcome == AssessmentOutcome.WITHDRAWN and assessment.closed_on is not None
                 and assessment.closed_on <= period.census)
    code, decided = _first_outcome(period, (yes, "Y"), (no, "N"), (assessment.closed_on if withdrawn else None, "W"))
    assess = _assessment(child, assessment, events, plan, period, withdrawn) if yes is not None else None
    in_scope = (assessment.request_received_on >= period.start or decided is None or decided >= period.start
                or (assess is not None and assess.get("assessmentoutcome") in {"Y", "N", "W", "A"})
                or (plan is not None and _plan_in_scope(plan, period)))
    if not in_scope:
        return None
    disagreement = getattr(assessment, "disagreement", None)
    mediation = "Y" if disagreement and disagreement.mediation_requested_on else "N"
    tribunal = "Y" if disagreement and disagreement.appeal_lodged_on else "N"
    refused = code in {"N", "H"} and yes is None and no is not None
    req = node("requests", receiveddate=assessment.request_received_on, requestoutcomedate=decided,
               requestoutcome=code, requestmediation=mediation if refused else "N",
               requesttribunal=tribunal if refused else "N")
    if assess is not None:
        if assess.get("assessmentoutcome") in {"N", "H"} and not refused:
            assess.values["assessmentmediation"], assess.values["assessmenttribunal"] = mediation, tribunal
        req.children.append(assess)
    if plan is not None and _active(plan, period.census):
        req.children.append(_active_plan(child, plan, period))
    return req


def _assessment(child, assessment, events, plan, period, withdrawn) -> Node:
    issued = _first(events, EventType.FINAL_PLAN_ISSUED)
    not_issued = _first(events, EventType.DECISION_NOT_TO_ISSUE_PLAN)
    code, day = _first_outcome(period, (issued, "Y"), (not_issued, "N"), (assessment.closed_on if withdrawn else None, "W"))
    week20 = "N"
    if issued is not None:
        rows = clock.compute_deadlines(clock_case(assessment), period.census, validate=False, explain=False)
        week20 = "Y" if any(r.key == "final_plan" and r.exception for r in rows) else "N"
    assess = node("assessment", assessmentoutcome=code, assessmentoutcomedate=day, assessmentmediation="N",
                  assessmenttribunal="N", week20=week20)
    if plan is not None and _plan_in_scope(plan, period):
        assess.children.append(_named_plan(child, plan, period))
    return assess


def _placement(child: Child, module: str, **extra) -> Node:
    setting = child.setting
    if setting is not None:
        return node(module, urn=setting.urn, ukprn=setting.ukprn, placementrank=1, **extra)
    return node(module, sensetting=child.sen_setting, placementrank=1, **extra)


def _named_plan(child: Child, plan: EHCPlan, period: Period) -> Node:
    ceased = plan.ceased_on is not None and plan.ceased_on <= period.census
    named = node("namedplan", startdate=plan.first_issued_on, ceasedate=plan.ceased_on if ceased else None,
                 ceasereason=plan.cease_reason if ceased else None)
    if period.start <= plan.first_issued_on <= period.census and (child.setting_id or child.sen_setting):
        named.children.append(_placement(child, "plandetail"))
    return named


def _active_plan(child: Child, plan: EHCPlan, period: Period) -> Node:
    meetings, last_known, decision, draft, due, final = [], [], None, None, None, None
    for review in plan.review_list:
        events = [e for e in list(review.events.all()) if e.date <= period.census]
        held = _first(events, EventType.REVIEW_MEETING)
        if review.previous_review_meeting and review.previous_review_meeting <= period.census:
            last_known.append(review.previous_review_meeting)
        if held is not None:
            last_known.append(held)
            if held >= period.start and (not meetings or held >= max(meetings)):
                meetings.append(held)
                decision = _first(events, EventType.LA_DECISION)
                draft = _first(events, EventType.AMENDMENT_NOTICE_SENT)
        if review.phase_transfer_on:
            rows = clock.compute_deadlines(clock_case(review), period.census, validate=False, explain=False)
            for row in rows:
                if row.key == "phase_transfer" and row.due >= period.start:
                    due, final = row.due, row.done
    active = node("activeplans", reviewmeeting=_latest(meetings), reviewoutcome=decision if meetings else None,
                  reviewdraft=draft if meetings else None, phasetransferduedate=due, phasetransferfinaldate=final,
                  lastreview=_latest(last_known))
    if child.setting_id or child.sen_setting:
        active.children.append(_placement(child, "placementdetail"))
    for rank, need in enumerate((n for n in (child.primary_need, child.secondary_need) if n), start=1):
        active.children.append(node("senneed", sentype=NEED_TO_SEN2.get(need, need), sentyperank=rank))
    return active


def csv_tables(header: Node) -> dict[str, str]:
    """The COLLECT CSV tables as text, written by the one CSV writer (sendhub.core.exports)."""
    from sendhub.core.exports import csv_text

    return {f"{key}.csv": csv_text(rows) for key, rows in spec.to_tables(header).items()}


def csv_zip(header: Node) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_tables(header).items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # fixed: the same return, the same bytes
            archive.writestr(info, text)
    return buffer.getvalue()
