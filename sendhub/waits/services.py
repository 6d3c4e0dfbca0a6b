"""The only place waiting-list records change: each step checked, recorded as an event and audited.

Every function takes keyword arguments, runs in one transaction, locks the referral and compares
the `version` the person saw, so two clinicians working on the same referral never silently
overwrite each other: the second is told to look again, and nothing they typed is lost (the form
is shown again with their input).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.audit.services import _label, channel_of, record_change, snapshot
from sendhub.core.identifiers import IdentifierError, normalise_nhs_number
from sendhub.organisations.models import HealthService, Organisation
from sendhub.people.models import Child

from .models import EventKind, ListImport, Priority, Referral, ReferralEvent

AUDITED = ["service", "reference", "priority", "referred_on", "received_on", "triaged_on", "triage_note", "seen_on",
           "treatment_started_on", "discharged_on", "removed_on", "removal_reason"]
STALE = ("Someone else changed this referral after you opened it. Check what it says now and try again: "
         "your entry has not been saved.")
MAX_IMPORT_ROWS = 50_000
MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _today() -> date:
    return timezone.localdate()


def _not_future(on: date | None, what: str, field_name: str) -> None:
    if on is None:
        raise ValidationError({field_name: f"Enter {what}"})
    if on > _today():
        raise ValidationError({field_name: f"{what[0].upper()}{what[1:]} must be today or in the past"})


def _locked(referral: Referral, version: int | None) -> Referral:
    current = Referral.objects.select_for_update().select_related("service", "child").get(pk=referral.pk)
    if version is not None and current.version != version:
        raise ValidationError(STALE)
    return current


def _save(referral: Referral, *, actor, before: dict, kind: str, on: date, request, note: str = "",
          from_service=None, to_service=None, summary: str) -> Referral:
    referral.version += 1
    referral.full_clean()
    referral.save()
    ReferralEvent.objects.create(referral=referral, kind=kind, date=on, priority=referral.priority, note=note,
                                 from_service=from_service, to_service=to_service,
                                 recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    record_change(actor=actor, action=AuditAction.UPDATE if kind != EventKind.RECEIVED else AuditAction.CREATE,
                  obj=referral, child=referral.child, before=before, after=snapshot(referral, AUDITED),
                  summary=summary, request=request)
    return referral


def _must_be_waiting(referral: Referral) -> None:
    if referral.seen_on:
        raise ValidationError(f"This referral is no longer waiting: the first appointment was on "
                              f"{referral.seen_on:%-d %B %Y}")
    if referral.removed_on:
        raise ValidationError(f"This referral is no longer waiting: it was removed on {referral.removed_on:%-d %B %Y}")


@transaction.atomic
def add_referral(*, actor, service: HealthService, child: Child, reference: str, priority: str, referred_on: date,
                 received_on: date | None = None, request=None) -> Referral:
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": "Enter the service's referral reference"})
    if priority not in Priority.values:
        raise ValidationError({"priority": "Select urgent or routine"})
    _not_future(referred_on, "the date the clock started", "referred_on")
    received_on = received_on or referred_on
    _not_future(received_on, "the date the referral was received", "received_on")
    if Referral.objects.filter(service=service, reference=reference).exists():
        raise ValidationError({"reference": f"{service.name} already has a referral {reference}"})
    referral = Referral(child=child, service=service, reference=reference, priority=priority, referred_on=referred_on,
                        received_on=received_on, version=0)
    return _save(referral, actor=actor, before={}, kind=EventKind.RECEIVED, on=received_on, request=request,
                 summary=f"Added referral {reference} to {service.name}")


@transaction.atomic
def triage(*, actor, referral: Referral, version: int | None, priority: str, note: str, on: date, request=None) -> Referral:
    referral = _locked(referral, version)
    _must_be_waiting(referral)
    if priority not in Priority.values:
        raise ValidationError({"priority": "Select urgent or routine"})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Enter the clinical note: why this priority"})
    _not_future(on, "the date of the triage", "on")
    if on < referral.referred_on:
        raise ValidationError({"on": "The triage cannot be before the referral"})
    before = snapshot(referral, AUDITED)
    referral.priority, referral.triaged_on, referral.triage_note = priority, on, note
    return _save(referral, actor=actor, before=before, kind=EventKind.TRIAGED, on=on, note=note, request=request,
                 summary=f"Triaged referral {referral.reference} as {priority}")


@transaction.atomic
def first_appointment(*, actor, referral: Referral, version: int | None, on: date, request=None) -> Referral:
    referral = _locked(referral, version)
    _must_be_waiting(referral)
    _not_future(on, "the date of the first appointment", "on")
    if on < referral.referred_on:
        raise ValidationError({"on": "The first appointment cannot be before the referral"})
    before = snapshot(referral, AUDITED)
    referral.seen_on = on
    return _save(referral, actor=actor, before=before, kind=EventKind.FIRST_APPOINTMENT, on=on, request=request,
                 summary=f"First appointment for referral {referral.reference} (clock stopped)")


@transaction.atomic
def start_treatment(*, actor, referral: Referral, version: int | None, on: date, request=None) -> Referral:
    referral = _locked(referral, version)
    if not referral.seen_on:
        raise ValidationError("Record the first appointment before treatment starts")
    if referral.discharged_on:
        raise ValidationError("This referral has been discharged")
    if referral.treatment_started_on:
        raise ValidationError(f"Treatment already started on {referral.treatment_started_on:%-d %B %Y}")
    _not_future(on, "the date treatment started", "on")
    if on < referral.seen_on:
        raise ValidationError({"on": "Treatment cannot start before the first appointment"})
    before = snapshot(referral, AUDITED)
    referral.treatment_started_on = on
    return _save(referral, actor=actor, before=before, kind=EventKind.TREATMENT_STARTED, on=on, request=request,
                 summary=f"Treatment started for referral {referral.reference}")


@transaction.atomic
def discharge(*, actor, referral: Referral, version: int | None, on: date, note: str = "", request=None) -> Referral:
    referral = _locked(referral, version)
    if not referral.seen_on:
        raise ValidationError("A referral is discharged after it has been seen; to take it off the list, remove it")
    if referral.discharged_on:
        raise ValidationError(f"Already discharged on {referral.discharged_on:%-d %B %Y}")
    _not_future(on, "the date of discharge", "on")
    if on < (referral.treatment_started_on or referral.seen_on):
        raise ValidationError({"on": "Discharge cannot be before the first appointment or the start of treatment"})
    before = snapshot(referral, AUDITED)
    referral.discharged_on = on
    return _save(referral, actor=actor, before=before, kind=EventKind.DISCHARGED, on=on, note=(note or "").strip(),
                 request=request, summary=f"Discharged referral {referral.reference}")


@transaction.atomic
def remove(*, actor, referral: Referral, version: int | None, on: date, reason: str, request=None) -> Referral:
    referral = _locked(referral, version)
    _must_be_waiting(referral)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for removing the referral from the list"})
    if len(reason) > 200:
        raise ValidationError({"reason": "The reason must be 200 characters or fewer"})
    _not_future(on, "the date of removal", "on")
    if on < referral.referred_on:
        raise ValidationError({"on": "Removal cannot be before the referral"})
    before = snapshot(referral, AUDITED)
    referral.removed_on, referral.removal_reason = on, reason
    return _save(referral, actor=actor, before=before, kind=EventKind.REMOVED, on=on, note=reason, request=request,
                 summary=f"Removed referral {referral.reference} from the list")


@transaction.atomic
def transfer(*, actor, referral: Referral, version: int | None, to_service: HealthService, note: str, on: date,
             request=None) -> Referral:
    """Move a waiting referral to another pathway of the same provider; the clock (referred_on) is kept."""
    referral = _locked(referral, version)
    _must_be_waiting(referral)
    if to_service is None:
        raise ValidationError({"to_service": "Select the pathway to move the referral to"})
    if to_service.provider_id != referral.service.provider_id:
        raise ValidationError({"to_service": "Choose a pathway of the same provider"})
    if to_service.pk == referral.service_id:
        raise ValidationError({"to_service": "The referral is already on this pathway"})
    if Referral.objects.filter(service=to_service, reference=referral.reference).exists():
        raise ValidationError({"to_service": f"{to_service.name} already has a referral {referral.reference}"})
    _not_future(on, "the date of the move", "on")
    if on < referral.referred_on:
        raise ValidationError({"on": "The move cannot be before the referral"})
    before = snapshot(referral, AUDITED)
    old = referral.service
    referral.service = to_service
    return _save(referral, actor=actor, before=before, kind=EventKind.TRANSFERRED, on=on, note=(note or "").strip(),
                 from_service=old, to_service=to_service, request=request,
                 summary=f"Moved referral {referral.reference} from {old.name} to {to_service.name}, clock kept")


# --------------------------------------------------------------------------- importing a provider's list

IMPORT_COLUMNS = ("referral_id", "service", "priority", "referred_on", "seen_on", "removed_on", "nhs_number")


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    waiting: int = 0
    errors: list[RowError] = field(default_factory=list)
    refused: str = ""  # a reason that concerns the whole file

    @property
    def ok(self) -> bool:
        return not self.errors and not self.refused


class ImportRefused(Exception):
    def __init__(self, result: ImportResult):
        super().__init__(result.refused or f"{len(result.errors)} problems")
        self.result = result


def _date(text: str, line: int, column: str, errors: list[RowError], *, required: bool) -> date | None:
    text = (text or "").strip()
    if not text:
        if required:
            errors.append(RowError(line, column, "Enter a date, like 2026-03-31"))
        return None
    try:
        value = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        value = None
    if value is None:
        errors.append(RowError(line, column, f"'{text}' is not a real date written like 2026-03-31"))
        return None
    if value > _today():
        errors.append(RowError(line, column, f"{value:%-d %B %Y} is in the future"))
        return None
    return value


def _match_service(text: str, services: list[HealthService]) -> HealthService | None | str:
    """By the service's kind (e.g. speech_language), its name or its pathway; a string says why not."""
    wanted = text.strip().casefold()
    for attr in ("name", "pathway"):
        found = [s for s in services if getattr(s, attr) and getattr(s, attr).casefold() == wanted]
        if len(found) == 1:
            return found[0]
    found = [s for s in services if s.kind == wanted]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return f"'{text}' matches {len(found)} lists of this provider: use the list's name"
    return None


def import_list(*, actor, provider: Organisation, content: bytes, filename: str, request=None) -> ImportResult:
    """Load a provider's existing list from CSV: every row is checked, and nothing is saved unless all are valid.

    The same file (by content) is refused a second time; a row whose referral is already on the list is an
    error, so importing an overlapping file cannot create duplicates.
    """
    result = ImportResult()
    if len(content) > MAX_IMPORT_BYTES:
        result.refused = "The file is larger than 10MB: split it into smaller files"
        raise ImportRefused(result)
    digest = hashlib.sha256(content).hexdigest()
    earlier = ListImport.objects.filter(provider=provider, sha256=digest).select_related("imported_by").first()
    if earlier is not None:
        result.refused = (f"This file was already imported on {timezone.localtime(earlier.imported_at):%-d %B %Y} "
                          f"by {earlier.imported_by.full_name} ({earlier.rows} rows). Nothing was imported again.")
        raise ImportRefused(result)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.refused = "The file is not UTF-8 text: save it from your spreadsheet as 'CSV UTF-8'"
        raise ImportRefused(result) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        result.refused = "The file is empty"
        raise ImportRefused(result) from None
    except csv.Error as exc:
        result.refused = f"The file cannot be read as CSV ({exc})"
        raise ImportRefused(result) from None
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        result.refused = f"The first row must name the columns; missing: {', '.join(missing)}"
        raise ImportRefused(result)
    col = {name: header.index(name) for name in header}
    services = list(HealthService.objects.filter(provider=provider))
    parsed: list[dict] = []
    seen_refs: dict[tuple[int, str], int] = {}
    errors = result.errors
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(parsed) + len(errors) >= MAX_IMPORT_ROWS:
                result.refused = f"The file has more than {MAX_IMPORT_ROWS:,} rows: split it into smaller files"
                raise ImportRefused(result)
            if len(row) != len(header):
                errors.append(RowError(line, "", f"Expected {len(header)} values like the first row, found {len(row)}"))
                continue
            value = {name: row[i].strip() for name, i in col.items()}
            before = len(errors)
            reference = value["referral_id"]
            if not reference:
                errors.append(RowError(line, "referral_id", "Enter the referral reference"))
            elif len(reference) > 40:
                errors.append(RowError(line, "referral_id", "The reference must be 40 characters or fewer"))
            service = _match_service(value["service"], services) if value["service"] else None
            if isinstance(service, str):
                errors.append(RowError(line, "service", service))
                service = None
            elif service is None:
                errors.append(RowError(line, "service", f"'{value['service']}' is not one of {provider.name}'s lists"
                                       if value["service"] else "Enter the service or pathway"))
            if value["priority"].lower() not in Priority.values:
                errors.append(RowError(line, "priority", f"'{value['priority']}' is not urgent or routine"))
            referred = _date(value["referred_on"], line, "referred_on", errors, required=True)
            seen = _date(value["seen_on"], line, "seen_on", errors, required=False)
            removed = _date(value["removed_on"], line, "removed_on", errors, required=False)
            if referred and seen and seen < referred:
                errors.append(RowError(line, "seen_on", "The first appointment is before the referral"))
            if referred and removed and removed < referred:
                errors.append(RowError(line, "removed_on", "The removal is before the referral"))
            if seen and removed:
                errors.append(RowError(line, "removed_on", "A referral is either seen or removed, not both"))
            try:
                nhs = normalise_nhs_number(value["nhs_number"])
            except IdentifierError as exc:
                errors.append(RowError(line, "nhs_number", str(exc)))
                nhs = None
            if service is not None and reference:
                key = (service.pk, reference)
                if key in seen_refs:
                    errors.append(RowError(line, "referral_id", f"{reference} is also on line {seen_refs[key]}"))
                else:
                    seen_refs[key] = line
            if len(errors) == before:
                parsed.append({"line": line, "reference": reference, "service": service, "nhs": nhs,
                               "priority": value["priority"].lower(), "referred_on": referred, "seen_on": seen,
                               "removed_on": removed,
                               "removal_reason": (value.get("removal_reason") or "")[:200]})
    except csv.Error as exc:
        result.refused = f"Line {reader.line_num} cannot be read as CSV ({exc})"
        raise ImportRefused(result) from None
    if not parsed and not errors:
        result.refused = "The file has no rows under the column names"
        raise ImportRefused(result)

    children = Child.objects.filter(nhs_number__in={p["nhs"] for p in parsed})
    if provider.local_authority_id:
        children = children.filter(local_authority_id=provider.local_authority_id)
    child_by_nhs, ambiguous = {}, set()
    for c in children:  # NHS numbers are unique per council: a provider with no area may match two councils' children
        if c.nhs_number in child_by_nhs:
            ambiguous.add(c.nhs_number)
        child_by_nhs[c.nhs_number] = c
    for nhs in ambiguous:
        del child_by_nhs[nhs]
    existing = set(Referral.objects.filter(service__in=services, reference__in={p["reference"] for p in parsed})
                   .values_list("service_id", "reference"))
    for p in parsed:
        if p["nhs"] in ambiguous:
            errors.append(RowError(p["line"], "nhs_number", "More than one council has recorded a child with this "
                                                              "NHS number: ask the council's SEND team"))
        elif p["nhs"] not in child_by_nhs:
            errors.append(RowError(p["line"], "nhs_number", "No child with this NHS number is recorded in the area: "
                                                              "add the child first"))
        if (p["service"].pk, p["reference"]) in existing:
            errors.append(RowError(p["line"], "referral_id", f"{p['reference']} is already on {p['service'].name}"))
    if errors:
        errors.sort(key=lambda e: (e.line, IMPORT_COLUMNS.index(e.column) if e.column in IMPORT_COLUMNS else -1))
        raise ImportRefused(result)

    try:
        with transaction.atomic():
            ListImport.objects.create(provider=provider, sha256=digest, filename=filename[:200], rows=len(parsed),
                                      imported_by=actor)
            referrals = Referral.objects.bulk_create([
                Referral(child=child_by_nhs[p["nhs"]], service=p["service"], reference=p["reference"],
                         priority=p["priority"], referred_on=p["referred_on"], received_on=p["referred_on"],
                         seen_on=p["seen_on"], removed_on=p["removed_on"],
                         removal_reason=(p["removal_reason"] or "Removed before the list was imported")
                         if p["removed_on"] else "")
                for p in parsed], batch_size=1000)
            if any(r.pk is None for r in referrals):  # backends that do not return ids on bulk insert
                keys = {(r.service_id, r.reference) for r in referrals}
                ids = {(s, ref): pk for pk, s, ref in Referral.objects.filter(service__in=services).values_list(
                    "pk", "service_id", "reference") if (s, ref) in keys}
                for r in referrals:
                    r.pk = r.id = ids[(r.service_id, r.reference)]
            _import_events(referrals, actor, filename, request)
    except IntegrityError:
        result.refused = "This file, or a referral in it, was imported by someone else at the same moment. Nothing " \
                         "was imported: check the list and try again."
        raise ImportRefused(result) from None
    result.rows = len(referrals)
    result.waiting = sum(1 for r in referrals if r.waiting)
    return result


def _import_events(referrals: list[Referral], actor, filename: str, request) -> None:
    events, audits = [], []
    label, channel = _label(actor), channel_of(request)
    path = request.get_full_path()[:300] if request is not None else ""
    for r in referrals:
        events.append(ReferralEvent(referral=r, kind=EventKind.IMPORTED, date=r.referred_on, priority=r.priority,
                                    note=f"From {filename}", recorded_by=actor))
        if r.seen_on:
            events.append(ReferralEvent(referral=r, kind=EventKind.FIRST_APPOINTMENT, date=r.seen_on,
                                        priority=r.priority, note="Imported", recorded_by=actor))
        if r.removed_on:
            events.append(ReferralEvent(referral=r, kind=EventKind.REMOVED, date=r.removed_on, priority=r.priority,
                                        note=r.removal_reason, recorded_by=actor))
        audits.append(AuditEvent(actor=actor, actor_label=label, actor_role=actor.role, action=AuditAction.CREATE,
                                 channel=channel, object_type=Referral._meta.label, object_id=str(r.pk),
                                 child_id=r.child_id, summary=f"Imported referral {r.reference} from {filename}"[:300],
                                 changes={}, path=path))
    ReferralEvent.objects.bulk_create(events, batch_size=1000)
    AuditEvent.objects.bulk_create(audits, batch_size=1000)


SERVICE_FIELDS = ["kind", "name", "pathway", "standard_weeks", "standard", "while_waiting", "if_worse", "clinicians"]


def _check_service(values: dict) -> dict:
    from sendhub.organisations.models import HealthServiceKind

    errors = {}
    if values.get("kind") not in HealthServiceKind.values:
        errors["kind"] = "Select the kind of service"
    if not (values.get("name") or "").strip():
        errors["name"] = "Enter the name of the waiting list"
    weeks = values.get("standard_weeks")
    if weeks is not None and not 1 <= weeks <= 520:
        errors["standard_weeks"] = "The standard must be between 1 and 520 weeks"
    clinicians = values.get("clinicians")
    if clinicians is not None and not 0 < clinicians <= 1000:
        errors["clinicians"] = "Clinicians must be more than 0 and no more than 1,000"
    if errors:
        raise ValidationError(errors)
    return {name: (values.get(name).strip() if isinstance(values.get(name), str) else values.get(name))
            for name in SERVICE_FIELDS}


def save_service(*, actor, provider: Organisation, service: HealthService | None, values: dict,
                 expected_version: int | None = None, request=None) -> HealthService:
    """Add a waiting list (a service or a pathway) for the provider, or change one: its national standard,
    what it offers while families wait, who to contact if things get worse, and its clinicians."""
    clean = _check_service(values)
    with transaction.atomic():
        try:
            with transaction.atomic():
                if service is None:
                    service = HealthService.objects.create(provider=provider, **clean)
                    action, before = AuditAction.CREATE, None
                else:
                    before = snapshot(service, SERVICE_FIELDS)
                    updated = HealthService.objects.filter(pk=service.pk, provider=provider,
                                                           version=expected_version).update(**clean, version=F("version") + 1)
                    if not updated:
                        raise ValidationError("Someone else changed this list's details after you opened it. Nothing "
                                              "has been saved: your changes are shown so you can make them again.")
                    service.refresh_from_db()
                    action = AuditAction.UPDATE
        except IntegrityError as error:
            raise ValidationError({"name": "This provider already has a list of that kind with that name"}) from error
        record_change(actor=actor, action=action, obj=service, before=before, after=snapshot(service, SERVICE_FIELDS),
                      summary=f"{'Added' if action == AuditAction.CREATE else 'Changed'} the waiting list {service.name}",
                      request=request)
        return service
