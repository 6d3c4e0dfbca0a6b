"""Settings come from the environment. Everything defaults to production behaviour: DEBUG is off unless
`DEBUG=true` is set (script/server and script/test set it), and with DEBUG off sendhub refuses to start
with the development secret key. docs/deploy.md lists every variable with its default.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SENDHUB_VAR_DIR", BASE_DIR.parent / "var"))

DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: an installation that forgets to set DEBUG gets production behaviour (secure
# cookies, the app's own error pages, no demo data), never Django's technical pages.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
# 50 characters is what `check --deploy` (security.W009) asks for; it also checks the key is varied.
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of 50 characters or more when DEBUG is off, for example "
        "the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

# `sendhub demo` and `sendhub totp_code` load and reveal fictional accounts. Besides DEBUG they need
# SENDHUB_DEMO=1 (script/server sets it), and refuse when the database holds any real account.
DEMO_COMMANDS_ENABLED = env_bool("SENDHUB_DEMO", False)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# The partnership this installation serves: shown in the header, letters and the public dashboard.
PARTNERSHIP_NAME = os.environ.get("SENDHUB_PARTNERSHIP_NAME", "Calderbrook SEND Partnership")
SERVICE_NAME = os.environ.get("SENDHUB_SERVICE_NAME", "SEND support")
# The address people use to reach this installation, for links in emails sent without a request
# (`sendhub invite_staff`); pages that send links use the address they were reached at when it is empty.
SITE_URL = os.environ.get("SENDHUB_SITE_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "axes",
    "django_tasks_db",
    "ninja",  # its templates and static files: the API docs page serves Swagger UI from here, no CDN
    "rules.apps.AutodiscoverRulesConfig",
    "sendhub.core",
    "sendhub.accounts",
    "sendhub.organisations",
    "sendhub.people",
    "sendhub.audit",
    "sendhub.clock",
    "sendhub.waits",
    "sendhub.plans",
    "sendhub.assessments",
    "sendhub.reviews",
    "sendhub.portal",
    "sendhub.letters",
    "sendhub.messaging",
    "sendhub.directory",
    "sendhub.dashboard",
    "sendhub.sen2",
    "sendhub.quality",
    "sendhub.demo",
    "sendhub.web",
]

MIDDLEWARE = [
    "sendhub.web.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "sendhub.web.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sendhub.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it only looks at what sign-in left on the request (see SIGN-IN HARDENING).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sendhub.urls"
WSGI_APPLICATION = "sendhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sendhub.web.context_processors.service",
                "sendhub.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sendhub.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the dev server and the task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query it thinks costly, spending 50-60 ms to save a few on the queues' sorts
    # (ADR 15); a web application's short queries never gain from it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any password is checked (see SIGN-IN HARDENING).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---- SIGN-IN HARDENING (throttling, API tokens, passkeys): docs/accounts-security.md -------------
# Failed sign-ins (wrong password, unknown email, wrong two-factor code) are counted by django-axes in
# three ways, each with its own limit within a sliding window of SIGN_IN_LOCKOUT_MINUTES after the last
# failure: one email from one IP address; one email from anywhere (the account); one IP address for any
# email. Reaching a limit pauses sign-in for that email/IP/both until the window passes.
SIGN_IN_MAX_FAILURES = int(os.environ.get("SENDHUB_SIGN_IN_MAX_FAILURES", "5"))
SIGN_IN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("SENDHUB_SIGN_IN_MAX_FAILURES_PER_ACCOUNT", "20"))
SIGN_IN_MAX_FAILURES_PER_IP = int(os.environ.get("SENDHUB_SIGN_IN_MAX_FAILURES_PER_IP", "50"))
SIGN_IN_LOCKOUT_MINUTES = int(os.environ.get("SENDHUB_SIGN_IN_LOCKOUT_MINUTES", "15"))
# Every sign-in answer takes at least this long, so a locked, unknown or wrong answer cannot be told apart
# by its timing (the test settings fixture sets it to 0; one test checks it).
SIGN_IN_MIN_SECONDS = float(os.environ.get("SENDHUB_SIGN_IN_MIN_SECONDS", "1.0"))

AXES_HANDLER = "sendhub.accounts.throttling.SendhubAxesHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_FAILURE_LIMIT = SIGN_IN_MAX_FAILURES  # the handler applies the per-account and per-IP limits too
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_LOCKOUT_MINUTES)
AXES_USERNAME_CALLABLE = "sendhub.accounts.throttling.username_of"
# Reverse proxies in front of sendhub that append to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for).
# 0: count failures against REMOTE_ADDR. Set it behind a proxy, or every visitor shares the proxy's address.
SENDHUB_TRUSTED_PROXY_COUNT = int(os.environ.get("SENDHUB_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "sendhub.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "sendhub.accounts.throttling.keep_the_page"  # same page and message as a wrong password
AXES_RESET_ON_SUCCESS = False  # reset only after the whole sign-in (two-factor included): services.note_signed_in
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # tries while paused neither count nor extend the pause
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit trail already
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "email", "code"]
AXES_VERBOSE = False

# API tokens expire (`sendhub token EMAIL --expires-in-days N`); this is the default.
API_TOKEN_DAYS = int(os.environ.get("SENDHUB_API_TOKEN_DAYS", "90"))

# Passkeys (django-otp-webauthn) as a second factor beside an authenticator app, never instead of a password.
OTP_WEBAUTHN_RP_ID = os.environ.get("SENDHUB_WEBAUTHN_RP_ID", "localhost" if DEBUG else (ALLOWED_HOSTS or [""])[0])
OTP_WEBAUTHN_RP_NAME = PARTNERSHIP_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "SENDHUB_WEBAUTHN_ORIGINS", "http://localhost:8000" if DEBUG else f"https://{OTP_WEBAUTHN_RP_ID}")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # django-otp; sendhub.accounts.device_admin hides keys anyway
# ---- end of SIGN-IN HARDENING ----------------------------------------------------------------------

OTP_TOTP_ISSUER = PARTNERSHIP_NAME

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: collected by `sendhub collectstatic` into STATIC_ROOT with content-hashed names and
# served by WhiteNoise, which gives hashed files a year's Cache-Control (immutable).
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "sendhub.web.storage.StaticFilesStorage"  # WhiteNoise's compressed manifest storage
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

TASKS = {
    "default": {"BACKEND": os.environ.get("SENDHUB_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}

# Django 6.1 mailers. Development prints mail to the console; production sends by SMTP. The file
# backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend, EMAIL_FILE_PATH=DIR)
# writes each message to a file in DIR: the production smoke test (script/smoke) reads them.
_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": {}}}
# GOV.UK Notify letters: with a key, packs for post go to Notify's printers (precompiled letters) instead of
# waiting on the council's post tray (sendhub/messaging/tasks.py, docs/communications.md).
NOTIFY_LETTER_API_KEY = os.environ.get("NOTIFY_LETTER_API_KEY", "")

if os.environ.get("NOTIFY_API_KEY"):
    # GOV.UK Notify (sendhub/messaging/notify.py): one template with ((subject)) and ((body)).
    MAILERS["default"] = {
        "BACKEND": "sendhub.messaging.notify.NotifyEmailBackend",
        "OPTIONS": {"api_key": os.environ["NOTIFY_API_KEY"],
                    "template_id": os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", ""),
                    "file_template_id": os.environ.get("NOTIFY_EMAIL_FILE_TEMPLATE_ID", "")},
    }
elif _EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    if not os.environ.get("EMAIL_FILE_PATH"):
        raise ImproperlyConfigured("EMAIL_FILE_PATH must name a directory when EMAIL_BACKEND is the file backend")
    MAILERS["default"]["OPTIONS"] = {"file_path": os.environ["EMAIL_FILE_PATH"]}
elif _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "send-support@example.org")

# Security headers and cookies. Production (DEBUG off) sends every cookie Secure only, HSTS for a year
# and redirects plain HTTP to HTTPS; docs/deploy.md explains each variable.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "sendhub.web.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # addresses hold record ids: never tell another site about them
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by sendhub.web.middleware.PermissionsPolicyMiddleware: no page needs any of these features.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Health checks come from inside the network (a load balancer, the supervisor) over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a TLS proxy Django sees plain HTTP; it may believe the proxy's X-Forwarded-Proto only when the
# proxy always sets it (and strips what clients send). Trusting it without such a proxy would let anyone
# claim HTTPS, so it is off unless the operator says so.
if env_bool("SENDHUB_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a commitment made for a whole registrable domain (e.g. a council's gov.uk domain)
    # through hstspreload.org; a service on a subdomain cannot make it. SECURE_HSTS_PRELOAD=true sends
    # the preload flag where the domain owner has decided to.
    "security.W021",
]

# Content Security Policy (Django's own middleware): everything from this site only, no inline script
# or style anywhere (a test scans every template), no plugins, no framing, forms post only here.
# data: images are Swagger UI's icons on the API docs page (inlined in its own stylesheet).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Logs go to stdout, one line per event as key=value pairs (sendhub.web.logging): every request with
# its id, method, path (never the query string, which can hold names and NHS numbers), status and time.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"keyvalue": {"()": "sendhub.web.logging.KeyValueFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "keyvalue"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # RequestLogMiddleware logs every response; Django's own 4xx/5xx lines would repeat them
        # (5xx exceptions still come through, with their traceback, at ERROR).
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
    },
}

# --- Uploads and imports (helper G: docs/security.md, "Uploads" and "Imports") --------------------------
# Django's own hard stops: more files than this in one request is refused outright (400); files above the
# memory size are streamed to a temporary file instead of being held in memory.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5MB, Django's default, stated so nobody raises it by accident
# What one form accepts, checked with a GOV.UK error on the field (sendhub/core/uploads.py).
SENDHUB_UPLOAD_MAX_FILES = int(os.environ.get("SENDHUB_UPLOAD_MAX_FILES", "10"))
SENDHUB_UPLOAD_MAX_TOTAL_BYTES = int(os.environ.get("SENDHUB_UPLOAD_MAX_TOTAL_MB", "25")) * 1024 * 1024
# A ClamAV daemon to scan every upload (INSTREAM); when set and unreachable, uploads are refused.
SENDHUB_CLAMD_SOCKET = os.environ.get("SENDHUB_CLAMD_SOCKET", "")
SENDHUB_CLAMD_HOST = os.environ.get("SENDHUB_CLAMD_HOST", "")
SENDHUB_CLAMD_PORT = int(os.environ.get("SENDHUB_CLAMD_PORT", "3310"))
SENDHUB_CLAMD_TIMEOUT = float(os.environ.get("SENDHUB_CLAMD_TIMEOUT", "30"))
# Imports (local offer feeds, waiting lists): rows read one at a time up to this many.
SENDHUB_IMPORT_MAX_ROWS = int(os.environ.get("SENDHUB_IMPORT_MAX_ROWS", "50000"))

# --- The council's details, waiting-list estimates (helper I: README "Settings", docs/waits-estimator.md) ----
# Shown on the privacy notice, the accessibility statement and families' waiting-list pages. The demo
# defaults are fictional (Calderbrook does not exist; 01632 960xxx numbers are Ofcom's drama range, .test
# addresses cannot be reached, ZZ-numbers are not ICO registrations): set every one for a real council.
COUNCIL_NAME = os.environ.get("SENDHUB_COUNCIL_NAME", "Calderbrook Metropolitan Borough Council (fictional)")
COUNCIL_ADDRESS = os.environ.get("SENDHUB_COUNCIL_ADDRESS", "Town Hall, 1 Example Square, Calderbrook, CB1 0XX")
COUNCIL_SEND_TEAM_EMAIL = os.environ.get("SENDHUB_COUNCIL_SEND_TEAM_EMAIL", "send.team@calderbrook.example.test")
COUNCIL_SEND_TEAM_TELEPHONE = os.environ.get("SENDHUB_COUNCIL_SEND_TEAM_TELEPHONE", "01632 960000")
COUNCIL_DPO_NAME = os.environ.get("SENDHUB_COUNCIL_DPO_NAME", "Data Protection Officer")
COUNCIL_DPO_EMAIL = os.environ.get("SENDHUB_COUNCIL_DPO_EMAIL", "dpo@calderbrook.example.test")
COUNCIL_DPO_ADDRESS = os.environ.get("SENDHUB_COUNCIL_DPO_ADDRESS",
                                     "Data Protection Officer, Town Hall, 1 Example Square, Calderbrook, CB1 0XX")
COUNCIL_ICO_REGISTRATION = os.environ.get("SENDHUB_COUNCIL_ICO_REGISTRATION", "ZZ000000 (fictional)")
COUNCIL_ADVICE_SERVICE_NAME = os.environ.get("SENDHUB_ADVICE_SERVICE_NAME",
                                             "Calderbrook SEND Information, Advice and Support Service (SENDIASS)")
COUNCIL_ADVICE_SERVICE_TELEPHONE = os.environ.get("SENDHUB_ADVICE_SERVICE_TELEPHONE", "01632 960123")
COUNCIL_ADVICE_SERVICE_EMAIL = os.environ.get("SENDHUB_ADVICE_SERVICE_EMAIL", "sendiass@calderbrook.example.test")
COUNCIL_ADVICE_SERVICE_WEBSITE = os.environ.get("SENDHUB_ADVICE_SERVICE_WEBSITE", "")
# The date the accessibility statement was prepared and last reviewed (YYYY-MM-DD).
ACCESSIBILITY_STATEMENT_PREPARED = os.environ.get("SENDHUB_ACCESSIBILITY_STATEMENT_PREPARED", "2026-12-01")
ACCESSIBILITY_STATEMENT_REVIEWED = os.environ.get("SENDHUB_ACCESSIBILITY_STATEMENT_REVIEWED", "2026-12-01")
# A waiting-list range wider than this many months is not shown to families: the page says "we cannot
# give a reliable date" instead, with the place on the list and the weeks waited.
WAITS_RELIABLE_RANGE_MONTHS = int(os.environ.get("SENDHUB_WAITS_RELIABLE_RANGE_MONTHS", "12"))
# Kinds of list (organisations.HealthServiceKind) that are assessment pathways where NHS Right to Choose
# applies: families are told they may ask their GP to refer to another provider.
WAITS_RIGHT_TO_CHOOSE_KINDS = env_list("SENDHUB_WAITS_RIGHT_TO_CHOOSE_KINDS", "neurodevelopmental")
