"""Accounts made in the app: staff and family invitations, new authenticators, deactivation.

Nobody gets an account from someone else's password, and nobody binds an authenticator with a
password alone: each starts from a single-use link sent by email (only its SHA-256 is stored) that
expires after 72 hours. Every action is validated first, runs in one transaction and writes its
audit row in it; emails go out once the transaction commits and never carry a child's details.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_otp_webauthn.models import WebAuthnCredential

from sendhub.audit.models import AuditAction
from sendhub.audit.services import channel_of, record, record_change, snapshot
from sendhub.messaging.services import notify
from sendhub.organisations.models import Organisation
from sendhub.people.models import Child, FamilyMember, Relationship
from sendhub.people.selectors import AGE_OF_OWN_CONSENT
from sendhub.people.services import FAMILY_MEMBER_FIELDS, record_access_change

from .notices import send_security_notice
from .models import INVITATION_LIFETIME_HOURS, STAFF_ROLES, ApiToken, Invitation, InvitationKind, Role, User


class InvitationRefused(Exception):
    """The link cannot be used: expired, used, withdrawn or never issued. The message says which."""


@dataclass(frozen=True)
class Issued:
    invitation: Invitation
    link: str  # the only place the raw secret exists: in the email, and in memory here


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def site_url(request=None) -> str:
    """Where links in emails point: SENDHUB_SITE_URL when set, else the address this request came to."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    if settings.DEBUG:
        return "http://127.0.0.1:8000"  # script/server's address
    raise ValidationError("Set SENDHUB_SITE_URL to the address people use to reach sendhub, "
                          "like https://send.example.org, so links in emails work")


def _audit(*, actor, action, obj, summary, request=None, child=None, changes=None):
    record(actor=actor, action=action, channel=channel_of(request), obj=obj, child=child, summary=summary,
           changes=changes, path=request.get_full_path() if request is not None else "")


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


EXISTING_ACCOUNT = ("There is already an account with this email address. If they cannot sign in, they can reset "
                    "their password from the sign-in page")


def _check_person(errors: dict, *, email: str, full_name: str, existing_parent_allowed: bool = False) -> User | None:
    """Check the name and address; return the parent's existing account when one may be linked instead."""
    if not full_name:
        errors["full_name"] = "Enter their full name"
    if not email:
        errors["email"] = "Enter their email address"
        return None
    if "@" not in email or " " in email:
        errors["email"] = "Enter an email address in the correct format, like name@example.com"
        return None
    existing = User.objects.filter(email=email).first()
    if existing is not None and not (existing_parent_allowed and existing.role == Role.FAMILY and existing.is_active):
        errors["email"] = EXISTING_ACCOUNT
    return existing


def _issue(*, kind, email, full_name, role, actor, request, organisation=None, teams=(), child=None,
           relationship="", parental_responsibility=False, user=None, base_url=None) -> Issued:
    """Record one invitation, withdrawing any earlier open one for the same person and purpose."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    earlier = Invitation.objects.open(now).filter(kind=kind, email=email)
    if child is not None:
        earlier = earlier.filter(child=child)
    earlier.update(revoked_at=now)
    invitation = Invitation.objects.create(
        kind=kind, email=email, full_name=full_name, role=role, organisation=organisation, child=child,
        relationship=relationship, parental_responsibility=parental_responsibility, user=user,
        token_hash=_hash(raw), totp_key=default_key(), invited_by=actor if getattr(actor, "pk", None) else None,
        created_at=now, expires_at=now + timedelta(hours=INVITATION_LIFETIME_HOURS),
    )
    if teams:
        invitation.teams.set(teams)
    link = (base_url or site_url(request)) + reverse("accounts:invitation", args=[raw])
    transaction.on_commit(lambda: _email_link(invitation, link))
    return Issued(invitation, link)


def _email_link(invitation: Invitation, link: str) -> None:
    """Send the link; a mail server's failure is recorded on the invitation (it can be sent again)."""
    who = invitation.invited_by.full_name if invitation.invited_by_id else "Your administrator"
    expires = timezone.localtime(invitation.expires_at).strftime("%-d %B %Y at %-I:%M%p").replace("AM", "am").replace("PM", "pm")
    service = f"{settings.SERVICE_NAME} ({settings.PARTNERSHIP_NAME})"
    if invitation.kind == InvitationKind.TWO_FACTOR:
        subject = f"Set up your authenticator app for {settings.SERVICE_NAME}"
        what = (f"{who} has reset two-factor sign-in for your {service} account. Open this link to set up "
                "your authenticator app:")
    elif invitation.kind == InvitationKind.STAFF:
        subject = f"You have been invited to {settings.SERVICE_NAME}"
        what = (f"{who} has invited you to {service}. Open this link to choose a password and set up your "
                "authenticator app:")
    elif invitation.user_id:
        subject = f"You have been invited to follow another child's support on {settings.SERVICE_NAME}"
        what = (f"{who} has invited you to follow the support for another child or young person in your "
                f"{service} account. Open this link and enter your password to add them:")
    else:
        subject = f"You have been invited to {settings.SERVICE_NAME}"
        what = (f"{who} has invited you to {service}, where you can follow the support for a child or young "
                "person. Open this link to choose a password:")
    body = (f"Dear {invitation.full_name},\n\n{what}\n\n{link}\n\nThe link works once and stops working on "
            f"{expires}. If it has stopped working, ask for a new one.\n\nIf you were not expecting this email, "
            "you can ignore it.")
    try:
        send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL,
                  recipient_list=[invitation.email])
    except Exception as error:  # noqa: BLE001  a mail server's failure is recorded, never raised at the inviter
        Invitation.objects.filter(pk=invitation.pk).update(email_error=str(error)[:300])
    else:
        Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now(), email_error="")


# Who may invite whom --------------------------------------------------------------------------------

def organisations_for_inviter(user):
    """An administrator invites staff to any organisation; a team manager to their own and those in their area."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return Organisation.objects.all()
    if user.role == Role.TEAM_MANAGER and user.organisation_id:
        return Organisation.objects.filter(Q(pk=user.organisation_id) | Q(local_authority_id=user.organisation_id))
    return Organisation.objects.none()


def roles_for_inviter(user) -> list[tuple[str, str]]:
    """Staff roles the person may give: only an administrator makes another administrator."""
    allowed = [(value, label) for value, label in Role.choices if value in STAFF_ROLES]
    if user.role != Role.ADMINISTRATOR:
        allowed = [(value, label) for value, label in allowed if value != Role.ADMINISTRATOR]
    return allowed


def staff_visible_to(user):
    """The staff accounts a team manager or administrator looks after (an administrator: all of them)."""
    if user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR:
        return User.objects.filter(role__in=STAFF_ROLES)
    return User.objects.filter(role__in=STAFF_ROLES, organisation__in=organisations_for_inviter(user))


# Staff ----------------------------------------------------------------------------------------------

def invite_staff(*, actor, email: str, full_name: str, role: str, organisation: Organisation | None,
                 teams=(), request=None, base_url: str | None = None) -> Issued:
    """A team manager or administrator (or the command line, with no actor) invites a member of staff."""
    email, full_name = _normalise_email(email), " ".join((full_name or "").split())
    errors: dict[str, str] = {}
    _check_person(errors, email=email, full_name=full_name)
    if role not in STAFF_ROLES:
        errors["role"] = "Select their role"
    elif actor is not None and role not in dict(roles_for_inviter(actor)):
        errors["role"] = "Only an administrator can invite another administrator"
    if organisation is None:
        errors["organisation"] = "Select their organisation"
    elif actor is not None and not organisations_for_inviter(actor).filter(pk=organisation.pk).exists():
        errors["organisation"] = "Select an organisation in your area"
    teams = list(teams)
    if organisation is not None and any(team.organisation_id != organisation.pk for team in teams):
        errors["teams"] = "Select only teams of their organisation"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        issued = _issue(kind=InvitationKind.STAFF, email=email, full_name=full_name, role=role, actor=actor,
                        request=request, organisation=organisation, teams=teams, base_url=base_url)
        _audit(actor=actor, action=AuditAction.CREATE, obj=issued.invitation, request=request,
               summary=f"Invited {full_name} <{email}> as {Role(role).label} at {organisation}")
        return issued


def resend_staff_invitation(*, actor, invitation: Invitation, request=None) -> Issued:
    """A new link for an invitation not yet accepted; the old link stops working."""
    if invitation.kind != InvitationKind.STAFF or invitation.used_at:
        raise ValidationError("This invitation has already been accepted")
    with transaction.atomic():
        issued = _issue(kind=invitation.kind, email=invitation.email, full_name=invitation.full_name,
                        role=invitation.role, actor=actor, request=request, organisation=invitation.organisation,
                        teams=list(invitation.teams.all()))
        _audit(actor=actor, action=AuditAction.CREATE, obj=issued.invitation, request=request,
               summary=f"Sent a new invitation to {invitation.email}")
        return issued


def reset_two_factor(*, actor, user: User, request=None) -> Issued:
    """Remove a member of staff's authenticators and email them a link to set up a new one.

    From now until they use the link they cannot sign in: a password alone never binds a device.
    """
    if not user.needs_two_factor:
        raise ValidationError("Only staff accounts use an authenticator app")
    if not user.is_active:
        raise ValidationError("This account has been deactivated")
    with transaction.atomic():
        # Every second factor goes: a passkey left on a lost phone would still sign in with the password.
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += WebAuthnCredential.objects.filter(user=user).delete()[0]
        issued = _issue(kind=InvitationKind.TWO_FACTOR, email=user.email, full_name=user.full_name, role=user.role,
                        actor=actor, request=request, organisation=user.organisation, user=user)
        _audit(actor=actor, action=AuditAction.UPDATE, obj=user, request=request,
               summary=f"Reset two-factor sign-in for {user.email} ({removed} authenticator(s) removed) and sent "
                       "a link to set up a new one")
        _end_sessions(user)
        send_security_notice(
            user=user, subject="Two-factor sign-in was reset",
            body="Two-factor sign-in for your account was reset: your authenticator app and any passkeys were "
                 "removed. Use the link we emailed you to set up your authenticator app. If you did not ask for "
                 "this, contact your administrator at once.")
        return issued


# Families -------------------------------------------------------------------------------------------

def invite_to_child(*, actor, child: Child, email: str, full_name: str, as_young_person: bool = False,
                    relationship: str = "", parental_responsibility: bool = False, request=None) -> Issued:
    """A caseworker invites a parent, carer or the young person; a young person of 16+ invites a parent.

    Permission to do so is the view's (rules `accounts.invite_family` / `accounts.invite_parent`); this
    checks the invitation itself.
    """
    email, full_name = _normalise_email(email), " ".join((full_name or "").split())
    errors: dict[str, str] = {}
    existing = _check_person(errors, email=email, full_name=full_name, existing_parent_allowed=not as_young_person)
    if existing is not None and "email" not in errors and FamilyMember.objects.filter(child=child, user=existing).exists():
        errors["email"] = "This person's account is already linked to this child"
    if as_young_person:
        if child.account_id:
            errors["who"] = f"{child.full_name} already has their own account"
        elif child.age() < AGE_OF_OWN_CONSENT:
            errors["who"] = f"A young person can have their own account from age {AGE_OF_OWN_CONSENT}"
    elif relationship not in Relationship.values:
        errors["relationship"] = "Select their relationship to the child"
    if errors:
        raise ValidationError(errors)
    role = Role.YOUNG_PERSON if as_young_person else Role.FAMILY
    with transaction.atomic():
        issued = _issue(kind=InvitationKind.FAMILY, email=email, full_name=full_name, role=role, actor=actor,
                        request=request, child=child, relationship="" if as_young_person else relationship,
                        parental_responsibility=parental_responsibility and not as_young_person,
                        user=existing)  # a parent who already has an account adds this child to it
        who = "the young person" if as_young_person else Relationship(relationship).label.lower()
        _audit(actor=actor, action=AuditAction.CREATE, obj=issued.invitation, child=child, request=request,
               summary=f"Invited {full_name} ({who}) to use the service")
        return issued


def remove_family_access(*, actor, member: FamilyMember, request=None) -> FamilyMember:
    """End a parent's or carer's access to this child through their account; the family record stays."""
    with transaction.atomic():
        locked = FamilyMember.objects.select_for_update(of=("self",)).select_related("user", "child").get(pk=member.pk)
        if locked.user_id is None:
            raise ValidationError(f"{locked.full_name} has no account linked to this record")
        before = snapshot(locked, FAMILY_MEMBER_FIELDS)
        locked.user = None
        locked.save(update_fields=["user"])
        record_access_change(actor=actor, obj=locked, before=before, after=snapshot(locked, FAMILY_MEMBER_FIELDS),
                             request=request, where="(removed by invitation management)")
        return locked


def withdraw_invitation(*, actor, invitation: Invitation, request=None) -> Invitation:
    with transaction.atomic():
        updated = Invitation.objects.open().filter(pk=invitation.pk).update(revoked_at=timezone.now())
        if not updated:
            raise ValidationError("This invitation has already been accepted, withdrawn or has expired")
        _audit(actor=actor, action=AuditAction.UPDATE, obj=invitation, child=invitation.child, request=request,
               summary=f"Withdrew the invitation to {invitation.full_name}")
        invitation.refresh_from_db()
        return invitation


# Using a link ---------------------------------------------------------------------------------------

def invitation_for_link(raw: str, *, for_update: bool = False) -> Invitation:
    """The invitation behind a link, or InvitationRefused saying plainly why the link cannot be used."""
    queryset = Invitation.objects.select_related("organisation", "child", "user")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=_hash(raw or "")).first()
    if invitation is None:
        raise InvitationRefused("This link is not valid. Check you copied the whole link from the email, or ask "
                                "for a new invitation.")
    if invitation.used_at:
        raise InvitationRefused("This link has already been used. Sign in with your email address and password, "
                                "or ask for a new link if you need one.")
    if invitation.revoked_at:
        raise InvitationRefused("This link has been replaced by a newer one. Use the link in the most recent "
                                "email, or ask for a new one.")
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(f"This link has expired: links work for {INVITATION_LIFETIME_HOURS} hours. Ask the "
                                "person who invited you to send a new one.")
    return invitation


def pending_device(invitation: Invitation) -> TOTPDevice:
    """The authenticator the person is adding, unsaved: its key is the invitation's, the same on every reload."""
    user = invitation.user or User(email=invitation.email)  # the app labels the entry with the email address
    return TOTPDevice(user=user, name="Authenticator app", key=invitation.totp_key, confirmed=False)


def accept_invitation(*, raw: str, password: str = "", code: str = "", request=None) -> User:
    """Use a link: make the account (or add the authenticator), all or nothing.

    Raises InvitationRefused for a link that cannot be used, ValidationError naming each bad field.
    """
    first_look = invitation_for_link(raw)
    if first_look.links_existing_account:
        _check_existing_password(first_look, password, request)
    with transaction.atomic():
        invitation = invitation_for_link(raw, for_update=True)
        new_account = invitation.sets_password
        errors: dict[str, list[str]] = {}
        if new_account:
            if User.objects.filter(email=invitation.email).exists():
                raise InvitationRefused("There is already an account with this email address: sign in instead, "
                                        "or reset your password from the sign-in page.")
            if not password:
                errors["password"] = ["Enter a password"]
            else:
                try:
                    validate_password(password, User(email=invitation.email, full_name=invitation.full_name))
                except ValidationError as error:
                    errors["password"] = list(error.messages)
        user = invitation.user
        if invitation.kind == InvitationKind.TWO_FACTOR:
            if user is None or not user.is_active:
                raise InvitationRefused("This account has been deactivated.")
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                raise InvitationRefused("An authenticator app is already set up for this account. If you need to "
                                        "change it, ask your team manager or administrator to reset two-factor "
                                        "sign-in.")
        code = "".join((code or "").split())
        if invitation.needs_authenticator and not code:
            errors["code"] = ["Enter the 6-digit code from your authenticator app"]
        elif invitation.needs_authenticator and not (code.isdigit() and len(code) == 6):
            errors["code"] = ["The security code must be 6 digits"]
        if errors:
            raise ValidationError(errors)
        if new_account:
            try:
                with transaction.atomic():
                    # An administrator supports the service through the audited support admin site (ADR 2).
                    support = ({"is_staff": True, "is_superuser": True}
                               if invitation.role == Role.ADMINISTRATOR else {})
                    user = User.objects.create_user(
                        invitation.email, password, full_name=invitation.full_name, role=invitation.role,
                        organisation=invitation.organisation, **support)
            except IntegrityError as error:
                raise InvitationRefused("There is already an account with this email address: sign in instead.") from error
            user.teams.set(invitation.teams.all())
        if invitation.needs_authenticator:
            device = pending_device(invitation)
            device.user = user
            device.save()
            if not device.verify_token(code):  # raising undoes the account and the device with it
                raise ValidationError({"code": ["The security code is not correct: enter the code shown in your "
                                                "app now"]})
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        if invitation.kind == InvitationKind.FAMILY:
            _link_to_child(invitation, user, request)
        invitation.used_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["used_at", "user"])
        summary = {InvitationKind.STAFF: "Accepted the invitation and set up an authenticator app",
                   InvitationKind.FAMILY: "Accepted the invitation" + (" and added the child to their account"
                                                                      if not new_account else ""),
                   InvitationKind.TWO_FACTOR: "Set up a new authenticator app"}[invitation.kind]
        _audit(actor=user, action=AuditAction.CREATE if new_account else AuditAction.UPDATE,
               obj=user, request=request, summary=summary)
        if invitation.needs_authenticator:
            send_security_notice(
                user=user, subject="An authenticator app was set up for your account",
                body="An authenticator app was set up for two-factor sign-in to your account. If this was not "
                     "you, contact your administrator at once.")
        return user


def _check_existing_password(invitation: Invitation, password: str, request) -> None:
    """A parent adding a child to their account proves it is theirs; wrong passwords count towards the lockout.

    Runs before the acceptance's transaction, so a failure is still counted when the acceptance is undone.
    """
    from . import throttling
    from .services import sign_in_error

    user = invitation.user
    if not user.is_active:
        raise InvitationRefused("This account has been deactivated.")
    if request is not None and (not throttling.may_try(request, user.email)
                                or throttling.account_is_locked(user.email)):
        raise InvitationRefused(sign_in_error())
    if not password:
        raise ValidationError({"password": ["Enter your password"]})
    if not user.check_password(password):
        if request is not None:
            throttling.note_failure(request, user.email)
        raise ValidationError({"password": ["The password is not correct: enter the password you sign in with"]})


def _link_to_child(invitation: Invitation, user: User, request) -> None:
    """Link the new account to the child: as the young person, or through their family-member record."""
    child = Child.objects.select_for_update().get(pk=invitation.child_id)
    if invitation.role == Role.YOUNG_PERSON:
        if child.account_id:
            raise InvitationRefused("This record already has the young person's own account.")
        child.account = user
        child.save(update_fields=["account"])
        record_change(actor=user, action=AuditAction.GRANT, obj=child, child=child, request=request,
                      before={"account": None}, after={"account": user.pk},
                      summary="The young person's own account was linked (accepted an invitation)")
        return
    if FamilyMember.objects.filter(child=child, user=user).exists():
        raise InvitationRefused("Your account is already linked to this child.")
    # the family-member record already kept for this person (by email, or by name), else a new one
    unlinked = FamilyMember.objects.filter(child=child, user__isnull=True)
    member = (unlinked.filter(email__iexact=invitation.email).first()
              or unlinked.filter(email="", full_name__iexact=invitation.full_name).first()
              or FamilyMember(child=child))
    before = snapshot(member, FAMILY_MEMBER_FIELDS) if member.pk is not None else {}
    member.email = invitation.email
    member.user, member.full_name = user, invitation.full_name
    member.relationship, member.parental_responsibility = invitation.relationship, invitation.parental_responsibility
    member.save()
    # a grant of access to the child: the same audit row as every other family link (people.services)
    record_access_change(actor=user, obj=member, before=before, after=snapshot(member, FAMILY_MEMBER_FIELDS),
                         request=request, where="(accepted an invitation)")


# Deactivation ---------------------------------------------------------------------------------------

def _end_sessions(user: User) -> int:
    """Delete every session signed in as this person (the database session store)."""
    ended = [session.pk for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
             if session.get_decoded().get("_auth_user_id") == str(user.pk)]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def end_access(user: User) -> tuple[int, int]:
    """End every way in that a deactivated person still holds: sessions, API tokens, open invitations.

    Used by deactivation in the app and by the support admin site when it unticks "active"."""
    now = timezone.now()
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    Invitation.objects.open(now).filter(user=user).update(revoked_at=now)
    return _end_sessions(user), tokens


def deactivate_user(*, actor, user: User, request=None) -> User:
    """Stop someone signing in, at once: their sessions and API tokens end with it. The record stays."""
    if actor is not None and user.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account")
    if not user.is_active:
        raise ValidationError("This account is already deactivated")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        sessions, tokens = end_access(user)
        user.refresh_from_db()
        _audit(actor=actor, action=AuditAction.UPDATE, obj=user, request=request, changes={"is_active": [True, False]},
               summary=f"Deactivated {user.email}: {sessions} session(s) and {tokens} API token(s) ended")
        return user


def reactivate_user(*, actor, user: User, request=None) -> User:
    """Let a deactivated member of staff sign in again (with a new authenticator link if they had none)."""
    if user.is_active:
        raise ValidationError("This account is already active")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.refresh_from_db()
        _audit(actor=actor, action=AuditAction.UPDATE, obj=user, request=request, changes={"is_active": [False, True]},
               summary=f"Reactivated {user.email}")
        return user
