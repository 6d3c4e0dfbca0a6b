// After django-otp-webauthn's script has added a passkey, reload the page so the list shows it.
// Served from static files: the Content-Security-Policy allows no inline script.
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.reload();
});
