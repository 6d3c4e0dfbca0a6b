"""Sending statutory letters and plans to everyone entitled, each by their own route, and recording the truth.

`deliver` is the one way a statutory communication leaves the council: a plan version (`plans.services.distribute`)
or a family letter (`letters.services.write_letter`, which calls it), or both as one pack. Each recipient gets one
Delivery per usable route: in their account at once; by email (the pack attached, the email body naming no child)
once the transaction commits; by post onto the council's post tray, or to GOV.UK Notify's printers where the
council has set its letter key. Someone with no usable route gets a Delivery that says so.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change
from sendhub.core.pdf import render_pdf
from sendhub.people import routes as route_rules

from .models import NEXT_STATES, Delivery, DeliveryState, Route
from .selectors import Recipient, entitled_recipients

_FIRST_STATE = {route_rules.PORTAL: DeliveryState.IN_ACCOUNT, route_rules.EMAIL: DeliveryState.EMAIL_QUEUED,
                route_rules.POST: DeliveryState.WAITING_POST}


def _link(*, version, letter) -> str:
    return f"/plans/{version.pk}/" if version is not None else f"/letters/{letter.pk}/"


def _title(*, version, letter) -> str:
    return version.get_kind_display() if version is not None else letter.title


def deliver(*, child, version=None, letter=None, actor=None, subject: str = "", body: str = "",
            recipients: list[Recipient] | None = None, tell: bool = True, request=None) -> list[Delivery]:
    """Send one communication (a plan version, a letter, or a version with its covering letter) to everyone
    entitled, by each one's routes; record a Delivery for every route, and one saying so for anyone with none.

    `body` is the in-app message to those reached in their account (it may name the child); emails never carry
    it. `tell=False` when the step's own message already tells them (messaging.moments, for letters)."""
    from .services import notify

    if version is None and letter is None:
        raise ValueError("Deliver a letter, a plan version or both")
    recipients = entitled_recipients(child, version=version) if recipients is None else recipients
    title = _title(version=version, letter=letter)
    rows: list[Delivery] = []
    for person in recipients:
        common = dict(child=child, version=version, letter=letter, recipient=person.user,
                      family_member=person.family_member, organisation=person.organisation,
                      young_person=person.young_person, recipient_name=person.name, why=person.why,
                      needs=person.needs)
        if not person.routes:
            rows.append(Delivery(**common, route=Route.NONE, state=DeliveryState.NOT_SENT))
        for route in person.routes:
            rows.append(Delivery(**common, route=route, state=_FIRST_STATE[route],
                                 email_address=person.email if route == route_rules.EMAIL else "",
                                 postal_address=(f"{person.name}\n{person.address}" if route == route_rules.POST
                                                 else "")))
    with transaction.atomic():
        created = Delivery.objects.bulk_create(rows)
        by_portal = [p for p in recipients if route_rules.PORTAL in p.routes]
        in_app = [p.user for p in by_portal if p.user is not None]
        in_app += [u for p in by_portal for u in p.notify_users]
        if tell:
            notify(recipients=in_app, child=child, subject=subject or f"{title} sent to you",
                   link=_link(version=version, letter=letter),
                   body=body or f"{title} from {child.local_authority} about {child.full_name}.",
                   email_body=f"{title} from {child.local_authority} for a child or young person you are "
                              "involved with.")
        obj = version if version is not None else letter
        record_change(actor=actor, action=AuditAction.CREATE, obj=obj, child=child,
                      after={"deliveries": [f"{d.recipient_name}: {d.get_route_display()}" for d in created]},
                      summary=f"Sent {title.lower()}: " + "; ".join(d.status_text() for d in created), request=request)
        emails = [d.pk for d in created if d.route == Route.EMAIL]
        posts = [d.pk for d in created if d.route == Route.POST]
        transaction.on_commit(lambda: _after_commit(emails, posts))
    return created


def _after_commit(emails: list[int], posts: list[int]) -> None:
    from .tasks import email_delivery, send_letter_to_notify

    for pk in emails:
        email_delivery.enqueue(pk)
    if settings.NOTIFY_LETTER_API_KEY:
        for pk in posts:
            send_letter_to_notify.enqueue(pk)


def pack_pdf(delivery: Delivery) -> bytes:
    """One PDF, addressed: the letter (or a short covering page) with the recipient's name and address,
    followed by the plan when one was sent."""
    return render_pdf("messaging/pack.html", {
        "delivery": delivery, "child": delivery.child, "letter": delivery.letter, "version": delivery.version,
        "address_lines": [line for line in delivery.postal_address.splitlines() if line.strip()]
        or [delivery.recipient_name], "partnership_name": settings.PARTNERSHIP_NAME,
        "large_print": "Large print" in delivery.needs})


def email_pack(delivery: Delivery) -> None:
    """Email the pack as a PDF. The body says what it is and who sent it, never the child's name."""
    from django.core.mail import EmailMessage

    what = delivery.what
    message = EmailMessage(
        subject=f"{what} from {delivery.child.local_authority}",
        body=(f"Dear {delivery.recipient_name},\n\n{delivery.child.local_authority} has sent you the attached "
              f"{what.lower()}. Please read it: it may give you a time limit to reply.\n\n"
              "If you cannot open the attachment or need it in another format, reply to this email or contact "
              "the SEND team."),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.email_address])
    message.attach(f"{what.lower().replace(' ', '-')}.pdf", pack_pdf(delivery), "application/pdf")
    message.send()


def advance(delivery: Delivery, state: str, *, actor=None, request=None, summary: str = "", **changes) -> Delivery:
    """Move a delivery forward (never back), save what changed and audit it."""
    if state not in NEXT_STATES.get(delivery.state, set()):
        raise ValidationError(f"{delivery.status_text()}: it cannot now be marked "
                              f"{DeliveryState(state).label.lower()}")
    before = delivery.state
    delivery.state = state
    for name, value in changes.items():
        setattr(delivery, name, value)
    delivery.save(update_fields=["state", *changes])
    record_change(actor=actor, action=AuditAction.UPDATE, obj=delivery, child_id=delivery.child_id,
                  before={"state": before}, after={"state": state}, summary=summary or delivery.status_text(),
                  request=request)
    return delivery


def mark_posted(*, actor, deliveries, posted_on: date, request=None) -> list[Delivery]:
    """Business support (or a caseworker) posted these packs on `posted_on`: never a day in the future, only
    packs of their own council, only packs still waiting."""
    from .selectors import post_tray

    if posted_on is None:
        raise ValidationError({"posted_on": "Enter the date they were posted"})
    if posted_on > timezone.localdate():
        raise ValidationError({"posted_on": "The date posted must be today or in the past"})
    wanted = [d.pk for d in deliveries]
    if not wanted:
        raise ValidationError({"deliveries": "Select the letters you have posted"})
    with transaction.atomic():
        mine = list(post_tray(actor).select_for_update(of=("self",)).filter(pk__in=wanted))
        if len(mine) != len(set(wanted)):
            raise ValidationError({"deliveries": "Some of those letters are not waiting on your post tray: "
                                                 "reload the page"})
        for delivery in mine:
            advance(delivery, DeliveryState.POSTED, actor=actor, request=request, posted_on=posted_on,
                    posted_by=actor)
        return mine


def mark_opened(*, user, version=None, letter=None) -> None:
    """The recipient (or a SENCO of the organisation it was sent to) opened it in their account."""
    from django.db.models import Q

    if not user.is_authenticated:
        return
    scope = Q(recipient=user) | (Q(organisation_id=user.organisation_id) if user.organisation_id else Q(pk__in=[]))
    qs = Delivery.objects.filter(scope, route=Route.PORTAL, state=DeliveryState.IN_ACCOUNT)
    qs = qs.filter(version=version) if version is not None else qs.filter(letter=letter, version__isnull=True)
    qs.update(state=DeliveryState.OPENED, opened_at=timezone.now())
