"""The one settings file, read from environment variables as a deployment would set them.

Each test reads the settings file afresh in this process, with the environment a deployment
would give it; one test starts Django in a process of its own, to see production refuse to
start without a secret key, and two run the deployment check as CI does."""

import os
import runpy
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = settings.BASE_DIR / "csrsite" / "settings.py"

# What a deployment sets; the test run's own values (make test sets some) must not leak in.
UNSET = (
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "CACHE_URL",
    "CACHE_TIMEOUT",
    "REDIS_URL",
)


@pytest.fixture
def loaded(monkeypatch):
    """`loaded(**env)`: the settings the file gives with only `env` set, as a dict."""

    def read(**env):
        for key in list(os.environ):
            if key in UNSET or key.startswith("DJANGO_"):
                monkeypatch.delenv(key)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return read


def clean_environ(**env):
    """The test run's environment without what a deployment sets, plus `env`."""
    clean = {key: v for key, v in os.environ.items() if key not in UNSET and "DJANGO_" not in key}
    return {**clean, **env}


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=clean_environ(),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for(loaded):
    assert loaded(DJANGO_SECRET_KEY="s3cret")["DEBUG"] is False
    assert loaded(DJANGO_SECRET_KEY="s3cret", DJANGO_DEBUG="0")["DEBUG"] is False


def test_development_key_only_with_debug_on(loaded):
    values = loaded(DJANGO_DEBUG="1")
    assert values["DEBUG"] is True
    assert values["SECRET_KEY"].startswith("django-insecure-")


def test_uses_given_secret_key_and_hosts(loaded):
    values = loaded(DJANGO_SECRET_KEY="s3cret", DJANGO_ALLOWED_HOSTS="casebook.example.org, x.org")
    assert values["SECRET_KEY"] == "s3cret"
    assert values["ALLOWED_HOSTS"] == ["casebook.example.org", "x.org"]


def test_defaults_to_sqlite_file_in_the_project(loaded):
    values = loaded(DJANGO_DEBUG="1")
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert str(values["DATABASES"]["default"]["NAME"]) == str(settings.BASE_DIR / "db.sqlite3")


def test_database_url_selects_postgresql_with_persistent_checked_connections(loaded):
    values = loaded(
        DJANGO_DEBUG="1", DATABASE_URL="postgres://casebook@db.internal:5432/csrcasebook"
    )
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert values["DATABASES"]["default"]["NAME"] == "csrcasebook"
    assert values["DATABASES"]["default"]["HOST"] == "db.internal"
    assert values["DATABASES"]["default"]["CONN_MAX_AGE"] > 0
    assert values["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True


def test_bad_connection_age_is_a_clear_error(loaded):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE must be a whole number"):
        loaded(DJANGO_DEBUG="1", DATABASE_CONN_MAX_AGE="ten")


def test_chinese_first_then_english_in_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_production_is_https_only_by_default(loaded):
    values = loaded(DJANGO_SECRET_KEY="s3cret")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    # Trusting X-Forwarded-Proto must be asked for: without a proxy that sets it, a visitor
    # could claim https.
    assert "SECURE_PROXY_SSL_HEADER" not in values


def test_development_keeps_plain_http(loaded):
    values = loaded(DJANGO_DEBUG="1")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert not values["SESSION_COOKIE_SECURE"] and not values["CSRF_COOKIE_SECURE"]


def test_https_settings_follow_the_environment(loaded):
    values = loaded(
        DJANGO_SECRET_KEY="s3cret",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_SECURE_HSTS_PRELOAD="0",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://casebook.example.org, https://www.example.org",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["SECURE_HSTS_SECONDS"] == 3600
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://casebook.example.org",
        "https://www.example.org",
    ]


def test_bad_hsts_seconds_is_a_clear_error(loaded):
    with pytest.raises(
        ImproperlyConfigured, match="DJANGO_SECURE_HSTS_SECONDS must be a whole number"
    ):
        loaded(DJANGO_SECRET_KEY="s3cret", DJANGO_SECURE_HSTS_SECONDS="a year")


def test_cache_is_local_memory_unless_a_url_names_one(loaded):
    assert loaded(DJANGO_DEBUG="1")["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    redis = loaded(DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/1")["CACHES"]["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    # CACHE_URL wins over REDIS_URL, which other services on the server may also read.
    chosen = loaded(DJANGO_DEBUG="1", REDIS_URL="redis://a:6379/0", CACHE_URL="redis://b:6379/2")
    assert chosen["CACHES"]["default"]["LOCATION"] == "redis://b:6379/2"


def test_unknown_cache_url_is_a_clear_error(loaded):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with redis://"):
        loaded(DJANGO_DEBUG="1", CACHE_URL="memcached://127.0.0.1:11211")


DEPLOY_CHECK = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def test_deploy_check_passes_with_the_production_variables(tmp_path):
    clean = clean_environ(
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
    clean = clean_environ(
        DJANGO_SECRET_KEY="x7Qp-" + "k2#Lm9vR" * 7,
        DJANGO_SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    result = subprocess.run(
        DEPLOY_CHECK, env=clean, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_passwords_are_hashed_with_djangos_slow_default_not_the_tests_fast_one(loaded):
    """The suite hashes with MD5 for speed (tests/conftest.py); the settings file must not."""
    from django.conf import global_settings

    production = loaded(DJANGO_SECRET_KEY="k")
    hashers = production.get("PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert not any("MD5" in hasher for hasher in hashers)
