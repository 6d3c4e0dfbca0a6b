"""Reads for the SEN2 pages and commands: the council a person may run the return for, and the checks."""

from __future__ import annotations

from datetime import date

from sendhub.accounts.models import Role
from sendhub.organisations.models import Organisation, OrganisationKind

from . import checks
from .build import build_return
from .spec import Node

MANAGERS = {Role.TEAM_MANAGER}


def council_of(user) -> Organisation | None:
    """The one council whose return this person may run: a SEND team manager's own. Nobody else's, ever."""
    if not getattr(user, "is_authenticated", False) or user.role not in MANAGERS:
        return None
    organisation = user.organisation
    if organisation is None or organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        return None
    return organisation


def council_by_code(code: str | None) -> Organisation:
    councils = Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY)
    if code:
        found = councils.filter(code=code).first()
        if found is None:
            raise LookupError(f"No council with the code {code!r}")
        return found
    if councils.count() != 1:
        raise LookupError("Say which council with --council CODE (there are "
                          f"{councils.count()} councils here: {', '.join(councils.values_list('code', flat=True))})")
    return councils.get()


def default_census(today: date) -> date:
    """The SEN2 census date: the third Thursday of January (the DfE sets it; check the year's guide)."""
    year = today.year if today.month > 1 or today.day > 21 else today.year - 1
    first = date(year, 1, 1)
    first_thursday = 1 + (3 - first.weekday()) % 7
    return date(year, 1, first_thursday + 14)


def checked_return(local_authority: Organisation, census: date) -> tuple[Node, list[checks.Problem]]:
    header = build_return(local_authority=local_authority, census=census)
    return header, checks.check(header)
