"""/healthz: 200 while the database and the cache answer, 503 (and no traceback) when either
does not; it answers load balancers that probe by address over plain http."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from tests.deploy_support import clean_environ

pytestmark = pytest.mark.django_db


def test_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_answers_a_probe_by_address_that_allowed_hosts_would_refuse(client):
    response = client.get("/healthz", HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200


def test_is_not_redirected_to_https(client, settings):
    """Load balancers probe the app servers over plain http."""
    from django.middleware.security import SecurityMiddleware

    settings.SECURE_SSL_REDIRECT = True
    middleware = SecurityMiddleware(lambda request: None)
    from django.test import RequestFactory

    assert middleware.process_request(RequestFactory().get("/healthz")) is None
    redirect = middleware.process_request(RequestFactory().get("/cases/"))
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")


def test_only_reads_are_allowed(client):
    response = client.post("/healthz")
    assert response.status_code == 405


# Runs the check in a process of its own whose DATABASE_URL names a database that is not
# there: the real failure, not a stand-in for it.
CHECK = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/healthz")
response = Client().get("/healthz")  # a second probe: the outage is still logged once
print(json.dumps({"status": response.status_code, "body": response.content.decode()}))
"""


def test_a_cache_that_does_not_answer_is_degraded_not_down_and_logged_once(tmp_path):
    """The cache only speeds pages up: a load balancer must keep sending this server work."""
    answer, output = run_check(
        DATABASE_URL=f"sqlite:///{tmp_path / 'health.sqlite3'}",
        CACHE_URL="redis://127.0.0.1:9/0",  # nothing listens on port 9
    )
    assert answer["status"] == 200
    assert json.loads(answer["body"]) == {
        "status": "degraded",
        "database": "ok",
        "cache": "unreachable",
    }
    assert output.count("logger=cases.caching") == 1, "the outage is logged once, not per probe"


def test_answers_ok_with_a_real_redis_cache(tmp_path, redis_url):
    answer, _output = run_check(
        DATABASE_URL=f"sqlite:///{tmp_path / 'health.sqlite3'}", CACHE_URL=redis_url
    )
    assert answer["status"] == 200
    assert json.loads(answer["body"])["cache"] == "ok"


def run_check(**env):
    """(status and body of /healthz, everything the process printed) in a process of its own,
    with debug off and the given settings."""
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        env=clean_environ(
            DJANGO_SETTINGS_MODULE="csrsite.settings",
            DJANGO_SECRET_KEY="a-key-for-this-test-only",
            **env,
        ),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stdout + result.stderr


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:9/nowhere",  # nothing listens on port 9
        "sqlite:////nonexistent-folder/casebook.sqlite3",
    ],
    ids=["postgresql-down", "sqlite-unreadable"],
)
def test_answers_503_without_a_traceback_when_the_database_is_unreachable(database_url):
    answer, output = run_check(DATABASE_URL=database_url)
    assert answer["status"] == 503
    assert json.loads(answer["body"]) == {
        "status": "unavailable",
        "database": "unreachable",
        "cache": "ok",
    }
    assert "Traceback" not in answer["body"]
    # The reason is logged for the operator, on one line.
    assert "level=ERROR logger=csrsite.health" in output
