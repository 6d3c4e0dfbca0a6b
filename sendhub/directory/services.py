"""Every change to the local offer happens here, inside a transaction.

An entry's content travels as one plain dict (see `clean_content`): the edit form builds it, a draft
stores it, publication applies it to the live `Service` rows and keeps a copy in `PublishedVersion`,
and the importers build the same dict from an Open Referral feed. Directory entries are not personal
records, so auditing is light: one audit row per publication, return or confirmation.
"""

import re
import uuid
from datetime import date, time

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change

from . import postcodes
from .models import (
    OPEN_STATES, DirectoryOrganisation, EntryDraft, EntryState, LocationType, PublishedVersion, PublishSource,
    Schedule, Service, ServiceLocation, ServiceStatus, TaxonomyTerm,
)
from .taxonomy import CATEGORY_NAMES, NEED_NAMES, term_id
from .weblinks import web_address_problem

DAY_CODES = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
OLDEST = 120


class ConcurrentEditError(Exception):
    """Someone else changed the entry or draft after this person opened it."""


CONCURRENT_MESSAGE = ("Someone else changed this entry after you opened it. Your changes have not been saved: "
                      "check the entry as it is now and make them again.")


def _text(raw: dict, key: str, limit: int | None = None) -> str:
    value = raw.get(key)
    value = "" if value is None else str(value).strip()
    return value[:limit] if limit else value


def _age(value, label: str, errors: dict, key: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[key] = f"{label} must be a number of years, like 5"
        return None
    if number != int(number) and number > 0:
        number = int(number)  # HSDS allows fractions of a year; the directory works in whole years
    if not 0 <= number <= OLDEST:
        errors[key] = f"{label} must be between 0 and {OLDEST}"
        return None
    return int(number)


def _time(value, label: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value.strftime("%H:%M")
    match = re.match(r"^(\d{1,2}):(\d{2})(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$", str(value).strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"{label} must be a time like 09:30")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _uuid(value) -> str | None:
    if value in (None, ""):
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def clean_content(raw: dict, *, strict_places: bool = True) -> dict:
    """Check an entry's content; return it tidied, or raise one ValidationError naming every problem.

    Imports pass strict_places=False: another directory's postcode that is not in the UK format, or
    coordinates off the map, are kept as text or dropped rather than refusing the whole service."""
    errors: dict[str, str] = {}
    content: dict = {}
    content["name"] = " ".join(_text(raw, "name").split())
    if not content["name"]:
        errors["name"] = "Enter the name of the service"
    elif len(content["name"]) > 200:
        errors["name"] = "Name must be 200 characters or fewer"
    content["description"] = _text(raw, "description")
    if not content["description"]:
        errors["description"] = "Enter what the service does"
    for key in ("easy_read", "how_to_access", "eligibility", "while_waiting", "cost_description"):
        content[key] = _text(raw, key)
    content["category"] = _text(raw, "category")
    if content["category"] not in CATEGORY_NAMES:
        errors["category"] = "Select what kind of service it is"
    needs = raw.get("needs") or []
    content["needs"] = sorted({str(n) for n in needs})
    if not content["needs"]:
        errors["needs"] = "Select the needs the service supports, or 'Any need or disability'"
    elif any(n not in NEED_NAMES for n in content["needs"]):
        errors["needs"] = "Select needs from the list"
    content["minimum_age"] = _age(raw.get("minimum_age"), "Youngest age", errors, "minimum_age")
    content["maximum_age"] = _age(raw.get("maximum_age"), "Oldest age", errors, "maximum_age")
    if (content["minimum_age"] is not None and content["maximum_age"] is not None
            and content["minimum_age"] > content["maximum_age"]):
        errors["maximum_age"] = "Oldest age must be the same as or more than the youngest age"
    content["self_referral"] = bool(raw.get("self_referral"))
    if not content["how_to_access"]:
        errors["how_to_access"] = "Say how families get the service: who can refer, or how to ask for it"
    content["is_free"] = bool(raw.get("is_free"))
    if not content["is_free"] and not content["cost_description"]:
        errors["cost_description"] = "Say what the service costs, or say it is free"
    content["status"] = _text(raw, "status") or ServiceStatus.ACTIVE
    if content["status"] not in ServiceStatus.values:
        errors["status"] = "Select whether the service is running"
    content["url"] = _text(raw, "url", 500)
    if web_address_problem(content["url"]):
        errors["url"] = web_address_problem(content["url"])
    content["email"] = _text(raw, "email").lower()
    if content["email"]:
        try:
            EmailValidator()(content["email"])
        except ValidationError:
            errors["email"] = "Enter an email address like name@example.org"
    content["phone"] = _text(raw, "phone")
    if content["phone"] and not PHONE.match(content["phone"]):
        errors["phone"] = "Enter a telephone number, like 01632 960 001"
    content["contact_name"] = _text(raw, "contact_name", 200)
    if not (content["phone"] or content["email"] or content["url"]) and "phone" not in errors:
        errors["phone"] = "Give at least one way to contact the service: a telephone number, email or website"

    content["locations"] = []
    for index, place in enumerate(raw.get("locations") or [], start=1):
        kind = _text(place, "location_type") or LocationType.PHYSICAL
        location = {"location_type": kind, "name": _text(place, "name", 200), "address_1": _text(place, "address_1", 200),
                    "city": _text(place, "city", 100), "postcode": _text(place, "postcode").upper(),
                    "accessibility": _text(place, "accessibility"),
                    "sal_id": _uuid(place.get("sal_id")), "location_id": _uuid(place.get("location_id")),
                    "latitude": place.get("latitude"), "longitude": place.get("longitude")}
        if kind not in LocationType.values:
            errors[f"locations-{index}"] = f"Place {index}: select a kind of place"
        elif kind == LocationType.PHYSICAL:
            if not location["address_1"] or not location["postcode"]:
                errors[f"locations-{index}"] = f"Place {index}: enter the address and postcode"
            else:
                try:
                    outward = postcodes.outward_code(location["postcode"])
                except postcodes.UnknownPostcode:
                    if strict_places:
                        errors[f"locations-{index}"] = f"Place {index}: enter a real postcode, like HD1 2AB"
                else:
                    if location["latitude"] in (None, "") or location["longitude"] in (None, ""):
                        place_point = postcodes.districts().get(outward)
                        location["latitude"] = place_point.latitude if place_point else None
                        location["longitude"] = place_point.longitude if place_point else None
        for key, limit in (("latitude", 90), ("longitude", 180)):
            try:
                location[key] = None if location[key] in (None, "") else float(location[key])
            except (TypeError, ValueError):
                errors[f"locations-{index}"] = f"Place {index}: latitude and longitude must be numbers"
                continue
            if location[key] is not None and not -limit <= location[key] <= limit:
                if strict_places:
                    errors[f"locations-{index}"] = f"Place {index}: the {key} is off the map"
                location["latitude"] = location["longitude"] = None
        content["locations"].append(location)

    content["schedules"] = []
    for index, when in enumerate(raw.get("schedules") or [], start=1):
        days = [d.strip().upper() for d in re.split(r"[,\s]+", _text(when, "byday")) if d.strip()]
        schedule = {"byday": ",".join(days), "description": _text(when, "description"), "id": _uuid(when.get("id"))}
        try:
            schedule["opens_at"] = _time(when.get("opens_at"), "Opening time")
            schedule["closes_at"] = _time(when.get("closes_at"), "Closing time")
        except ValueError as error:
            errors[f"schedules-{index}"] = f"Time {index}: {error}"
            continue
        if any(d[-2:] not in DAY_CODES for d in days):
            errors[f"schedules-{index}"] = f"Time {index}: select days of the week"
        elif not days and not schedule["description"]:
            errors[f"schedules-{index}"] = f"Time {index}: select the days, or describe when it runs"
        elif schedule["opens_at"] and schedule["closes_at"] and schedule["opens_at"] >= schedule["closes_at"]:
            errors[f"schedules-{index}"] = f"Time {index}: the closing time must be after the opening time"
        content["schedules"].append(schedule)

    # Kept from an import: other directories' taxonomy terms and when the entry was last checked.
    content["extra_terms"] = sorted({t for t in (raw.get("extra_terms") or []) if _uuid(t)})
    checked = raw.get("last_checked")
    if checked:
        try:
            content["last_checked"] = date.fromisoformat(str(checked)[:10]).isoformat()
        except ValueError:
            errors["last_checked"] = "The date it was last checked must be a date, like 2026-04-01"
    if errors:
        raise ValidationError(errors)
    return content


def content_of(service: Service) -> dict:
    """A published service as the content dict a draft starts from."""
    terms = list(service.terms.all())
    categories = [t.code for t in terms if t.taxonomy_id and t.id == term_id("category", t.code)]
    needs = [t.code for t in terms if t.taxonomy_id and t.id == term_id("need", t.code)]
    ours = {term_id("category", c) for c in categories} | {term_id("need", n) for n in needs}
    return {
        "name": service.name, "description": service.description, "easy_read": service.easy_read,
        "category": max(categories, key=len) if categories else "", "needs": sorted(needs),
        "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
        "self_referral": service.self_referral, "how_to_access": service.how_to_access,
        "eligibility": service.eligibility, "is_free": service.is_free, "cost_description": service.cost_description,
        "while_waiting": service.while_waiting, "status": service.status, "url": service.url, "email": service.email,
        "phone": service.phone, "contact_name": service.contact_name,
        "locations": [{"location_type": loc.location_type, "name": loc.name, "address_1": loc.address_1,
                       "city": loc.city, "postcode": loc.postcode, "accessibility": loc.accessibility,
                       "sal_id": str(loc.sal_id), "location_id": str(loc.location_id),
                       "latitude": loc.latitude, "longitude": loc.longitude} for loc in service.locations.all()],
        "schedules": [{"byday": s.byday, "description": s.description, "id": str(s.id),
                       "opens_at": s.opens_at.strftime("%H:%M") if s.opens_at else None,
                       "closes_at": s.closes_at.strftime("%H:%M") if s.closes_at else None}
                      for s in service.schedules.all()],
        "extra_terms": sorted(str(t.id) for t in terms if t.id not in ours),
        "last_checked": service.last_checked.isoformat(),
    }


def _apply(service: Service, content: dict, *, checked_on: date) -> Service:
    """Write content onto the live rows of a service (already locked or new)."""
    for key in ("name", "description", "easy_read", "minimum_age", "maximum_age", "self_referral", "how_to_access",
                "eligibility", "is_free", "cost_description", "while_waiting", "status", "url", "email", "phone",
                "contact_name"):
        setattr(service, key, content[key])
    service.last_checked = checked_on
    service.last_modified = timezone.now()
    service.save()
    category = content["category"]
    term_ids = {term_id("category", category)} | {term_id("need", n) for n in content["needs"]}
    if "." in category:
        term_ids.add(term_id("category", category.split(".")[0]))
    term_ids |= {uuid.UUID(t) for t in content.get("extra_terms", [])}
    service.terms.set(TaxonomyTerm.objects.filter(id__in=term_ids))
    service.locations.all().delete()
    ServiceLocation.objects.bulk_create([ServiceLocation(
        service=service, sal_id=loc.get("sal_id") or uuid.uuid4(), location_id=loc.get("location_id") or uuid.uuid4(),
        location_type=loc["location_type"], name=loc["name"], address_1=loc["address_1"], city=loc["city"],
        postcode=loc["postcode"], accessibility=loc["accessibility"], latitude=loc["latitude"],
        longitude=loc["longitude"]) for loc in content["locations"]])
    service.schedules.all().delete()
    Schedule.objects.bulk_create([Schedule(
        service=service, id=s.get("id") or uuid.uuid4(), byday=s["byday"], description=s["description"],
        opens_at=time.fromisoformat(s["opens_at"]) if s["opens_at"] else None,
        closes_at=time.fromisoformat(s["closes_at"]) if s["closes_at"] else None) for s in content["schedules"]])
    return service


def _publish(*, service: Service, content: dict, source: str, actor, draft=None, checked_on: date) -> PublishedVersion:
    _apply(service, content, checked_on=checked_on)
    snapshot = dict(content, last_checked=checked_on.isoformat())
    return PublishedVersion.objects.create(service=service, number=service.version, content=snapshot, source=source,
                                           draft=draft, published_by=actor if getattr(actor, "pk", None) else None)


def organisation_for(partner) -> DirectoryOrganisation:
    """The directory organisation of a partner organisation, made on first use."""
    organisation, _ = DirectoryOrganisation.objects.get_or_create(
        partner=partner, defaults={"name": partner.name, "email": partner.email or "",
                                   "description": partner.get_kind_display() + f" in the {partner.local_authority or partner} area"})
    return organisation


def organisation_named(*, name: str) -> DirectoryOrganisation:
    """An organisation with no staff here (a charity, the parent carer forum), kept by the local offer team."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"new_organisation": "Enter the organisation's name"})
    with transaction.atomic():
        existing = DirectoryOrganisation.objects.filter(partner__isnull=True, name__iexact=name).first()
        return existing or DirectoryOrganisation.objects.create(name=name[:200])


def blank_content() -> dict:
    return {"name": "", "description": "", "category": "", "needs": [], "status": ServiceStatus.ACTIVE,
            "is_free": True, "self_referral": False, "locations": [], "schedules": []}


def start_draft(*, actor, organisation: DirectoryOrganisation, service: Service | None = None) -> EntryDraft:
    """Open a draft of a new entry, or of a published one (returning its open draft if it has one)."""
    with transaction.atomic():
        if service is not None:
            service = Service.objects.select_for_update().get(pk=service.pk)
            existing = service.drafts.filter(state__in=OPEN_STATES).first()
            if existing is not None:
                return existing
            content = content_of(service)
        else:
            content = blank_content()
        return EntryDraft.objects.create(service=service, organisation=organisation, content=content,
                                         base_version=service.version if service else 0, created_by=actor)


def _guarded_update(draft: EntryDraft, expected_version: int, allowed: set, **values) -> EntryDraft:
    if draft.state not in allowed:
        raise ValidationError(f"This entry is {draft.get_state_display().lower()}: it cannot be changed now")
    updated = EntryDraft.objects.filter(pk=draft.pk, version=expected_version, state__in=allowed).update(
        version=F("version") + 1, updated_at=timezone.now(), **values)
    if not updated:
        raise ConcurrentEditError(CONCURRENT_MESSAGE)
    return EntryDraft.objects.get(pk=draft.pk)


def save_draft(*, actor, draft: EntryDraft, raw: dict, expected_version: int) -> EntryDraft:
    """Save the provider's changes; a draft waiting for review goes back to being a draft."""
    content = clean_content(raw)
    if draft.content.get("extra_terms") and "extra_terms" not in raw:
        content["extra_terms"] = draft.content["extra_terms"]
    if draft.content.get("last_checked"):
        content["last_checked"] = draft.content["last_checked"]
    with transaction.atomic():
        return _guarded_update(draft, expected_version, {EntryState.DRAFT, EntryState.RETURNED, EntryState.SUBMITTED},
                               content=content, state=EntryState.DRAFT)


def submit_draft(*, actor, draft: EntryDraft, expected_version: int) -> EntryDraft:
    clean_content(draft.content)  # a draft saved by an older form must still be complete
    with transaction.atomic():
        return _guarded_update(draft, expected_version, {EntryState.DRAFT, EntryState.RETURNED},
                               state=EntryState.SUBMITTED, submitted_at=timezone.now())


def return_draft(*, actor, draft: EntryDraft, note: str, expected_version: int, request=None) -> EntryDraft:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what the provider needs to change"})
    with transaction.atomic():
        fresh = _guarded_update(draft, expected_version, {EntryState.SUBMITTED}, state=EntryState.RETURNED,
                                review_note=note, reviewed_by=actor, reviewed_at=timezone.now())
        record_change(actor=actor, action=AuditAction.UPDATE, obj=fresh, summary="Returned a local offer entry for changes",
                      after={"state": fresh.state}, request=request)
        return fresh


def publish_draft(*, actor, draft: EntryDraft, expected_version: int, request=None) -> Service:
    """The local offer team publishes a submitted draft. If the entry was published again since the
    draft began (an import, another draft), nothing is overwritten: the draft must be checked again."""
    content = clean_content(draft.content)
    today = timezone.localdate()
    with transaction.atomic():
        if draft.service_id:
            service = Service.objects.select_for_update().get(pk=draft.service_id)
            if service.version != draft.base_version:
                raise ConcurrentEditError(
                    "The published entry changed after this draft was started. Nothing has been published: "
                    "return the draft so the provider can check it against the entry as it is now.")
            service.version += 1
        else:
            service = Service(organisation=draft.organisation, version=1)
        fresh = _guarded_update(draft, expected_version, {EntryState.SUBMITTED}, state=EntryState.PUBLISHED,
                                reviewed_by=actor, reviewed_at=timezone.now(), review_note="")
        _publish(service=service, content=content, source=PublishSource.REVIEW, actor=actor, draft=fresh,
                 checked_on=today)
        if fresh.service_id is None:
            EntryDraft.objects.filter(pk=fresh.pk).update(service=service)
        record_change(actor=actor, action=AuditAction.UPDATE if draft.service_id else AuditAction.CREATE, obj=service,
                      summary=f"Published version {service.version} of a local offer entry",
                      after={"version": service.version}, request=request)
        return service


def withdraw_draft(*, actor, draft: EntryDraft, expected_version: int) -> EntryDraft:
    """The provider throws a draft away; the published entry, if any, is untouched."""
    with transaction.atomic():
        return _guarded_update(draft, expected_version, set(OPEN_STATES), state=EntryState.WITHDRAWN)


def confirm_still_correct(*, actor, service: Service, expected_version: int, request=None) -> Service:
    """The owner says a published entry is still right: it is checked today, with no other change."""
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if locked.version != expected_version:
            raise ConcurrentEditError(CONCURRENT_MESSAGE)
        locked.version += 1
        _publish(service=locked, content=content_of(locked), source=PublishSource.CONFIRMED, actor=actor,
                 checked_on=timezone.localdate())
        record_change(actor=actor, action=AuditAction.UPDATE, obj=locked, summary="Confirmed a local offer entry is still correct",
                      after={"last_checked": locked.last_checked.isoformat()}, request=request)
        return locked


def import_services(*, actor, rows: list[dict], checked_on: date | None = None) -> list[Service]:
    """Publish already-checked imported rows in one transaction: all of them or none.

    Each row: {"content": clean content, "id": service uuid, "organisation": {...}, "terms": [...],
    "taxonomies": [...]} as built by `sendhub.directory.importer`.
    """
    from .models import Taxonomy

    today = checked_on or timezone.localdate()
    published = []
    try:
        with transaction.atomic():
            for row in rows:
                for taxonomy in row.get("taxonomies", []):
                    Taxonomy.objects.get_or_create(id=taxonomy["id"], defaults={
                        k: taxonomy[k] for k in ("name", "description", "uri", "version") if taxonomy.get(k)})
                for term in row.get("terms", []):
                    TaxonomyTerm.objects.get_or_create(id=term["id"], defaults={
                        "name": term["name"], "description": term.get("description", ""),
                        "taxonomy_id": term.get("taxonomy_id"), "term_uri": term.get("term_uri", "")})
                org = row["organisation"]
                organisation, _ = DirectoryOrganisation.objects.update_or_create(id=org["id"], defaults={
                    k: org.get(k, "") for k in ("name", "description", "email", "website")})
                service = Service.objects.select_for_update().filter(pk=row["id"]).first()
                if service is None:
                    service = Service(id=row["id"], organisation=organisation, version=1)
                else:
                    service.organisation = organisation
                    service.version += 1
                checked = row["content"].get("last_checked")
                _publish(service=service, content=row["content"], source=PublishSource.IMPORT, actor=actor,
                         checked_on=date.fromisoformat(checked) if checked else today)
                published.append(service)
            if published:
                record_change(actor=actor, action=AuditAction.CREATE, obj=published[0],
                              summary=f"Imported {len(published)} local offer entries", after={"count": len(published)})
    except IntegrityError as error:
        raise ValidationError(f"The feed clashes with entries already here, so nothing was loaded ({error})") from error
    return published


STALE_REMINDER_EVERY = 30  # days between reminders while an entry stays unchecked


def remind_stale_owners(*, today: date | None = None) -> int:
    """Tell each partner which of its entries have not been checked for 12 months, again every 30 days
    until they are; entries with no partner organisation go to the local offer team. Returns how many
    people were told."""
    from collections import defaultdict
    from datetime import timedelta

    from django.db.models import Q

    from sendhub.accounts.models import STAFF_ROLES, User
    from sendhub.messaging.services import notify

    from .models import STALE_AFTER, Service, ServiceStatus
    from .rules import LOCAL_OFFER_TEAM_ROLES

    today = today or timezone.localdate()
    due = list(Service.objects.filter(status=ServiceStatus.ACTIVE, last_checked__lt=today - STALE_AFTER)
               .filter(Q(stale_reminded_on__isnull=True)
                       | Q(stale_reminded_on__lte=today - timedelta(days=STALE_REMINDER_EVERY)))
               .select_related("organisation").order_by("name"))
    by_partner: dict[int | None, list] = defaultdict(list)
    for service in due:
        by_partner[service.organisation.partner_id].append(service)
    staff: dict[int, list] = defaultdict(list)
    for user in User.objects.filter(organisation_id__in=[p for p in by_partner if p], role__in=STAFF_ROLES,
                                    is_active=True):
        staff[user.organisation_id].append(user)
    team = list(User.objects.filter(role__in=LOCAL_OFFER_TEAM_ROLES, organisation__kind="local_authority",
                                    is_active=True))
    told = set()
    with transaction.atomic():
        for partner_id, services in by_partner.items():
            people = staff.get(partner_id) or team
            names = ", ".join(s.name for s in services[:10]) + (f" and {len(services) - 10} more" if len(services) > 10 else "")
            notify(recipients=people, subject="Local offer entries to check",
                   link="/local-offer/entries/",
                   body=f"{len(services)} local offer entr{'y has' if len(services) == 1 else 'ies have'} not been "
                        f"checked for 12 months: {names}. Families rely on them: open each, and confirm it is still "
                        "right or change it.")
            told.update(person.pk for person in people)
        Service.objects.filter(pk__in=[s.pk for s in due]).update(stale_reminded_on=today)
    return len(told)
