"""
Settings for CSI Casebook, driven by environment variables.

Clone, `make run`, and it works: SQLite in the project folder, debug on (the Makefile asks
for it). Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL and leaves
DJANGO_DEBUG unset; with debug off the site is secure by default (HTTPS redirect, HSTS,
secure cookies), and `deploy/casebook.env.example` lists every variable a server sets.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_float(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {value!r}.") from exc
    if not 0 < number < 3600:
        raise ImproperlyConfigured(f"{name} must be between 0 and 3600 seconds, not {value!r}.")
    return number


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "csrsite.apps.CasebookAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csrsite.apps.SiteConfig",
    "cases",
]

# The security headers come first, so that every response gets them, the health check's too.
MIDDLEWARE = [
    "csrsite.headers.ResponseHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that reads the Host header, so a load balancer may probe by address.
    "csrsite.health.HealthCheckMiddleware",
    # Before the method check, which would refuse a browser's CORS preflight (OPTIONS): the
    # API's answers, errors included, carry CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "csrsite.methods.KnownMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "csrsite.idle.StaffIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known, so that a 413 or 429 page is in the visitor's language.
    "csrsite.bodies.BodySizeMiddleware",
    "csrsite.throttle.ThrottleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with the second factor (csrsite/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csrsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csrsite.context_processors.languages",
            ],
        },
    },
]

WSGI_APPLICATION = "csrsite.wsgi.application"

# SQLite in the project folder unless DATABASE_URL says otherwise
# (e.g. postgres://user@127.0.0.1:5432/csrcasebook).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# A database that does not answer must not hold requests (see csrsite/database.py): seconds to
# connect, seconds the server lets one statement run, and seconds the app waits for any answer.
DATABASE_CONNECT_TIMEOUT = env_float("DATABASE_CONNECT_TIMEOUT", 3)
DATABASE_STATEMENT_TIMEOUT = env_float("DATABASE_STATEMENT_TIMEOUT", 5)
DATABASE_QUERY_TIMEOUT = env_float("DATABASE_QUERY_TIMEOUT", DATABASE_STATEMENT_TIMEOUT + 1)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": max(1, round(DATABASE_CONNECT_TIMEOUT)),
            "options": f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache: local memory in each process unless CACHE_URL (or REDIS_URL) names a shared
# one, e.g. redis://127.0.0.1:6379/1; several app servers must share one for caching to stay
# consistent between them.
CACHE_URL = os.environ.get("CACHE_URL", "").strip() or os.environ.get("REDIS_URL", "").strip()
CACHE_TIMEOUT = env_int("CACHE_TIMEOUT", 600)
# A cache that does not answer within this many seconds counts as down (see cases.caching).
CACHE_SOCKET_TIMEOUT = env_float("CACHE_SOCKET_TIMEOUT", 0.5)


def cache_from_url(url):
    if not url or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    raise ImproperlyConfigured(
        "CACHE_URL must start with redis://, rediss://, unix://, locmem:// or dummy://, "
        f"not {url!r}."
    )


CACHES = {
    "default": {**cache_from_url(CACHE_URL), "TIMEOUT": CACHE_TIMEOUT, "KEY_PREFIX": "casebook"}
}

# Django 6 behaviour now: a website typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

# django-axes counts failed logins before the usual password check runs.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Two-factor sign-in for every staff account (csrsite/two_factor.py): a code from an
# authenticator app after the password, or a single-use recovery code. An operator opens
# enrolment for an account (createeditor, reset_two_factor) for this many days.
TWO_FACTOR_ENROLMENT_DAYS = env_int("TWO_FACTOR_ENROLMENT_DAYS", 7)
OTP_TOTP_ISSUER = "CSI Casebook"
# Wrong codes make the next try wait 1, 2, 4, 8 … seconds (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# A signed-in editor who does nothing for this long is signed out; activity starts the time
# again (csrsite/idle.py). Sessions are only ever made for staff.
SESSION_COOKIE_AGE = 60 * env_int("DJANGO_STAFF_IDLE_MINUTES", 60)
# After signing in, where an unsafe or missing `next` would otherwise lead to a 404.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Five failed logins for one username from one address lock that pair for 15 minutes (never
# for good); a successful login clears the count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "csrsite.lockout.locked_out"
# Usernames are cut to the length axes stores, so an overlong one is a failed login, not an error.
AXES_USERNAME_CALLABLE = "csrsite.lockout.username"
AXES_VERBOSE = False
# Behind a proxy, the header it sets to the visitor's address (nginx: X-Real-IP). Leave unset
# where visitors reach gunicorn directly: they could then claim any address.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "").strip()
AXES_CLIENT_IP_CALLABLE = "csrsite.lockout.client_ip"

# Per-address limits (csrsite/throttle.py), as django-ratelimit rates: admin login attempts
# across usernames, searches, downloads (CSV), comparisons and CSP violation reports.
CASEBOOK_RATE_LIMITS = {
    "login": os.environ.get("RATE_LIMIT_LOGIN", "").strip() or "30/h",
    "search": os.environ.get("RATE_LIMIT_SEARCH", "").strip() or "60/m",
    "download": os.environ.get("RATE_LIMIT_DOWNLOAD", "").strip() or "30/m",
    "compare": os.environ.get("RATE_LIMIT_COMPARE", "").strip() or "60/m",
    "report": os.environ.get("RATE_LIMIT_REPORT", "").strip() or "30/m",
    # Readers' reports of a wrong figure or case (the "report" above counts CSP reports).
    "correction": os.environ.get("RATE_LIMIT_CORRECTION", "").strip() or "5/h",
    # Requests to the read API, per address (cases/api/rendering.py).
    "api": os.environ.get("RATE_LIMIT_API", "").strip() or "120/m",
}
# The cache's own guard decides what happens while it is down: nothing is limited.
RATELIMIT_FAIL_OPEN = False
# django-ratelimit's list of supported caches predates Django's own RedisCache, whose incr is
# atomic as the counts need.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Without Redis each process counts on its own, which still limits; production uses Redis.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
RATELIMIT_ENABLE = True

# Importing needs the right to change the records; exporting only the right to view them.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Published data releases (`manage.py release VERSION`), one folder per version, served at /data/.
# Each release's files never change once written; several app servers must share this folder.
CASEBOOK_RELEASES_DIR = Path(os.environ.get("CASEBOOK_RELEASES_DIR", BASE_DIR / "releases"))

# HTTPS. With debug off every request is redirected to https, cookies are sent only over it and
# browsers are told (HSTS) to use nothing else for a year. Behind a proxy that ends TLS (nginx,
# a load balancer), set DJANGO_SECURE_PROXY_SSL_HEADER=1 so that its X-Forwarded-Proto header
# says whether the visitor used https; the proxy must set that header itself, never pass on
# the visitor's. DJANGO_SECURE_SSL_REDIRECT=0 leaves redirecting to the proxy.
PRODUCTION = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe the health check over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response: nothing is allowed unless named below. Scripts,
# styles, fonts and images only from this site, no inline script, style or eval anywhere, never
# inside a frame. plotly.js's styles are a static file (csrsite/vendor.py); chart data sits in
# json_script blocks, which are not run. Images may be data: or blob: URLs, as plotly.js makes
# them for its PNG download. Browsers report what the policy blocks to /csp-report/
# (csrsite/csp_reports.py), which logs it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": ["/csp-report/"],
    }
}

# Cache-Control for pages that set none (csrsite/headers.py): anonymous readers' pages may be
# kept this many seconds by browsers and shared caches; signed-in editors' never are.
PUBLIC_CACHE_SECONDS = env_int("DJANGO_PUBLIC_CACHE_SECONDS", 300)
# Whole public pages for anonymous readers, kept in the cache under the data version
# (cases/page_cache.py): for at most this many seconds (0: never), if no larger than this.
PAGE_CACHE_SECONDS = env_int("CSR_PAGE_CACHE_SECONDS", CACHE_TIMEOUT)
PAGE_CACHE_MAX_BYTES = env_int("CSR_PAGE_CACHE_MAX_BYTES", 2 * 1024 * 1024)

# Features the site never uses are switched off for it and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
}

# One line per event on standard output, as key=value pairs a log collector can parse:
# time=… level=WARNING logger=django.request status=404 method=GET path=/cases/x/ msg="…".
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"()": "csrsite.logs.LineFormatter"},
    },
    "filters": {
        "tracebacks_only_for_our_faults": {"()": "csrsite.logs.TracebacksOnlyForOurFaults"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["tracebacks_only_for_our_faults"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes logs every successful login at INFO; failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}

# The read API (cases/api): public data for anyone, so no sign-in, no sessions and no CSRF;
# JSON or CSV; each address limited to CASEBOOK_RATE_LIMITS["api"].
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "cases.api.rendering.CSVRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "cases.api.rendering.Negotiation",
    "DEFAULT_PAGINATION_CLASS": "cases.api.rendering.Pages",
    "DEFAULT_THROTTLE_CLASSES": ["cases.api.rendering.AddressThrottle"],
    "EXCEPTION_HANDLER": "cases.api.rendering.handle_exception",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}

# The API's OpenAPI schema, and its documentation page served from our own static files.
SPECTACULAR_SETTINGS = {
    "TITLE": "CSI Casebook API",
    "DESCRIPTION": (
        "Read-only access to the public records of CSI Casebook (企业社会创新案例库): "
        "corporate social-innovation cases of Chinese internet companies, their figures with "
        "full provenance, and their scorecards on the social value impact index. Every text "
        "field comes in Chinese (`_zh`) and English (`_en`); records are named by stable "
        "slugs. Filters mean what they mean on the site's pages. The curated data is "
        "licensed CC BY 4.0; the source documents remain their authors'."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator: Swagger UI would otherwise draw a badge from validator.swagger.io on any
    # host but localhost.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Anyone may read the API from any site's scripts: GET only, and nothing the browser holds
# (no cookies) is sent or needed.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After"]

# `make bench` only: /bench/floor/?bytes=N (csrsite/floor.py), a page's size through the same
# middleware, the floor that pages are weighed against.
BENCH_FLOOR = env_bool("CSR_BENCH_FLOOR")
