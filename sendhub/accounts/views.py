from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from . import services
from .forms import CodeForm, SignInForm


def _next_url(request, default="web:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_password_sign_in(
                request=request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
            )
        except services.SignInRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            login(request, user)
            if not user.needs_two_factor:
                services.note_signed_in(request=request, user=user)
            return redirect(_next_url(request))
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
def two_factor(request):
    """Staff confirm a code from their authenticator app.

    There is no setting up here: an authenticator is only ever added through an emailed single-use link
    (invitations.py), so a password alone never binds one. Someone without one is signed out and told how
    to get a link.
    """
    user = request.user
    if not user.needs_two_factor or user.is_verified():
        return redirect(_next_url(request))
    device = services.confirmed_totp_device(user)
    if device is None:
        logout(request)
        return render(request, "accounts/no_authenticator.html", status=403)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ok = services.verify_totp(request=request, user=user, device=device, code=form.cleaned_data["code"])
        except services.SignInRefused as refusal:
            logout(request)
            return render(request, "accounts/sign_in.html", {"form": SignInForm(), "refusal": str(refusal)}, status=403)
        if ok:
            otp_login(request, device)
            request.session.cycle_key()  # a session id seen before the second factor is worthless after it
            services.note_signed_in(request=request, user=user)
            return redirect(_next_url(request))
        form.add_error("code", "The security code is not correct: enter the code shown in your app now")
    return render(request, "accounts/two_factor.html",
                  {"form": form, "next": _next_url(request, ""), "has_passkey": services.has_passkey(user)})


@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:signed-out")


def signed_out(request):
    return render(request, "accounts/signed_out.html")


@login_required
def account(request):
    return render(request, "accounts/account.html", {
        "has_device": services.confirmed_totp_device(request.user) is not None,
    })
