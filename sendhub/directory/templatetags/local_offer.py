"""Links into the local offer that carry a child's age and needs (the search-URL contract)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


def search_url(*, need: str = "", age: int | None = None, while_waiting: bool = False, category: str = "") -> str:
    """/local-offer/?need=SLCN&age=7 (needs are SEN2 codes; add waiting=1 for help while waiting)."""
    query = {k: v for k, v in {"need": need, "age": age, "category": category,
                              "waiting": "1" if while_waiting else ""}.items() if v not in ("", None)}
    return reverse("directory:search") + (f"?{urlencode(query)}" if query else "")


@register.simple_tag
def local_offer_url(child, while_waiting: bool = False) -> str:
    return search_url(need=child.primary_need or "", age=child.age(), while_waiting=while_waiting)
