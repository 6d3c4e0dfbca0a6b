"""Production mode: safe settings when nothing is set, the app's own error pages, security headers and
the Content Security Policy, health checks, request logs without personal details, `sendhub serve`.

Settings are read once at start-up, so the tests of what the environment does run `python -c` in a
subprocess with exactly that environment. pytest-django already runs every test with DEBUG off.
"""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path

from sendhub.web import views
from sendhub.web.logging import KeyValueFormatter
from sendhub.web.management.commands import serve

ROOT = Path(__file__).resolve().parents[3]
REAL_KEY = "Vq3-tR8_pLw2NzXk7yHc4mGj9sBd6fQa1eUo5iZr0TnKxWvYhJ"  # 50 varied characters, for tests only


def run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    """Import sendhub's settings in a fresh interpreter with only `env` (plus what Python needs)."""
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
                "DJANGO_SETTINGS_MODULE": "sendhub.settings", "SENDHUB_VAR_DIR": "/tmp/sendhub-settings-test",
                **env}
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
                          env=full_env, capture_output=True, text=True, timeout=120, cwd=ROOT)


# Settings -----------------------------------------------------------------------------------------


def test_with_nothing_set_sendhub_is_in_production_mode_and_refuses_the_development_key():
    result = run_settings({}, "print(settings.DEBUG)")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_defaults_are_safe():
    result = run_settings(
        {"SECRET_KEY": REAL_KEY, "ALLOWED_HOSTS": "send.example.org"},
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT,"
        " settings.SECURE_HSTS_SECONDS, settings.SECURE_PROXY_SSL_HEADER, settings.DEMO_COMMANDS_ENABLED,"
        " settings.STORAGES['staticfiles']['BACKEND'], settings.MAILERS['default']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "31536000", "None", "False",
                                     "sendhub.web.storage.StaticFilesStorage",
                                     "django.core.mail.backends.smtp.EmailBackend"]


def test_a_short_secret_key_is_refused_in_production():
    result = run_settings({"SECRET_KEY": REAL_KEY[:40]}, "print(settings.DEBUG)")
    assert result.returncode != 0
    assert "50 characters" in result.stderr


def test_the_proxy_https_header_is_trusted_only_when_the_operator_says_so():
    env = {"SECRET_KEY": REAL_KEY, "SENDHUB_TRUST_X_FORWARDED_PROTO": "true"}
    result = run_settings(env, "print(settings.SECURE_PROXY_SSL_HEADER)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_mail_can_be_written_to_files(tmp_path):
    env = {"SECRET_KEY": REAL_KEY, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": str(tmp_path)}
    result = run_settings(env, "print(settings.MAILERS['default']['OPTIONS']['file_path'])")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path)
    result = run_settings({**env, "EMAIL_FILE_PATH": ""}, "print(settings.MAILERS)")
    assert result.returncode != 0
    assert "EMAIL_FILE_PATH must name a directory" in result.stderr


def test_deploy_checks_pass_with_production_settings(tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "SECRET_KEY": REAL_KEY,
           "ALLOWED_HOSTS": "send.example.org", "SENDHUB_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run([sys.executable, "-m", "sendhub.cli", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_every_stylesheet_reference_resolves_so_collectstatic_can_hash_it():
    """The manifest storage refuses to collect a stylesheet whose url() names a missing file (as the
    GOV.UK footer crest once did, so nothing could be served with DEBUG off)."""
    checked = 0
    for finder in finders.get_finders():
        for name, storage in finder.list(ignore_patterns=None):
            if not name.endswith(".css") or not name.startswith(("sendhub/", "govuk/")):
                continue
            css = Path(storage.path(name)).read_text()
            for url in re.findall(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""", css):
                if url.startswith(("data:", "#", "http:", "https:")):
                    continue
                target = os.path.normpath(os.path.join(os.path.dirname(name), url.split("?")[0].split("#")[0]))
                assert finders.find(target), f"{name} refers to {url}, which is not a static file"
                checked += 1
    assert finders.find("sendhub/sendhub.css")


# Error pages ----------------------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("odd")


urlpatterns = [
    path("test-500", _boom),
    path("test-403", _forbidden),
    path("test-400", _suspicious),
    path("", include("sendhub.urls")),
]
handler400 = "sendhub.web.views.error_400"
handler403 = "sendhub.web.views.error_403"
handler404 = "sendhub.web.views.error_404"
handler500 = "sendhub.web.views.error_500"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize("url, status, heading", [
    ("/no-such-page", 404, "Page not found"),
    ("/test-403", 403, "You do not have permission to see this page"),
    ("/test-400", 400, "Sorry, there is a problem with your request"),
    ("/test-500", 500, "Sorry, there is a problem with the service"),
])
def test_errors_show_the_apps_own_pages(url, status, heading):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    body = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in body
    assert "govuk-template" in body and re.search(r"/static/sendhub/sendhub(\.[0-9a-f]{12})?\.css", body)
    assert "Traceback" not in body and "technical" not in body.lower() and "a bug" not in body


@pytest.mark.django_db
def test_a_form_without_a_valid_csrf_token_gets_the_apps_own_page():
    response = Client(enforce_csrf_checks=True).post("/account/sign-in", {"email": "a@example.test"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sorry, we could not accept that form" in body
    assert "CSRF verification failed" not in body


@pytest.mark.django_db
def test_the_server_error_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/anything")
    with django_assert_num_queries(0):
        response = views.error_500(request)
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


# Headers and the Content Security Policy -----------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy_and_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_hsts_is_sent_over_https_in_production(client):
    with override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True):
        response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


TEMPLATE_ROOTS = sorted((ROOT / "sendhub").glob("*/templates"))
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
]


@pytest.mark.parametrize("template", [p for root in TEMPLATE_ROOTS for p in sorted(root.rglob("*.html"))],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_style(template):
    """The policy allows no inline script or style: each would be blocked in the browser."""
    text = template.read_text()
    for pattern, what in INLINE:
        match = pattern.search(text)
        assert match is None, f"{template.relative_to(ROOT)} has {what}: {match.group(0)!r}"


def test_the_template_scan_finds_inline_code():
    samples = ["<script>alert(1)</script>", "<style>p{}</style>", '<p style="color:red">', '<a onclick="x()">']
    for sample in samples:
        assert any(pattern.search(sample) for pattern, _ in INLINE), sample
    assert not any(pattern.search('<script src="/static/a.js"></script>') for pattern, _ in INLINE)


@pytest.mark.django_db
def test_the_api_docs_load_swagger_from_this_site_only(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    addresses = re.findall(r"""(?:src|href)=["']([^"']+)["']""", body)
    assert any("swagger-ui-bundle" in a for a in addresses)
    assert all(a.startswith("/static/") for a in addresses), addresses
    assert "cdn" not in body.lower()


# Health checks ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_readyz_touches_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/readyz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_says_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"database unavailable"


# Logs ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_request_is_logged_without_its_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="sendhub.request"):
        response = client.get("/children/?q=Ada+Lovelace&nhs=9990001234", HTTP_X_REQUEST_ID="proxy-id-123456")
    record = next(r for r in caplog.records if r.name == "sendhub.request")
    assert response["X-Request-ID"] == "proxy-id-123456"
    assert (record.request_id, record.method, record.path, record.status) == ("proxy-id-123456", "GET", "/children/", 302)
    assert isinstance(record.duration_ms, int)
    line = KeyValueFormatter().format(record)
    assert "Ada" not in line and "9990001234" not in line and "?" not in line
    assert re.search(r"\bmethod=GET path=/children/ status=302 duration_ms=\d+ user_id=- ", line + " ")


@pytest.mark.django_db
def test_a_request_id_that_is_not_a_plain_token_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith=newline")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_log_lines_are_key_value_with_quoting():
    record = logging.makeLogRecord({"name": "sendhub.x", "levelname": "WARNING", "msg": 'said "hi" = %s',
                                    "args": ("there",), "path": "/a b", "status": 404})
    line = KeyValueFormatter().format(record)
    assert re.fullmatch(r'ts=\S+Z level=WARNING logger=sendhub\.x msg="said \\"hi\\" = there" path="/a b" status=404', line)


# sendhub serve ---------------------------------------------------------------------------------------


def test_serve_runs_gunicorn_with_production_options(monkeypatch):
    seen = {}

    def fake_run(app):
        app.load_config()
        seen.update({name: app.cfg.settings[name].get() for name in
                     ("bind", "workers", "timeout", "accesslog", "errorlog", "forwarded_allow_ips", "max_requests")})
        seen["app"] = app.load()

    monkeypatch.setattr("gunicorn.app.base.BaseApplication.run", fake_run)
    call_command("serve", "--bind", "127.0.0.1:8123", "--workers", "3", "--timeout", "45")
    from sendhub.wsgi import application

    assert seen["bind"] == ["127.0.0.1:8123"]
    assert (seen["workers"], seen["timeout"], seen["max_requests"]) == (3, 45, 1000)
    assert seen["accesslog"] is None  # sendhub logs requests itself, without query strings
    assert seen["errorlog"] == "-"
    assert seen["forwarded_allow_ips"] == []  # HTTPS detection is Django's (SENDHUB_TRUST_X_FORWARDED_PROTO)
    assert seen["app"] is application


def test_serve_defaults(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert serve.default_workers() == 5
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert serve.default_workers() == 8
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert serve.default_workers() == 3
    assert serve.DEFAULT_BIND == "127.0.0.1:8000"


def test_serve_refuses_zero_workers():
    with pytest.raises(CommandError, match="--workers and --timeout must be 1 or more"):
        call_command("serve", "--workers", "0")


# PDFs ------------------------------------------------------------------------------------------------------


def test_pdfs_read_their_stylesheet_from_the_static_files_and_fetch_nothing_else(monkeypatch):
    """Print styles are static files now (no <style> in templates); a PDF never loads another address."""
    from weasyprint.urls import FatalURLFetchingError

    from sendhub.core import pdf

    page = '<html lang="en"><head><title>t</title><link rel="stylesheet" href="{}"></head><body><p>x</p></body></html>'
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: page.format("/static/sendhub/print/letter.css"))
    assert pdf.render_pdf("any.html", {}).startswith(b"%PDF")
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: page.format("https://elsewhere.example/x.css"))
    with pytest.raises(FatalURLFetchingError):
        pdf.render_pdf("any.html", {})
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: page.format("/static/sendhub/print/missing.css"))
    with pytest.raises(FatalURLFetchingError):
        pdf.render_pdf("any.html", {})
