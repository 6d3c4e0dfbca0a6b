from datetime import date, datetime

from ninja import Schema


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    organisation: str | None


class ChildIn(Schema):
    given_name: str
    family_name: str
    date_of_birth: date
    preferred_name: str = ""
    nhs_number: str = ""
    upn: str = ""
    primary_need: str = ""
    secondary_need: str = ""
    setting_urn: int | None = None
    child_in_need: bool = False
    looked_after: bool = False
    child_protection: bool = False


class ChildUpdateIn(ChildIn):
    version: int


class ChildOut(Schema):
    id: int
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date
    nhs_number: str | None
    upn: str | None
    year_group: int
    primary_need: str
    secondary_need: str
    local_authority: str
    setting_urn: int | None
    setting_name: str | None
    child_in_need: bool
    looked_after: bool
    child_protection: bool
    version: int


class ChildPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ChildOut]


class InvolvementOut(Schema):
    id: int
    role: str
    organisation: str
    professional: str | None
    team: str | None
    started_on: date
    ended_on: date | None


class AuditOut(Schema):
    at: datetime
    who: str
    action: str
    summary: str
    channel: str


class ReferralOut(Schema):
    id: int
    reference: str
    service: str
    service_kind: str
    provider: str
    priority: str
    referred_on: date
    seen_on: date | None
    removed_on: date | None
