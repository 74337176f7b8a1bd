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
}))
"""

# What a deployment sets; the test run's own values (make test sets some) must not leak in.
UNSET = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
)


def run_settings(**env):
    clean = {key: value for key, value in os.environ.items() if key not in UNSET}
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
