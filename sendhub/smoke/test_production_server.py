"""A real `sendhub serve` with production settings (DEBUG unset, a random secret key, PostgreSQL,
collected static files), checked over plain HTTP and in Chromium. script/smoke starts it.

The server sits behind no TLS proxy here, so script/smoke sets SECURE_SSL_REDIRECT=false and
SENDHUB_TRUST_X_FORWARDED_PROTO=true: a request saying `X-Forwarded-Proto: https` is what the proxy
would send, and gets what an HTTPS visitor gets (HSTS).
"""

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

URL = os.environ.get("SENDHUB_SMOKE_URL", "").rstrip("/")
DATABASE_URL = os.environ.get("SENDHUB_SMOKE_DATABASE_URL", "")
SERVER_LOG = os.environ.get("SENDHUB_SMOKE_SERVER_LOG", "")
HOST = URL.split("://", 1)[-1]
YEAR = 365 * 24 * 3600


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(path: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """(status, headers, body) of a GET, without following redirects or raising on errors."""
    request = urllib.request.Request(URL + path, headers=headers or {})
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def production_env(**changes: str) -> dict[str, str]:
    """The server's environment (script/smoke exports it), for running `sendhub` commands beside it."""
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    for name in ("DEBUG", "SENDHUB_DEMO"):
        env.pop(name, None)
    env.update(changes)
    return env


def sendhub(*args: str, **env_changes: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sendhub.cli", *args], env=production_env(**env_changes),
                          capture_output=True, text=True, timeout=300)


def test_the_server_runs_in_production_mode():
    status, headers, body = get("/")
    assert status == 200
    assert "govuk-template" in body
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS means nothing there


def test_https_through_the_proxy_gets_hsts_and_secure_cookies():
    status, headers, _ = get("/account/sign-in", {"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith(f"max-age={YEAR}")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    cookie = headers.get("Set-Cookie", "")
    assert "csrftoken=" in cookie and "Secure" in cookie


def test_an_unknown_address_gets_the_apps_own_404_page():
    status, headers, body = get("/no-such-page/123")
    assert status == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in body
    assert "Using the URLconf" not in body and "DEBUG = True" not in body
    assert "Content-Security-Policy" in headers


def test_health_checks_answer():
    for path in ("/healthz", "/readyz"):
        status, headers, body = get(path)
        assert (status, body) == (200, "ok"), path
        assert "no-store" in headers["Cache-Control"]


def test_static_files_have_hashed_names_and_long_cache_lifetimes():
    _, _, body = get("/")
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', body)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg|png)$", asset), f"{asset} has no content hash"
        status, headers, content = get(asset)
        assert status == 200, asset
        max_age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))
        assert max_age >= YEAR and "immutable" in headers["Cache-Control"], (asset, headers["Cache-Control"])
    init = next(a for a in assets if "/init." in a)
    _, _, script = get(init)
    imported = re.search(r'from "\.\./govuk/(govuk-frontend\.min\.[0-9a-f]{12}\.js)"', script)
    assert imported, "the module that starts GOV.UK Frontend must load the hashed file"
    assert get(f"/static/govuk/{imported.group(1)}")[0] == 200


def test_requests_are_logged_as_key_value_lines_without_query_strings():
    request_id = uuid.uuid4().hex
    status, headers, _ = get("/local-offer/?q=Robin+Smoketest+9990001006", {"X-Request-ID": request_id})
    assert status == 200 and headers["X-Request-ID"] == request_id
    log = Path(SERVER_LOG).read_text()
    lines = [line for line in log.splitlines() if f"request_id={request_id}" in line]
    assert len(lines) == 1, lines
    assert re.search(r"level=INFO logger=sendhub\.request msg=request request_id=\w+ method=GET path=/local-offer/ "
                     r"status=200 duration_ms=\d+ user_id=-$", lines[0]), lines[0]
    assert "Smoketest" not in log and "9990001006" not in log


def test_pages_and_the_api_docs_load_nothing_from_elsewhere_and_break_no_policy(browser):
    context = browser.new_context()
    page = context.new_page()
    requested, problems = [], []
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(URL + "/")
        page.wait_for_load_state("networkidle")
        assert "govuk-frontend-supported" in page.evaluate("document.body.className")  # the scripts ran
        page.goto(URL + "/api/v1/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
        page.wait_for_load_state("networkidle")
        assert "sendhub API" in page.locator(".swagger-ui .info .title").inner_text()
    finally:
        context.close()
    offsite = [u for u in requested if not u.startswith((URL + "/", "data:"))]
    assert offsite == [], offsite
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_the_demo_commands_refuse_a_production_installation():
    result = sendhub("demo", "--scale", "20")
    assert result.returncode != 0
    assert "DEBUG is off" in result.stderr and "SENDHUB_DEMO=1 is not set" in result.stderr
    result = sendhub("totp_code", "caseworker@demo.sendhub.test")
    assert result.returncode != 0 and "refuses to run" in result.stderr

    # Even with both switched on by mistake, a database with a real account is refused. The first real
    # account normally comes from the invitation journey (test_invitation_journey.py, which runs first);
    # run alone, this makes one the way an operator makes the support administrator.
    if "real account" not in sendhub("demo", "--scale", "20", DEBUG="true", SENDHUB_DEMO="1").stderr:
        made = sendhub("createsuperuser", "--no-input", DJANGO_SUPERUSER_EMAIL="operator@smoke.example",
                       DJANGO_SUPERUSER_FULL_NAME="Olu Operator", DJANGO_SUPERUSER_PASSWORD="tidal-cedar-lantern-5830")
        assert made.returncode == 0, made.stderr
    result = sendhub("demo", "--scale", "20", DEBUG="true", SENDHUB_DEMO="1")
    assert result.returncode != 0
    assert "real account" in result.stderr and "DEBUG is off" not in result.stderr, result.stderr
