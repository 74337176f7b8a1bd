"""The one settings file, read from environment variables as a deployment would set them."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "secret": settings.SECRET_KEY,
    "hosts": settings.ALLOWED_HOSTS,
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST"),
    "conn_max_age": db["CONN_MAX_AGE"],
    "health_checks": db["CONN_HEALTH_CHECKS"],
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "proxy_header": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    "hsts": settings.SECURE_HSTS_SECONDS,
    "hsts_subdomains": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "hsts_preload": settings.SECURE_HSTS_PRELOAD,
    "secure_cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
    "cache": settings.CACHES["default"],
}, default=str))
"""

# What a deployment sets; the test run's own values (make test sets some) must not leak in.
UNSET = (
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "CACHE_URL",
    "CACHE_TIMEOUT",
    "REDIS_URL",
)


def run_settings(**env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in UNSET and not key.startswith("DJANGO_")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="csrsite.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def loaded(**env):
    result = run_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert loaded(DJANGO_SECRET_KEY="s3cret")["debug"] is False
    assert loaded(DJANGO_SECRET_KEY="s3cret", DJANGO_DEBUG="0")["debug"] is False


def test_development_key_only_with_debug_on():
    values = loaded(DJANGO_DEBUG="1")
    assert values["debug"] is True
    assert values["secret"].startswith("django-insecure-")


def test_uses_given_secret_key_and_hosts():
    values = loaded(DJANGO_SECRET_KEY="s3cret", DJANGO_ALLOWED_HOSTS="casebook.example.org, x.org")
    assert values["secret"] == "s3cret"
    assert values["hosts"] == ["casebook.example.org", "x.org"]


def test_defaults_to_sqlite_file_in_the_project():
    values = loaded(DJANGO_DEBUG="1")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(settings.BASE_DIR / "db.sqlite3")


def test_database_url_selects_postgresql_with_persistent_checked_connections():
    values = loaded(
        DJANGO_DEBUG="1", DATABASE_URL="postgres://casebook@db.internal:5432/csrcasebook"
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "csrcasebook"
    assert values["host"] == "db.internal"
    assert values["conn_max_age"] > 0
    assert values["health_checks"] is True


def test_bad_connection_age_is_a_clear_error():
    result = run_settings(DJANGO_DEBUG="1", DATABASE_CONN_MAX_AGE="ten")
    assert result.returncode != 0
    assert "DATABASE_CONN_MAX_AGE must be a whole number" in result.stderr


def test_chinese_first_then_english_in_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_production_is_https_only_by_default():
    values = loaded(DJANGO_SECRET_KEY="s3cret")
    assert values["ssl_redirect"] is True
    assert values["hsts"] == 365 * 24 * 3600
    assert values["hsts_subdomains"] is True
    assert values["hsts_preload"] is True
    assert values["secure_cookies"] == [True, True]
    # Trusting X-Forwarded-Proto must be asked for: without a proxy that sets it, a visitor
    # could claim https.
    assert values["proxy_header"] is None


def test_development_keeps_plain_http():
    values = loaded(DJANGO_DEBUG="1")
    assert values["ssl_redirect"] is False
    assert values["hsts"] == 0
    assert values["secure_cookies"] == [False, False]


def test_https_settings_follow_the_environment():
    values = loaded(
        DJANGO_SECRET_KEY="s3cret",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_SECURE_HSTS_PRELOAD="0",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://casebook.example.org, https://www.example.org",
    )
    assert values["ssl_redirect"] is False
    assert values["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["hsts"] == 3600
    assert values["hsts_preload"] is False
    assert values["trusted_origins"] == ["https://casebook.example.org", "https://www.example.org"]


def test_bad_hsts_seconds_is_a_clear_error():
    result = run_settings(DJANGO_SECRET_KEY="s3cret", DJANGO_SECURE_HSTS_SECONDS="a year")
    assert result.returncode != 0
    assert "DJANGO_SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def test_cache_is_local_memory_unless_a_url_names_one():
    assert loaded(DJANGO_DEBUG="1")["cache"]["BACKEND"].endswith("LocMemCache")
    redis = loaded(DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/1")["cache"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    # CACHE_URL wins over REDIS_URL, which other services on the server may also read.
    chosen = loaded(DJANGO_DEBUG="1", REDIS_URL="redis://a:6379/0", CACHE_URL="redis://b:6379/2")
    assert chosen["cache"]["LOCATION"] == "redis://b:6379/2"


def test_unknown_cache_url_is_a_clear_error():
    result = run_settings(DJANGO_DEBUG="1", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must start with redis://" in result.stderr


DEPLOY_CHECK = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def test_deploy_check_passes_with_the_production_variables(tmp_path):
    clean = {key: v for key, v in os.environ.items() if key not in UNSET and "DJANGO_" not in key}
    clean.update(
        DJANGO_SECRET_KEY="x7Qp-" + "k2#Lm9vR" * 7,
        DJANGO_ALLOWED_HOSTS="casebook.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://casebook.example.org",
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    result = subprocess.run(
        DEPLOY_CHECK, env=clean, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_on_a_weak_production_setting(tmp_path):
    """The check can fail: switching HSTS off in production is reported."""
    clean = {key: v for key, v in os.environ.items() if key not in UNSET and "DJANGO_" not in key}
    clean.update(
        DJANGO_SECRET_KEY="x7Qp-" + "k2#Lm9vR" * 7,
        DJANGO_SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    result = subprocess.run(
        DEPLOY_CHECK, env=clean, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
