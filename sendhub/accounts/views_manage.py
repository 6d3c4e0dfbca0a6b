"""Giving people accounts in the app: staff (team managers, administrators) and families (from a child's page)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendhub.messaging.selectors import delivered_to
from sendhub.people.models import FamilyMember
from sendhub.web.child_access import get_child_or_404, require_perm
from sendhub.web.forms import apply_service_errors

from . import invitations
from .invitation_forms import FamilyInviteForm, StaffInviteForm
from .models import Invitation, InvitationKind, User


def _sent_message(issued) -> str:
    if issued.invitation.email_error:
        return (f"The invitation was saved but the email to {issued.invitation.email} could not be sent. "
                "Try sending it again later.")
    return f"An invitation has been sent to {issued.invitation.email}. The link works for 72 hours."


# Staff ----------------------------------------------------------------------------------------------

@login_required
def staff_list(request):
    require_perm(request, "accounts.invite_staff")
    staff = invitations.staff_visible_to(request.user).select_related("organisation").order_by("full_name", "pk")
    with_device = set(TOTPDevice.objects.filter(user__in=staff, confirmed=True).values_list("user_id", flat=True))
    waiting = (Invitation.objects.open().filter(kind=InvitationKind.STAFF,
                                                organisation__in=invitations.organisations_for_inviter(request.user))
               .select_related("organisation"))
    return render(request, "accounts/staff_list.html", {"staff": staff, "with_device": with_device,
                                                        "waiting": waiting})


@login_required
def staff_invite(request):
    require_perm(request, "accounts.invite_staff")
    form = StaffInviteForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = invitations.invite_staff(actor=request.user, email=data["email"], full_name=data["full_name"],
                                              role=data["role"], organisation=data["organisation"],
                                              teams=data["teams"], request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _sent_message(issued))
            return redirect("manage:staff")
    return render(request, "accounts/staff_invite.html", {"form": form})


def _staff_member(request, pk: int) -> User:
    """Staff outside the manager's area do not exist for them."""
    member = invitations.staff_visible_to(request.user).filter(pk=pk).select_related("organisation").first()
    if member is None or not rules.has_perm("accounts.manage_staff_account", request.user, member):
        raise Http404("No such member of staff")
    return member


@login_required
def staff_member(request, pk: int):
    require_perm(request, "accounts.invite_staff")
    member = _staff_member(request, pk)
    return render(request, "accounts/staff_member.html", {
        "member": member, "has_device": TOTPDevice.objects.filter(user=member, confirmed=True).exists(),
        "tokens": member.api_tokens.filter(revoked_at__isnull=True).count(),
    })


STAFF_ACTIONS = {
    "reset-two-factor": ("Reset two-factor sign-in", invitations.reset_two_factor,
                         "Their authenticator app stops working at once and they are signed out. They are emailed "
                         "a link to set up a new one, which works once, for 72 hours. Until then they cannot sign in.",
                         "Two-factor sign-in has been reset and a link to set up a new authenticator app has been "
                         "emailed"),
    "deactivate": ("Deactivate this account", invitations.deactivate_user,
                   "They are signed out at once, cannot sign in again and their API tokens stop working. Their "
                   "name stays on everything they recorded.", "The account has been deactivated"),
    "reactivate": ("Reactivate this account", invitations.reactivate_user,
                   "They can sign in again with their password and authenticator app.",
                   "The account has been reactivated"),
}


@login_required
def staff_action(request, pk: int, action: str):
    """Confirm (GET), then do (POST), one change to a member of staff's account."""
    require_perm(request, "accounts.invite_staff")
    member = _staff_member(request, pk)
    if action not in STAFF_ACTIONS:
        raise Http404("No such action")
    title, service, explanation, done = STAFF_ACTIONS[action]
    error = ""
    if request.method == "POST":
        try:
            service(actor=request.user, user=member, request=request)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, done)
            return redirect("manage:staff-member", pk=member.pk)
    return render(request, "accounts/staff_confirm.html", {"member": member, "title": title,
                                                           "explanation": explanation, "error": error},
                  status=400 if error else 200)


@login_required
def staff_invitation_resend(request, invitation_pk: int):
    require_perm(request, "accounts.invite_staff")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    invitation = get_object_or_404(
        Invitation.objects.open().filter(kind=InvitationKind.STAFF,
                                         organisation__in=invitations.organisations_for_inviter(request.user)),
        pk=invitation_pk)
    issued = invitations.resend_staff_invitation(actor=request.user, invitation=invitation, request=request)
    messages.success(request, _sent_message(issued))
    return redirect("manage:staff")


# Families -------------------------------------------------------------------------------------------

@login_required
def child_family(request, pk: int):
    """Who in the family has an account for this child, the invitations waiting, and links to change them."""
    child = get_child_or_404(request, pk, audit_summary="Looked at who in the family has an account")
    require_perm(request, "accounts.manage_parents", child)
    return render(request, "accounts/child_family.html", {
        "child": child,
        "members": FamilyMember.objects.filter(child=child).select_related("user"),
        "waiting": child.invitations.open(),
        "can_invite_family": rules.has_perm("accounts.invite_family", request.user, child),
        "is_young_person": child.account_id == request.user.pk,
        "can_set_routes": rules.has_perm("people.change_child", request.user, child),
        "young_person_routes": child.age() >= 16 or child.account_id,
        "deliveries": delivered_to(child)[:30],
    })


@login_required
def child_invite(request, pk: int):
    child = get_child_or_404(request, pk, audit_summary="Opened the invitation form")
    require_perm(request, "accounts.manage_parents", child)
    caseworker = rules.has_perm("accounts.invite_family", request.user, child)
    form = FamilyInviteForm(request.POST or None, can_invite_young_person=caseworker and not child.account_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = invitations.invite_to_child(
                actor=request.user, child=child, email=data["email"], full_name=data["full_name"],
                as_young_person=data["who"] == "young_person", relationship=data.get("relationship", ""),
                parental_responsibility=data.get("parental_responsibility") == "yes", request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _sent_message(issued))
            return redirect("manage:child-family", pk=child.pk)
    return render(request, "accounts/child_invite.html", {"form": form, "child": child})


@login_required
def child_family_remove(request, pk: int, member_pk: int):
    child = get_child_or_404(request, pk, audit_summary="Opened a family member's access")
    require_perm(request, "accounts.manage_parents", child)
    member = get_object_or_404(FamilyMember.objects.select_related("user"), pk=member_pk, child=child,
                               user__isnull=False)
    if request.method == "POST":
        invitations.remove_family_access(actor=request.user, member=member, request=request)
        messages.success(request, f"{member.full_name} can no longer see this record")
        return redirect("manage:child-family", pk=child.pk)
    return render(request, "accounts/child_family_remove.html", {"child": child, "member": member})


@login_required
def child_invitation_withdraw(request, pk: int, invitation_pk: int):
    child = get_child_or_404(request, pk, audit_summary="Withdrew an invitation")
    require_perm(request, "accounts.manage_parents", child)
    if request.method != "POST":  # after the permission check: a stranger learns nothing from the method
        return HttpResponseNotAllowed(["POST"])
    invitation = get_object_or_404(child.invitations.open(), pk=invitation_pk)
    invitations.withdraw_invitation(actor=request.user, invitation=invitation, request=request)
    messages.success(request, f"The invitation to {invitation.full_name} has been withdrawn")
    return redirect("manage:child-family", pk=child.pk)
