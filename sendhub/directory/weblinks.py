"""Website addresses in the local offer: only http and https, checked everywhere a link comes in or goes out.

A directory re-publishes its links to every consumer of its Open Referral API and exports, and shows
them on public pages as links. A `javascript:` or `data:` "website" from an imported feed would run
in the browser of whoever follows it, so an address is accepted only if it is a real http(s) URL: on
import (`feeds.row_from_oruk`), on the in-app forms (`services.clean_content`), in the models (their
validators, so the support admin site checks too), and once more on the way out
(`published_web_address`), for any row stored before these checks existed.

Importers (the ORUK JSON and CSV readers, and any streaming reader that replaces them) call
`web_address_problem` on each address and report its message.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

WEB_SCHEMES = ["http", "https"]
WEB_ADDRESS_MESSAGE = "Enter a website address starting https:// (or http://)"

validate_web_address = URLValidator(schemes=WEB_SCHEMES, message=WEB_ADDRESS_MESSAGE)


def web_address_problem(value: str | None) -> str | None:
    """None if `value` is blank or an http(s) address; otherwise the message to show."""
    if not value:
        return None
    try:
        validate_web_address(str(value))
    except ValidationError:
        return WEB_ADDRESS_MESSAGE
    return None


def published_web_address(value: str | None) -> str:
    """The address if it is safe to publish as a link, otherwise blank."""
    return "" if not value or web_address_problem(value) else str(value)
