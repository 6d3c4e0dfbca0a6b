"""Reading the inbox; who must receive a statutory communication, how each can be reached; the post tray."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from sendhub.people import routes as route_rules

from .models import Delivery, DeliveryState, Route


@dataclass
class Recipient:
    """One person or organisation entitled to a communication, with the routes that can reach them now."""

    name: str
    why: str
    routes: list[str]
    user: object = None
    family_member: object = None
    organisation: object = None
    young_person: bool = False
    email: str = ""
    address: str = ""
    needs: str = ""
    notify_users: list = field(default_factory=list)

    @property
    def key(self) -> tuple:
        if self.family_member is not None:
            return ("member", self.family_member.pk)
        if self.organisation is not None:
            return ("organisation", self.organisation.pk)
        if self.young_person:
            return ("young_person",)
        return ("user", self.user.pk)

    def warning(self, what: str) -> str:
        """Said plainly before issuing, when this person cannot be reached."""
        if self.organisation is not None:
            return (f"{self.name} ({self.why.lower()}) has no SENCO with an account on this service: it will not "
                    f"receive the {what}.")
        return (f"{self.name} ({self.why.lower()}) has no account, email or postal address: they will not receive "
                f"the {what}. Add how to reach them before issuing.")

    def routes_text(self) -> str:
        words = {route_rules.PORTAL: "in their account", route_rules.EMAIL: f"by email to {self.email}",
                 route_rules.POST: "by post to " + ", ".join(self.address.splitlines())}
        if self.organisation is not None and self.routes:
            return "in this service, to " + ", ".join(u.full_name for u in self.notify_users) + " (SENCO)"
        return " and ".join(words[r] for r in self.routes) if self.routes else "no way to reach them"


def parents_may_receive(child) -> bool:
    """A young person of 16 or over decides whether parents see their record; their choice covers letters too."""
    from sendhub.people.selectors import AGE_OF_OWN_CONSENT, latest_sharing_consent

    if child.age() < AGE_OF_OWN_CONSENT:
        return True
    consent = latest_sharing_consent(child)
    return consent is None or consent.parents_may_view


def _account_sees(user, child) -> bool:
    from sendhub.people.rules import can_see_child

    return bool(user and user.is_active and can_see_child(user, child))


def family_recipients(child) -> list[Recipient]:
    """Parents and carers (with parental responsibility, or an account that sees the child), as far as the
    young person allows, and the young person from 16 or with their own account."""
    from sendhub.people.selectors import AGE_OF_OWN_CONSENT

    found: list[Recipient] = []
    if parents_may_receive(child):
        for member in child.family_members.select_related("user").order_by("full_name", "pk"):
            has_account = _account_sees(member.user, child)
            if not (member.parental_responsibility or has_account):
                continue
            found.append(Recipient(
                name=member.full_name, why=f"{member.get_relationship_display()} of the child",
                routes=route_rules.usable_routes(**member.route_values(has_account=has_account)),
                user=member.user if has_account else None, family_member=member, email=member.email,
                address=member.address_block(), needs=member.needs_text()))
    own_account = child.account if child.account_id and child.account.is_active else None
    values = child.route_values(has_account=own_account is not None)
    if own_account is not None or (child.age() >= AGE_OF_OWN_CONSENT and (child.by_email or child.by_post)):
        found.append(Recipient(name=own_account.full_name if own_account else child.full_name,
                               why="The young person", routes=route_rules.usable_routes(**values), user=own_account,
                               young_person=True, email=child.email, address=child.address_block(),
                               needs=child.needs_text()))
    return found


def professional_recipients(child) -> list[Recipient]:
    """Every professional or team member with an active involvement: in their account."""
    from sendhub.people.models import Involvement

    people: dict[int, Recipient] = {}
    for involvement in (Involvement.objects.active().filter(child=child)
                        .select_related("professional").prefetch_related("team__members")):
        why = involvement.get_role_display()
        pairs = [(involvement.professional, why)] if involvement.professional else []
        if involvement.team:
            pairs += [(member, f"{why} ({involvement.team.name})") for member in involvement.team.members.all()]
        for person, reason in pairs:
            if person.is_active and person.pk not in people:
                people[person.pk] = Recipient(name=person.full_name, why=reason, routes=[route_rules.PORTAL],
                                              user=person)
    return list(people.values())


def setting_recipient(organisation) -> Recipient:
    """The school or setting named in the plan: its SENCOs find it in this service."""
    from sendhub.accounts.models import Role

    sencos = list(organisation.users.filter(role=Role.SENCO, is_active=True).order_by("full_name"))
    return Recipient(name=organisation.name, why="The school or setting named in the plan",
                     routes=[route_rules.PORTAL] if sencos else [], organisation=organisation, notify_users=sencos)


def entitled_recipients(child, *, version=None) -> list[Recipient]:
    """Everyone who must receive a communication about the child: the family always; for a plan version
    also every involved professional and, for a final or amended plan, the school or setting it names."""
    found = family_recipients(child)
    if version is not None:
        known = {r.user.pk for r in found if r.user is not None}
        found += [r for r in professional_recipients(child) if r.user.pk not in known]
        if version.named_setting_id and version.kind in {"final", "amended"}:
            found.append(setting_recipient(version.named_setting))
    return found


def unreachable(recipients: list[Recipient]) -> list[Recipient]:
    return [r for r in recipients if not r.routes]


def post_tray(user) -> QuerySet[Delivery]:
    """Deliveries waiting to be posted, for the council this person works for (none for anyone else)."""
    from .rules import works_post_tray

    if not works_post_tray(user):
        return Delivery.objects.none()
    return (Delivery.objects.filter(route=Route.POST, state=DeliveryState.WAITING_POST,
                                    child__local_authority_id=user.organisation_id)
            .select_related("child", "version", "letter").order_by("created_at", "id"))


def deliveries_of(*, version=None, letter=None) -> QuerySet[Delivery]:
    qs = Delivery.objects.filter(version=version) if version is not None else Delivery.objects.filter(letter=letter)
    return qs.select_related("posted_by", "version", "letter").order_by("recipient_name", "id")


def delivered_to(child) -> QuerySet[Delivery]:
    """Every delivery about a child, newest first (the family's page and tracker say what reached whom)."""
    return (Delivery.objects.filter(child=child).select_related("version", "letter", "posted_by")
            .order_by("-created_at", "recipient_name"))


def deliveries_to(user) -> QuerySet[Delivery]:
    """What was sent to this person: to their account, or (for a SENCO) to their school or setting."""
    from django.db.models import Q

    from sendhub.accounts.models import Role

    if not user.is_authenticated:
        return Delivery.objects.none()
    mine = Q(recipient=user)
    if user.role == Role.SENCO and user.organisation_id:
        mine |= Q(organisation_id=user.organisation_id)
    return Delivery.objects.filter(mine)


def name_children(notes, user) -> list:
    """The messages, each with `about`: the name of the child it is about, so a family with two children
    (or a professional with many) can tell them apart (issue 14). Empty when the message has no child,
    when its text already starts with the name (`messaging.moments` writes it so), or when the reader may
    no longer see that child (a young person of 16 or over has since shut their parents out)."""
    from sendhub.people.selectors import children_visible_to

    notes = list(notes)
    ids = {n.child_id for n in notes if n.child_id}
    visible = set(children_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for note in notes:
        name = note.child.full_name if note.child_id in visible else ""
        note.about = "" if not name or note.body.startswith(name) else name
    return notes
