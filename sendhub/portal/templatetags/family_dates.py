"""`{{ day|by_day }}`: every family-facing page states a last day the same way (portal.family.by_day)."""

from django import template

from sendhub.portal.family import by_day as _by_day, long_day as _long_day

register = template.Library()


@register.filter
def by_day(day) -> str:
    return _by_day(day) if day else ""


@register.filter
def long_day(day) -> str:
    return _long_day(day) if day else ""
