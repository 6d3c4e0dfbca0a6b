"""Write a letter from the council's template, keep it as sent, and print it as an accessible PDF."""

from django.conf import settings
from django.db import transaction
from django.utils.html import escape

from sendhub.core.pdf import render_pdf

from . import sandbox
from .defaults import DEFAULTS
from .presenters import KINDS
from .models import Letter, LetterTemplate


def template_for(key: str) -> LetterTemplate:
    """The council's edited template, or the shipped default the first time it is needed."""
    title, body = DEFAULTS[key]
    template, _ = LetterTemplate.objects.get_or_create(key=key, defaults={"title": title, "body": body})
    return template


def to_html(text: str) -> str:
    """Blank lines make paragraphs and '## ' makes a heading; everything is escaped exactly once."""
    blocks = []
    for block in [b.strip() for b in escape(text).split("\n\n") if b.strip()]:
        if block.startswith("## "):
            blocks.append(f'<h2 class="govuk-heading-m">{block[3:]}</h2>')
        else:
            blocks.append(f'<p class="govuk-body">{block.replace(chr(10), "<br>")}</p>')
    return "\n".join(blocks)


def write_letter(*, key: str, child, context: dict, actor, assessment=None, review=None, send: bool = True,
                 request=None) -> Letter:
    """Write the letter of kind `key` from the council's template, keep it, and send it to the family.

    `context` holds the facts the caller knows (dates, reasons, the local authority); the kind's presenter
    turns them and the child into plain values, and only those reach the sandboxed template.

    Sending: every letter goes at once to each parent or carer entitled and to the young person, each by
    their own route (messaging.deliveries.deliver), so a new kind of letter is delivered without more code.
    A covering letter that travels with a plan version is written with `send=False` and passed to
    `plans.services.distribute(version, letter)`, which sends both as one pack.
    """
    template = template_for(key)
    text = sandbox.render(key, template.body, KINDS[key].present(child, context))
    with transaction.atomic():
        letter = Letter.objects.create(child=child, assessment=assessment, review=review, template_key=key,
                                       title=template.title, body_html=to_html(text), created_by=actor)
        if send:
            from sendhub.messaging.deliveries import deliver

            deliver(child=child, letter=letter, actor=actor, request=request, subject=f"Letter: {letter.title}",
                    body=f"{child.local_authority} has sent you a letter about {child.full_name}: {letter.title}.")
        return letter


def letter_pdf(letter: Letter) -> bytes:
    return render_pdf("letters/print.html", {"letter": letter, "partnership_name": settings.PARTNERSHIP_NAME})
