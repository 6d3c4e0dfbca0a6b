"""How a person receives statutory letters and plans: the rules, with no Django import.

A route is usable only when it can really reach them: the service (their own account, active, able to see
the child), email (an address), post (an address with a postcode). Anything else is "no way to reach them",
and the caseworker is told before a plan is issued.
"""

import re

PORTAL, EMAIL, POST = "portal", "email", "post"
ROUTE_ORDER = (PORTAL, EMAIL, POST)

# A UK postcode, as Royal Mail prints it (spaces optional when typed).
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2})$")


def normalise_postcode(text: str) -> str:
    compact = re.sub(r"\s+", "", (text or "").upper())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def route_errors(*, by_portal: bool, by_email: bool, by_post: bool, email: str, address: str, postcode: str,
                 has_account: bool) -> dict[str, str]:
    """What is wrong with the routes chosen, field by field (empty when they can all be used)."""
    errors: dict[str, str] = {}
    if not (by_portal or by_email or by_post):
        errors["by_portal"] = "Select at least one way to send them letters and plans"
    if by_portal and not has_account:
        errors["by_portal"] = ("They have no account on this service: invite them first, or choose email or post")
    if by_email and not (email or "").strip():
        errors["email"] = "Enter an email address to send letters by email"
    if by_post:
        if not (address or "").strip():
            errors["address"] = "Enter the postal address to send letters by post"
        if not (postcode or "").strip():
            errors["postcode"] = "Enter the postcode to send letters by post"
    if (postcode or "").strip() and not _POSTCODE.match(normalise_postcode(postcode)):
        errors["postcode"] = "Enter a real postcode, like SW1A 1AA"
    return errors


def usable_routes(*, by_portal: bool, by_email: bool, by_post: bool, email: str, address: str, postcode: str,
                  has_account: bool) -> list[str]:
    """The routes that can reach this person now, in the order tried: service, email, post."""
    usable = {PORTAL: by_portal and has_account, EMAIL: by_email and bool((email or "").strip()),
              POST: by_post and bool((address or "").strip()) and bool((postcode or "").strip())}
    return [route for route in ROUTE_ORDER if usable[route]]
