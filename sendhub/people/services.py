"""Every change to a child's record happens here: validated, in one transaction, audited."""

from dataclasses import asdict, dataclass, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change, snapshot
from sendhub.core.identifiers import IdentifierError, normalise_nhs_number, normalise_upn
from sendhub.sen2.checks import POSTCODE
from sendhub.sen2.spec import SEN_SETTINGS, SEXES
from sendhub.core.schoolyear import age_on
from sendhub.organisations.models import Organisation, OrganisationKind

from .models import Child, Involvement, Need, SharingConsent
from .selectors import AGE_OF_OWN_CONSENT

OLDEST_AGE = 25  # the SEND system covers 0 to 25


class ConcurrentEditError(Exception):
    """Someone else saved the record after this person opened it."""


@dataclass(frozen=True, kw_only=True)
class ChildDetails:
    given_name: str
    family_name: str
    date_of_birth: date
    local_authority_id: int
    preferred_name: str = ""
    nhs_number: str = ""
    upn: str = ""
    primary_need: str = ""
    secondary_need: str = ""
    setting_id: int | None = None
    child_in_need: bool = False
    looked_after: bool = False
    child_protection: bool = False
    # What the SEN2 return reports about the person (sendhub.sen2)
    sex: str = ""
    ethnicity: str = ""
    postcode: str = ""
    sen_setting: str = ""


AUDITED_FIELDS = [f.name.removesuffix("_id") for f in fields(ChildDetails)]


def clean_child_details(details: ChildDetails, *, existing: Child | None = None, today: date | None = None) -> dict:
    """Check everything before anything is saved; raise one ValidationError naming every bad field."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    values = asdict(details)
    for name in ("given_name", "family_name", "preferred_name"):
        values[name] = " ".join((values[name] or "").split())
    if not values["given_name"]:
        errors["given_name"] = "Enter the child's first name"
    if not values["family_name"]:
        errors["family_name"] = "Enter the child's last name"
    dob = values["date_of_birth"]
    if dob is None:
        errors["date_of_birth"] = "Enter the child's date of birth"
    elif dob > today:
        errors["date_of_birth"] = "Date of birth must be today or in the past"
    elif age_on(dob, today) > OLDEST_AGE:
        errors["date_of_birth"] = f"The child or young person must be {OLDEST_AGE} or under"
    for name, normalise in (("nhs_number", normalise_nhs_number), ("upn", normalise_upn)):
        if values[name]:
            try:
                values[name] = normalise(values[name])
            except IdentifierError as error:
                errors[name] = str(error)
        else:
            values[name] = None
    for name in ("primary_need", "secondary_need"):
        if values[name] and values[name] not in Need.values:
            errors[name] = "Select a need from the list"
    if values["secondary_need"] and values["secondary_need"] == values["primary_need"]:
        errors["secondary_need"] = "Secondary need must be different from the primary need"
    values["postcode"] = " ".join((values["postcode"] or "").upper().split())
    if values["postcode"] and " " not in values["postcode"] and len(values["postcode"]) > 4:
        values["postcode"] = values["postcode"][:-3] + " " + values["postcode"][-3:]
    if values["postcode"] and not POSTCODE.match(values["postcode"]):
        errors["postcode"] = "Enter a real postcode, like HD1 2AB"
    values["ethnicity"] = (values["ethnicity"] or "").strip().upper()
    if values["ethnicity"] and not (values["ethnicity"].isalpha() and len(values["ethnicity"]) == 4):
        errors["ethnicity"] = "Ethnicity must be a 4-letter DfE code, like WBRI"
    if values["sex"] and values["sex"] not in SEXES:
        errors["sex"] = "Select sex from the list"
    if values["sen_setting"] and values["sen_setting"] not in SEN_SETTINGS:
        errors["sen_setting"] = "Select a setting code from the list"
    elif values["sen_setting"] and values["setting_id"] is not None:
        errors["sen_setting"] = "Choose a school or setting, or a setting code when there is none: not both"
    if not Organisation.objects.filter(pk=values["local_authority_id"], kind=OrganisationKind.LOCAL_AUTHORITY).exists():
        errors["local_authority"] = "Select the responsible local authority"
    if values["setting_id"] is not None and not Organisation.objects.filter(
        Q(kind=OrganisationKind.SCHOOL) | Q(ukprn__isnull=False), pk=values["setting_id"]  # a college or provider by UKPRN
    ).exists():
        errors["setting"] = "Select a school or setting from the list"
    if not errors:
        errors.update(_duplicates(values, existing))
    if errors:
        raise ValidationError(errors)
    return values


def _duplicates(values: dict, existing: Child | None) -> dict[str, str]:
    """Is the child already recorded? Only among the council's own children (the child's council, which the
    web page and the API set to the caseworker's own): the answer must say nothing about another council's
    children, so the same NHS number or name there is not a duplicate here (the database's unique constraints
    are per council too)."""
    council = Child.objects.filter(local_authority_id=values["local_authority_id"])
    others = council.exclude(pk=existing.pk) if existing else council
    errors = {}
    if values["nhs_number"] and others.filter(nhs_number=values["nhs_number"]).exists():
        errors["nhs_number"] = "A child with this NHS number is already recorded: search for them instead"
    if values["upn"] and others.filter(upn=values["upn"]).exists():
        errors["upn"] = "A child with this UPN is already recorded: search for them instead"
    if others.filter(
        given_name__iexact=values["given_name"],
        family_name__iexact=values["family_name"],
        date_of_birth=values["date_of_birth"],
    ).exists():
        errors["__all__"] = (
            "A child with this name and date of birth is already recorded in this local authority: "
            "search for them instead"
        )
    return errors


def _save_guarded(operation):
    """A unique index can still catch a duplicate saved by someone else a moment ago."""
    try:
        with transaction.atomic():
            return operation()
    except IntegrityError as error:
        raise ValidationError(
            "This child was recorded by someone else a moment ago: search for them instead"
        ) from error


def register_child(*, actor, details: ChildDetails, request=None) -> Child:
    values = clean_child_details(details)

    def create() -> Child:
        child = Child.objects.create(**values)
        record_change(
            actor=actor, action=AuditAction.CREATE, obj=child, child=child,
            after=snapshot(child, AUDITED_FIELDS), summary="Recorded the child", request=request,
        )
        return child

    return _save_guarded(create)


def update_child(*, actor, child: Child, details: ChildDetails, expected_version: int, request=None) -> Child:
    """Save changes only if nobody else has saved since `expected_version` was read."""
    values = clean_child_details(details, existing=child)

    def update() -> Child:
        before = snapshot(child, AUDITED_FIELDS)
        updated = Child.objects.filter(pk=child.pk, version=expected_version).update(
            **values, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise ConcurrentEditError(
                "Someone else changed this record after you opened it. Your changes have not been saved: "
                "check the record as it is now and make them again."
            )
        fresh = Child.objects.get(pk=child.pk)
        if child.date_of_birth != fresh.date_of_birth:  # the clock reads it: the deadlines projection too
            from sendhub.clock.projection import refresh_child

            refresh_child(fresh)
        record_change(
            actor=actor, action=AuditAction.UPDATE, obj=fresh, child=fresh,
            before=before, after=snapshot(fresh, AUDITED_FIELDS), summary="Changed the child's details",
            request=request,
        )
        return fresh

    return _save_guarded(update)


# -- Who may see a child: every grant and end of access is audited, wherever it happens ---------------------

ACCESS_MODELS = {"people.Involvement", "people.FamilyMember", "people.SharingConsent"}
INVOLVEMENT_FIELDS = ["child", "role", "organisation", "professional", "team", "started_on", "ended_on", "ended_reason"]
FAMILY_MEMBER_FIELDS = ["child", "user", "full_name", "relationship", "parental_responsibility", "email", "telephone"]


def _access_action(obj, before: dict, after: dict | None) -> tuple[str, str]:
    """GRANT when someone gains access to the child, REVOKE when someone loses it, otherwise the plain change."""
    label = obj._meta.label
    if label == "people.SharingConsent":
        allowed = (after or before).get("parents_may_view")
        return ((AuditAction.GRANT, "Parents may see my record") if allowed
                else (AuditAction.REVOKE, "Parents may not see my record"))
    if label == "people.FamilyMember":
        name = (after or before).get("full_name", "")
        if after is None:
            return (AuditAction.REVOKE if before.get("user") else AuditAction.DELETE), f"Removed family member {name}"
        if not before:
            return ((AuditAction.GRANT, f"Linked {name}'s account as family") if after.get("user")
                    else (AuditAction.CREATE, f"Added family member {name}"))
        if before.get("user") != after.get("user"):
            return ((AuditAction.GRANT, f"Linked another account to family member {name}") if after.get("user")
                    else (AuditAction.REVOKE, f"Unlinked {name}'s account"))
        return AuditAction.UPDATE, f"Changed family member {name}"
    who = f"{obj.get_role_display()} ({obj.professional.full_name if obj.professional_id else obj.team})"
    if after is None:
        return AuditAction.REVOKE, f"Removed the involvement of {who}"
    if not before:
        return ((AuditAction.GRANT, f"Involved {who}") if after.get("ended_on") is None
                else (AuditAction.CREATE, f"Recorded a past involvement of {who}"))
    if (before.get("professional"), before.get("team")) != (after.get("professional"), after.get("team")):
        return AuditAction.GRANT, f"Changed who is involved to {who}"
    if before.get("ended_on") is None and after.get("ended_on") is not None:
        return AuditAction.REVOKE, f"Ended the involvement of {who}"
    if before.get("ended_on") is not None and after.get("ended_on") is None:
        return AuditAction.GRANT, f"Restarted the involvement of {who}"
    return AuditAction.UPDATE, f"Changed the involvement of {who}"


def record_access_change(*, actor, obj, before: dict, after: dict | None, request=None, where: str = "",
                         object_id: str = ""):
    """The one audit row for a change to who may see a child (involvement, family link, young person's choice).

    Services call it inside their transaction; the support admin site calls it from save_model, delete_model
    and inlines (audit.admin.ChildRecordAdmin). `after` is None for a deletion.
    """
    action, summary = _access_action(obj, before, after)
    moved_from = before.get("child")
    if after is not None and moved_from is not None and moved_from != after.get("child", moved_from):
        record_change(actor=actor, action=AuditAction.REVOKE, obj=obj, child_id=moved_from, before=before,
                      after=after, summary=f"Moved to another child's record {where}".strip(), request=request,
                      object_id=object_id)
    return record_change(actor=actor, action=action, obj=obj, child_id=obj.child_id, before=before, after=after or {},
                         summary=f"{summary} {where}".strip(), request=request, object_id=object_id)


def add_involvement(
    *, actor, child: Child, role: str, organisation: Organisation, professional=None, team=None,
    started_on: date | None = None, request=None,
) -> Involvement:
    """Involve a professional or team: from now on they may see the child and receive every plan."""
    if professional is None and team is None:
        raise ValidationError({"professional": "Select a professional or a team"})
    with transaction.atomic():
        involvement = Involvement(
            child=child, role=role, organisation=organisation, professional=professional, team=team,
            started_on=started_on or timezone.localdate(),
        )
        involvement.full_clean()
        involvement.save()
        record_access_change(actor=actor, obj=involvement, before={},
                             after=snapshot(involvement, INVOLVEMENT_FIELDS), request=request)
        return involvement


def end_involvement(*, actor, involvement: Involvement, ended_on: date, reason: str, request=None) -> Involvement:
    with transaction.atomic():
        locked = Involvement.objects.select_for_update().get(pk=involvement.pk)
        if locked.ended_on is not None:
            raise ValidationError({"ended_on": "This involvement has already ended"})
        if ended_on < locked.started_on:
            raise ValidationError({"ended_on": "The end date must be on or after the start date"})
        before = snapshot(locked, INVOLVEMENT_FIELDS)
        locked.ended_on, locked.ended_reason = ended_on, reason
        locked.save(update_fields=["ended_on", "ended_reason"])
        record_access_change(actor=actor, obj=locked, before=before, after=snapshot(locked, INVOLVEMENT_FIELDS),
                             request=request)
        return locked


def record_sharing_consent(*, actor, child: Child, parents_may_view: bool, request=None) -> SharingConsent:
    """The young person's own choice, from 16, about what their parents see."""
    if child.account_id != actor.pk:
        raise ValidationError("Only the young person can make this choice")
    if child.age() < AGE_OF_OWN_CONSENT:
        raise ValidationError(f"You can make this choice from age {AGE_OF_OWN_CONSENT}")
    with transaction.atomic():
        consent = SharingConsent.objects.create(child=child, parents_may_view=parents_may_view, recorded_by=actor)
        record_access_change(actor=actor, obj=consent, before={}, after={"parents_may_view": parents_may_view},
                             request=request)
        return consent


ROUTE_FIELDS = ["by_portal", "by_email", "by_post", "email", "address", "postcode", "accessible_format",
                "accessible_format_detail", "language"]


def has_own_account(person) -> bool:
    """Whether a family member (or the young person) has an active account that can see the child."""
    from .selectors import children_visible_to

    if isinstance(person, Child):
        return bool(person.account_id and person.account.is_active)
    return bool(person.user_id and person.user.is_active
                and children_visible_to(person.user).filter(pk=person.child_id).exists())


def set_contact_routes(*, actor, person, values: dict, request=None):
    """Record how a parent or carer (a FamilyMember) or the young person (a Child) receives statutory letters
    and plans. Refuses, naming each field, routes that could not reach them; audited with before and after."""
    from . import routes as route_rules

    cleaned = {name: values.get(name) for name in ROUTE_FIELDS}
    for name in ("by_portal", "by_email", "by_post"):
        cleaned[name] = bool(cleaned[name])
    for name in ("email", "address", "postcode", "accessible_format", "accessible_format_detail", "language"):
        cleaned[name] = (cleaned[name] or "").strip()
    cleaned["email"] = cleaned["email"].lower()
    if cleaned["postcode"]:
        cleaned["postcode"] = route_rules.normalise_postcode(cleaned["postcode"])
    errors = route_rules.route_errors(has_account=has_own_account(person), **{
        name: cleaned[name] for name in ("by_portal", "by_email", "by_post", "email", "address", "postcode")})
    if cleaned["accessible_format"] == "other" and not cleaned["accessible_format_detail"]:
        errors["accessible_format_detail"] = "Say which format they need"
    if errors:
        raise ValidationError(errors)
    child = person if isinstance(person, Child) else person.child
    with transaction.atomic():
        model = type(person)
        locked = model.objects.select_for_update().get(pk=person.pk)
        before = snapshot(locked, ROUTE_FIELDS)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save(update_fields=ROUTE_FIELDS)
        who = "the young person" if isinstance(person, Child) else person.full_name
        record_change(actor=actor, action=AuditAction.UPDATE, obj=locked, child=child, before=before,
                      after=snapshot(locked, ROUTE_FIELDS),
                      summary=f"Recorded how {who} receives letters and plans", request=request)
        return locked
