import segno
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
    """Staff confirm a code from their authenticator app, setting one up the first time."""
    user = request.user
    if not user.needs_two_factor or user.is_verified():
        return redirect(_next_url(request))
    device = services.confirmed_totp_device(user)
    setting_up = device is None
    if setting_up:
        device = services.pending_totp_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ok = services.verify_totp(request=request, user=user, device=device, code=form.cleaned_data["code"])
        except services.SignInRefused as refusal:
            logout(request)
            return render(request, "accounts/sign_in.html", {"form": SignInForm(), "refusal": str(refusal)}, status=403)
        if ok:
            otp_login(request, device)
            services.note_signed_in(request=request, user=user)
            return redirect(_next_url(request))
        form.add_error("code", "The security code is not correct: enter the code shown in your app now")
    context = {"form": form, "setting_up": setting_up, "next": _next_url(request, ""),
               "has_passkey": not setting_up and services.has_passkey(user)}
    if setting_up:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code to add sendhub to your authenticator app")
        context["secret"] = _base32_key(device)
    return render(request, "accounts/two_factor.html", context)


def _base32_key(device) -> str:
    import base64

    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


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
