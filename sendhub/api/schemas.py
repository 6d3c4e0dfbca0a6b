from datetime import date, datetime

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from sendhub.people.models import Need

NeedCode = Literal["", *Need.values]  # type: ignore[valid-type]
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class MeOut(Schema):
    email: str
    full_name: str
    role: str
    organisation: str | None


class ChildIn(Schema):
    given_name: Name
    family_name: Name
    date_of_birth: date
    preferred_name: Annotated[str, Field(max_length=100)] = ""
    nhs_number: Annotated[str, Field(max_length=20, description="10 digits with a valid check digit")] = ""
    upn: Annotated[str, Field(max_length=20, description="13 characters with a valid check letter")] = ""
    primary_need: NeedCode = ""
    secondary_need: NeedCode = ""
    setting_urn: int | None = None
    child_in_need: bool = False
    looked_after: bool = False
    child_protection: bool = False


class ChildUpdateIn(ChildIn):
    version: int


class FamilyChildOut(Schema):
    """What a parent, carer or young person sees: the family's view of the child's page."""

    audience: Literal["family"] = Field(description="Who this answer is shaped for: family, professional or council")
    id: int
    given_name: str
    family_name: str
    date_of_birth: date
    nhs_number: str | None
    year_group: int
    primary_need: str
    secondary_need: str
    setting_name: str | None


class ProfessionalChildOut(FamilyChildOut):
    """What a SENCO, health or social care professional sees: the staff view of the child's page."""

    audience: Literal["professional"] = Field(description="Who this answer is shaped for: family, professional or council")
    upn: str | None
    local_authority: str
    child_in_need: bool
    looked_after: bool
    child_protection: bool


class CouncilChildOut(ProfessionalChildOut):
    """The record the council keeps and changes: everything `PUT` takes, and the `version` it needs."""

    audience: Literal["council"] = Field(description="Who this answer is shaped for: family, professional or council")
    preferred_name: str
    setting_urn: int | None
    version: int


# The caller's role decides which shape they get (sendhub.api.audiences.presenter_for); `audience` says which.
ChildOut = Annotated[FamilyChildOut | ProfessionalChildOut | CouncilChildOut, Field(discriminator="audience")]


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
    ended_on: date | None = Field(description="Only the council is given ended involvements; everyone else gets "
                                              "those in force today, as on the child's page")


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
    position: int | None = Field(None, description="Place on the list while waiting (1 = next): urgent first, then earliest referral")
    waiting_total: int | None = Field(None, description="How many are waiting on the same list")
    estimate_reliable: bool | None = Field(None, description="False when the range is wider than the council's limit: "
                                           "families are then given no dates, as on their page")
    estimate_p10: date | None = Field(None, description="First appointment: 1 in 10 chance of being seen by then")
    estimate_p50: date | None = Field(None, description="First appointment: even chances")
    estimate_p90: date | None = Field(None, description="First appointment: 9 in 10 chance of being seen by then")


class DeadlineOut(Schema):
    key: str
    label: str
    due: date
    done: date | None
    status: str
    exception: bool
    rule: str
    explanation: str


class CaseOut(Schema):
    kind: str
    id: int
    open: bool
    deadlines: list[DeadlineOut]
