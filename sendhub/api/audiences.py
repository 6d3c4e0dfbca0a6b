"""What each caller gets from the API: exactly what their own web page shows them (issue 15, finding 4).

The child's page (`web/child_detail.html`) shows a family the child's name, date of birth, year, school,
needs, NHS number and the professionals involved *now*; it shows staff the UPN, the local authority and
the social care flags as well. The API must not give a token more than the page gives its holder, so
every child-shaped response goes through `presenter_for(user)`, the one mapping from role to what is
shown. Its three audiences each have their own response schema in the OpenAPI document, told apart by
the `audience` field:

| audience | roles | child fields | involvements |
|---|---|---|---|
| family | parent or carer, young person | the family's page | current only |
| professional | SENCO, health professional, social care | the staff page (adds UPN, local authority, social care flags) | current only |
| council | caseworker, team manager, QA officer | the whole record the council keeps and changes (adds preferred name, setting URN and `version` for PUT) | all, with ended ones |

Roles not named here (leaders, administrators) see no child at all (ADR 2) and get no presenter.
`sendhub/api/tests/test_audiences.py` renders the page as each role and checks every value the API
gives that role is on that role's page (council extras listed there, with why).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.http import Http404
from ninja import Schema

from sendhub.accounts.models import Role
from sendhub.people.models import Child

from .schemas import CouncilChildOut, FamilyChildOut, ProfessionalChildOut


class Audience(StrEnum):
    FAMILY = "family"
    PROFESSIONAL = "professional"
    COUNCIL = "council"


AUDIENCE_OF_ROLE = {
    Role.FAMILY: Audience.FAMILY,
    Role.YOUNG_PERSON: Audience.FAMILY,
    Role.SENCO: Audience.PROFESSIONAL,
    Role.HEALTH_PROFESSIONAL: Audience.PROFESSIONAL,
    Role.SOCIAL_CARE: Audience.PROFESSIONAL,
    Role.CASEWORKER: Audience.COUNCIL,
    Role.TEAM_MANAGER: Audience.COUNCIL,
    Role.QA_OFFICER: Audience.COUNCIL,
}


@dataclass(frozen=True)
class Presenter:
    audience: Audience
    child_schema: type[Schema]
    includes_ended_involvements: bool

    def child(self, child: Child) -> dict:
        """The child as this audience may see it: only the fields its schema declares are built into the answer."""
        every = {
            "audience": self.audience.value, "id": child.pk, "given_name": child.given_name,
            "family_name": child.family_name, "preferred_name": child.preferred_name,
            "date_of_birth": child.date_of_birth, "nhs_number": child.nhs_number, "upn": child.upn,
            "year_group": child.year_group(), "primary_need": child.primary_need,
            "secondary_need": child.secondary_need, "local_authority": child.local_authority.name,
            "setting_urn": child.setting.urn if child.setting else None,
            "setting_name": child.setting.name if child.setting else None,
            "child_in_need": child.child_in_need, "looked_after": child.looked_after,
            "child_protection": child.child_protection, "version": child.version,
        }
        return {name: every[name] for name in self.child_schema.model_fields}

    def involvements(self, child: Child) -> list[dict]:
        """Who is involved; ended involvements only for the council, which keeps that history."""
        return [
            {"id": i.pk, "role": i.role, "organisation": i.organisation.name,
             "professional": i.professional.full_name if i.professional else None,
             "team": i.team.name if i.team else None, "started_on": i.started_on, "ended_on": i.ended_on}
            for i in child.involvements.all() if self.includes_ended_involvements or i.is_active()
        ]


PRESENTERS = {
    Audience.FAMILY: Presenter(Audience.FAMILY, FamilyChildOut, includes_ended_involvements=False),
    Audience.PROFESSIONAL: Presenter(Audience.PROFESSIONAL, ProfessionalChildOut, includes_ended_involvements=False),
    Audience.COUNCIL: Presenter(Audience.COUNCIL, CouncilChildOut, includes_ended_involvements=True),
}


def presenter_for(user) -> Presenter:
    """The one mapping from a caller's role to what the API shows them. Deny by default: a role not
    named in AUDIENCE_OF_ROLE gets "not found", as it does for the child itself."""
    audience = AUDIENCE_OF_ROLE.get(getattr(user, "role", None))
    if audience is None:
        raise Http404("No child found")
    return PRESENTERS[audience]
