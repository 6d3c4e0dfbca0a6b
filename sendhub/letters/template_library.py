"""The only tags and filters a letter template may use (the sandbox engine's whole vocabulary).

Nothing here reaches outside the template: no `load`, `include`, `extends`, `ssi`, `url`, `now`, `debug`,
`for` or `with`. The filters format plain values only. Copied from Django's own libraries so their
behaviour (and the rendered letters) are exactly Django's.
"""

from django.template import Library, defaultfilters, defaulttags

ALLOWED_TAGS = ("if", "comment")  # with their parts: elif, else, endif, endcomment
ALLOWED_FILTERS = ("date", "default", "default_if_none", "upper", "lower", "capfirst", "title", "yesno",
                   "length", "pluralize")

register = Library()
for _name in ALLOWED_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in ALLOWED_FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]
