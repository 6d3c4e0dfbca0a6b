"""Onboarding a council from its last SEN2 return: people, requests, assessments, plans, placements and needs.

All or nothing: the file is read and checked whole first; if anything in it is refused, nothing is saved and the
report lists every refused line. Importing the same file again changes nothing (its SHA-256 is remembered per
council). What is created is dated as the return says, as statutory events, so the statutory clock runs on it;
every record made is listed in `ImportedRecord` with the file and the place in it.

What the return does not carry is left empty rather than guessed: who asked for the assessment (the request
source), the exact days of a mediation or appeal (the decision's date stands in, and the disagreement's note
says so), and the dates of an exception (the return only says one applied: the note says so).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from sendhub.core.filechecks import FileProblem
from sendhub.core.importing import open_zip

from sendhub.assessments.models import AssessmentOutcome, EHCNeedsAssessment
from sendhub.clock.models import EventType, StatutoryEvent
from sendhub.dashboard.models import Disagreement
from sendhub.organisations.models import Organisation, OrganisationKind
from sendhub.people.models import Child, Need
from sendhub.plans.models import EHCPlan, PlanStatus
from sendhub.reviews.models import AnnualReview, PhaseTo

from . import checks, spec
from .build import SEN2_TO_NEED
from .models import ImportedRecord, ImportRun
from .spec import Node, ReadError

@dataclass
class ImportReport:
    file_name: str
    refused: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    already: ImportRun | None = None
    run: ImportRun | None = None

    @property
    def ok(self) -> bool:
        return not self.refused

    def lines(self) -> list[str]:
        if self.already is not None:
            return [f"{self.file_name} was already imported on {self.already.imported_at:%-d %B %Y at %H:%M}: "
                    "nothing changed."]
        if self.refused:
            return [f"Nothing was imported from {self.file_name}: {len(self.refused)} problem(s) to put right first."] \
                + self.refused
        return [f"Imported {self.file_name}: " + ", ".join(f"{n} {k}" for k, n in self.counts.items()) + "."]


def read_return(data: bytes, name: str) -> Node:
    """A return from XML bytes, a ZIP of the COLLECT CSV tables, or (by path) a folder of them."""
    if data[:2] == b"PK":
        try:
            archive = open_zip(io.BytesIO(data), label=name)  # refuses a zip bomb from its directory
        except (zipfile.BadZipFile, FileProblem) as error:
            raise ReadError(f"{name} is not a ZIP file sendhub will open: {error}") from error
        tables = {}
        for info in archive.infolist():
            if info.is_dir():
                continue
            stem = Path(info.filename).name.lower().removesuffix(".csv")
            tables[stem] = spec.read_csv_text(archive.read(info).decode("utf-8-sig"))
        return spec.from_tables(tables)
    return spec.from_xml(data)


def read_path(path: Path) -> tuple[Node, bytes]:
    if path.is_dir():
        tables, raw = {}, b""
        for csv_path in sorted(path.glob("*.csv")):
            content = csv_path.read_bytes()
            raw += csv_path.name.encode() + content
            tables[csv_path.stem.lower()] = spec.read_csv_text(content.decode("utf-8-sig"))
        return spec.from_tables(tables), raw
    data = path.read_bytes()
    return read_return(data, path.name), data


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _refusals(header: Node, local_authority: Organisation | None) -> list[str]:
    out = []
    for module_field in ("lea", "referencedate"):
        if not header.get(module_field):
            out.append(f"Header: no {module_field}")
    for problem in checks.check(header):
        if checks.RULES[problem.rule].severity == checks.ERROR:
            out.append(problem.line())
    for person in header.kids("person"):
        active = [a for r in person.kids("requests") for a in r.kids("activeplans")]
        if len(active) > 1:
            out.append(f"{person.where}: {len(active)} active plans for one person; a child has one plan at a time")
        for req in person.kids("requests"):
            if req.kids("activeplans") and not [p for a in req.kids("assessment") for p in a.kids("namedplan")]:
                out.append(f"{req.where}: an active plan without its named plan (module 4a): its start date is unknown")
    if local_authority is not None:
        existing = Child.objects.filter(local_authority=local_authority)
        upns = set(existing.exclude(upn=None).values_list("upn", flat=True))
        names = {(g.lower(), f.lower(), d.isoformat()) for g, f, d in
                 existing.values_list("given_name", "family_name", "date_of_birth")}
        for person in header.kids("person"):
            key = (person.get("forename").lower(), person.get("surname").lower(), person.get("personbirthdate"))
            if person.get("upn") in upns or key in names:
                out.append(f"{person.where}: {person.get('forename')} {person.get('surname')} is already in the "
                           "council's record (same UPN, or same name and date of birth)")
    return out


def import_return(*, header: Node, raw: bytes, file_name: str, actor=None, council_name: str = "") -> ImportReport:
    report = ImportReport(file_name)
    lea = header.get("lea")
    local_authority = Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY, code=lea).first()
    digest = hashlib.sha256(raw).hexdigest()
    if local_authority is not None:
        report.already = ImportRun.objects.filter(local_authority=local_authority, sha256=digest).first()
        if report.already is not None:
            return report
    report.refused = _refusals(header, local_authority)
    if report.refused:
        return report
    with transaction.atomic():
        if local_authority is None:
            local_authority = Organisation.objects.create(
                kind=OrganisationKind.LOCAL_AUTHORITY, code=lea, name=council_name or f"Local authority {lea}")
        run = ImportRun.objects.create(local_authority=local_authority, file_name=file_name[:255], sha256=digest,
                                       census_date=_day(header.get("referencedate")),
                                       software=header.get("softwarecode")[:100], imported_by=actor)
        report.counts = _Loader(run, local_authority).load(header)
        run.counts = report.counts
        run.save(update_fields=["counts"])
        from sendhub.audit.models import AuditAction
        from sendhub.audit.services import record_change

        record_change(actor=actor, action=AuditAction.CREATE, obj=run,
                      summary=f"SEN2 return imported: {file_name}"[:300], after=report.counts)
    report.run = run
    return report


class _Loader:
    """Creates the records, a module at a time, with bulk inserts."""

    def __init__(self, run: ImportRun, local_authority: Organisation):
        self.run, self.la = run, local_authority
        self.records: list[ImportedRecord] = []
        self.orgs_by_urn = {o.urn: o for o in Organisation.objects.filter(urn__isnull=False)}
        self.orgs_by_ukprn = {o.ukprn: o for o in Organisation.objects.filter(ukprn__isnull=False, urn__isnull=True)}

    def note(self, obj, child: Child, where: str) -> None:
        self.records.append(ImportedRecord(run=self.run, model=obj._meta.label_lower, object_id=obj.pk, child=child,
                                           where=where[:200]))

    def organisation(self, place: Node) -> Organisation | None:
        if place.get("urn"):
            urn = int(place.get("urn"))
            if urn not in self.orgs_by_urn:
                self.orgs_by_urn[urn] = Organisation.objects.create(
                    kind=OrganisationKind.SCHOOL, urn=urn, ukprn=int(place.get("ukprn")) if place.get("ukprn") else None,
                    code=str(urn), local_authority=self.la, name=f"School or college URN {urn} (from the SEN2 return)")
            return self.orgs_by_urn[urn]
        if place.get("ukprn"):
            ukprn = int(place.get("ukprn"))
            if ukprn not in self.orgs_by_ukprn:
                self.orgs_by_ukprn[ukprn] = Organisation.objects.create(
                    kind=OrganisationKind.OTHER, ukprn=ukprn, code=str(ukprn), local_authority=self.la,
                    name=f"Provider UKPRN {ukprn} (from the SEN2 return)")
            return self.orgs_by_ukprn[ukprn]
        return None

    def load(self, header: Node) -> dict[str, int]:
        persons = header.kids("person")
        children = []
        for person in persons:
            places = [p for r in person.kids("requests") for a in r.kids("activeplans") for p in a.kids("placementdetail")]
            places += [p for r in person.kids("requests") for a in r.kids("assessment") for n in a.kids("namedplan")
                       for p in n.kids("plandetail")]
            place = min(places, key=lambda p: p.get("placementrank") or "9") if places else None
            needs = sorted((n for r in person.kids("requests") for a in r.kids("activeplans") for n in a.kids("senneed")),
                           key=lambda n: int(n.get("sentyperank") or 9))
            codes = [SEN2_TO_NEED.get(n.get("sentype"), n.get("sentype")) for n in needs]
            codes = [c for c in dict.fromkeys(codes) if c in Need.values]
            children.append(Child(
                given_name=person.get("forename"), family_name=person.get("surname"),
                date_of_birth=_day(person.get("personbirthdate")), upn=person.get("upn") or None,
                sex=person.get("sex"), ethnicity=person.get("ethnicity"), postcode=person.get("postcode"),
                local_authority=self.la, setting=self.organisation(place) if place else None,
                sen_setting=place.get("sensetting") if place else "",
                primary_need=codes[0] if codes else "", secondary_need=codes[1] if len(codes) > 1 else ""))
        Child.objects.bulk_create(children)
        assessments, plans, events, disagreements, reviews = [], [], [], [], []
        for person, child in zip(persons, children):
            self.note(child, child, person.where)
            for req in person.kids("requests"):
                self._request(child, req, assessments, plans, events, disagreements, reviews)
        EHCNeedsAssessment.objects.bulk_create([a for a, _, _ in assessments])
        EHCPlan.objects.bulk_create([p for p, _, _ in plans])
        for obj, child, where in assessments + plans:
            self.note(obj, child, where)
        for review, _, _ in reviews:
            review.plan = review.plan
        AnnualReview.objects.bulk_create([r for r, _, _ in reviews])
        for obj, child, where in reviews:
            self.note(obj, child, where)
        for event in events:  # foreign keys were unsaved objects when the events were made
            event.assessment, event.review = event.assessment, event.review
        StatutoryEvent.objects.bulk_create(events)
        for d in disagreements:
            d.assessment = d.assessment
        Disagreement.objects.bulk_create(disagreements)
        ImportedRecord.objects.bulk_create(self.records)
        return {"people": len(children), "requests": len(assessments), "plans": len(plans),
                "reviews": len(reviews), "events": len(events)}

    def _request(self, child, req: Node, assessments, plans, events, disagreements, reviews) -> None:
        assess = (req.kids("assessment") or [None])[0]
        named = (assess.kids("namedplan") if assess else []) or []
        plan_objs = []
        for n in named:
            ceased = _day(n.get("ceasedate"))
            plan = EHCPlan(child=child, first_issued_on=_day(n.get("startdate")), ceased_on=ceased,
                           status=PlanStatus.CEASED if ceased else PlanStatus.ACTIVE, cease_reason=n.get("ceasereason"))
            plans.append((plan, child, n.where))
            plan_objs.append(plan)
        for active in req.kids("activeplans"):
            plan = next((p for p in plan_objs if p.status == PlanStatus.ACTIVE), plan_objs[0] if plan_objs else None)
            if plan is not None:
                self._review(plan, child, active, events, reviews)
        received = _day(req.get("receiveddate"))
        if received is None:
            return  # a plan made before the previous system's record began: no request to record
        code, decided = req.get("requestoutcome"), _day(req.get("requestoutcomedate"))
        a_code = assess.get("assessmentoutcome") if assess else ""
        a_day = _day(assess.get("assessmentoutcomedate")) if assess else None
        if code == "N" or (code == "H" and assess is None):
            outcome, closed = AssessmentOutcome.NOT_ASSESSED, decided
        elif code == "W":
            outcome, closed = AssessmentOutcome.WITHDRAWN, decided
        elif assess is None or a_code == "A":
            outcome, closed = AssessmentOutcome.OPEN, None
        elif a_code == "W":
            outcome, closed = AssessmentOutcome.WITHDRAWN, a_day
        elif a_code == "Y" or (a_code == "H" and named):
            outcome, closed = AssessmentOutcome.PLAN_ISSUED, a_day
        else:
            outcome, closed = AssessmentOutcome.NO_PLAN, a_day
        assessment = EHCNeedsAssessment(child=child, request_received_on=received, requested_by="", outcome=outcome,
                                        closed_on=closed)
        assessments.append((assessment, child, req.where))
        note = f"From the SEN2 return {self.run.file_name}."
        if decided is not None and code != "W":
            kind = EventType.DECISION_TO_ASSESS if assess is not None else EventType.DECISION_NOT_TO_ASSESS
            events.append(StatutoryEvent(assessment=assessment, type=kind, date=decided, note=note))
        if assess is not None and a_day is not None and a_code != "W":
            kind = EventType.FINAL_PLAN_ISSUED if outcome == AssessmentOutcome.PLAN_ISSUED else \
                EventType.DECISION_NOT_TO_ISSUE_PLAN
            events.append(StatutoryEvent(assessment=assessment, type=kind, date=a_day, note=note))
        if assess is not None and assess.get("week20") == "Y":
            events.append(StatutoryEvent(
                assessment=assessment, type=EventType.EXCEPTION, date=received, exception_to=a_day or received,
                note=note + " The return says a 20-week exception applied; it gives neither the reason nor the days, "
                            "so this covers the whole assessment."))
        refused = code == "N" or (code == "H" and assess is None)
        for prefix, day, applies in (("request", decided, refused), ("assessment", a_day, assess is not None)):
            node_ = req if prefix == "request" else assess
            if applies and (node_.get(f"{prefix}mediation") == "Y" or node_.get(f"{prefix}tribunal") == "Y"):
                disagreements.append(Disagreement(
                    assessment=assessment,
                    mediation_requested_on=day if node_.get(f"{prefix}mediation") == "Y" else None,
                    appeal_lodged_on=day if node_.get(f"{prefix}tribunal") == "Y" else None,
                    notes=note + " The return says only that there was mediation or an appeal: the decision's date "
                                 "stands in for the day it was asked for."))

    def _review(self, plan, child, active: Node, events, reviews) -> None:
        meeting, last = _day(active.get("reviewmeeting")), _day(active.get("lastreview"))
        due, final = _day(active.get("phasetransferduedate")), _day(active.get("phasetransferfinaldate"))
        transfer_on, transfer_to = None, ""
        if due is not None:
            transfer_on = date(due.year, 9, 1)
            transfer_to = PhaseTo.POST16 if (due.month, due.day) == (3, 31) else PhaseTo.OTHER
        review = AnnualReview(plan=plan, previous_review_meeting=last if meeting is None else None,
                              phase_transfer_on=transfer_on, phase_transfer_to=transfer_to)
        reviews.append((review, child, active.where))
        note = f"From the SEN2 return {self.run.file_name}."
        if meeting is not None:
            events.append(StatutoryEvent(review=review, type=EventType.REVIEW_MEETING, date=meeting, note=note))
        decision = _day(active.get("reviewoutcome"))
        if decision is None and final is not None:
            decision = final
        if decision is not None:
            # The return gives dates, not the decision; the dates say it where a phase transfer is due: met on the
            # day of the decision (kept as it was), met later by an amended plan, or not yet met (amending).
            amend = bool(active.get("reviewdraft")) or (due is not None and final != decision)
            outcome = "amend" if amend else ("maintain" if due is not None else "")
            events.append(StatutoryEvent(review=review, type=EventType.LA_DECISION, date=decision, outcome=outcome,
                                         note=note))
            if amend and final is not None:
                events.append(StatutoryEvent(review=review, type=EventType.AMENDED_PLAN_ISSUED, date=final, note=note))
        if active.get("reviewdraft"):
            events.append(StatutoryEvent(review=review, type=EventType.AMENDMENT_NOTICE_SENT,
                                         date=_day(active.get("reviewdraft")), note=note))
