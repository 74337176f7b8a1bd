"""A part failing is not the site failing: Redis killed or frozen, PostgreSQL frozen or
restarted under load. Each test breaks a real server of its own and ends with the site
recovering by itself, with no lost or half-written edit."""

import logging
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.urls import reverse

from cases import caching
from cases.models import Project
from tests.admin_pages import open_form, post_form
from tests.conftest import CASEBOOK
from tests.deploy_support import collected_static, free_port
from tests.faults import PrivatePostgres, PrivateRedis, wait_for
from tests.test_production_server import manage, production_env, start_gunicorn, wait_until_up

# Generous: a page computed without the cache takes well under a second here, and waiting on
# a dead or frozen cache would take minutes without the socket timeouts.
PROMPT = 3


# Redis ----------------------------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path, settings, monkeypatch):
    """The site's cache on a Redis of this test's own, with a short retry after a failure."""
    server = PrivateRedis(tmp_path).start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "casebook",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    monkeypatch.setattr(caching.guard, "down", False)
    monkeypatch.setattr(caching.CacheGuard, "RETRY_SECONDS", 0.5)
    yield server
    server.stop()


def timed_get(client, path):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def assistance_cases_charted(client):
    """How many cases the home page's cached chart counts under 社会救助 (social assistance),
    the issue of 抖音寻人."""
    table = client.get("/").context["charts"]["cases_per_issue"]["table"]
    return dict(table["rows"]).get("社会救助", 0)


def unpublish(editor_client, slug):
    """Return a case to draft through the admin's form, as an editor does."""
    case = Project.objects.get(slug=slug)
    url = reverse("admin:cases_project_change", args=[case.pk])
    response = post_form(editor_client, url, open_form(editor_client, url), status="draft")
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.mark.django_db(transaction=True)
def test_with_redis_killed_pages_and_saves_work_and_the_site_recovers(
    client, editor_client, redis_server, caplog, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    call_command("load_curated", CASEBOOK, verbosity=0)
    assert client.get("/").status_code == 200  # the charts are now cached
    redis_server.kill()

    with caplog.at_level(logging.WARNING, logger="cases.caching"):
        for path in [
            "/",
            "/en/",
            "/cases/douyin-xunren/",
            "/compare/?company=bytedance&company=alibaba",
        ]:
            response, seconds = timed_get(client, path)
            assert response.status_code == 200, path
            assert seconds < PROMPT, f"{path} took {seconds:.1f} s with the cache down"
        unpublish(editor_client, "douyin-xunren")
        health = client.get("/healthz")
    assert Project.objects.get(slug="douyin-xunren").status == "draft"
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}
    outage = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert len(outage) == 1, "the outage is logged once, not per request"

    redis_server.start()  # a new, empty Redis on the same port
    time.sleep(0.6)
    wait_for(lambda: client.get("/healthz").json()["cache"] == "ok", timeout=10)
    assert (
        assistance_cases_charted(client)
        == Project.objects.published().filter(issues__slug="social-assistance").count()
    )


@pytest.mark.django_db(transaction=True)
def test_with_redis_frozen_pages_answer_promptly_and_nothing_stale_is_served_after(
    client, editor_client, redis_server
):
    from django.core.management import call_command

    call_command("load_curated", CASEBOOK, verbosity=0)
    before = assistance_cases_charted(client)  # now cached in Redis
    assert before >= 1
    redis_server.freeze()
    try:
        response, seconds = timed_get(client, "/")
        assert response.status_code == 200 and seconds < PROMPT
        # Saved while the cache cannot hear of it: its old data version is still in Redis.
        unpublish(editor_client, "douyin-xunren")
        started = time.monotonic()
        assert assistance_cases_charted(client) == before - 1
        assert time.monotonic() - started < PROMPT
    finally:
        redis_server.thaw()
    time.sleep(0.6)
    wait_for(lambda: client.get("/healthz").json()["cache"] == "ok", timeout=10)
    assert assistance_cases_charted(client) == before - 1, "a chart cached before the save"


# PostgreSQL -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def frozen_stack(tmp_path_factory):
    """gunicorn on a PostgreSQL of its own with short timeouts, the casebook loaded."""
    database = PrivatePostgres().create()
    tmp = tmp_path_factory.mktemp("faults")
    port = free_port()
    env = production_env(
        tmp,
        DATABASE_URL=database.url,
        DATABASE_STATEMENT_TIMEOUT="1.5",
        DATABASE_QUERY_TIMEOUT="2",
        DATABASE_CONNECT_TIMEOUT="2",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="4",
    )
    manage(env, "migrate", "--no-input")
    manage(env, "load_curated", CASEBOOK)
    env["DJANGO_STATIC_ROOT"] = str(collected_static(env))
    log_path = tmp / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = start_gunicorn(env, log)
    try:
        wait_until_up(port, server)
        yield database, f"http://127.0.0.1:{port}", env, log_path
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        database.stop()


def fetch(url, timeout=30):
    """(status, headers, seconds) of a GET through a proxy that says https."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status, response.headers, time.monotonic() - started
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, error.headers, time.monotonic() - started


FIGURE = "douyin-xunren-people-reunited-2024-06-13"


def in_django(env, script):
    """Run `script` with Django set up, in a process of its own with the server's settings."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        env={**env, "DJANGO_SETTINGS_MODULE": "csrsite.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def edit_in_a_transaction(env, note, name):
    """Change a figure's note and its case's name in one transaction, as an editor's save
    with inline rows would."""
    return in_django(
        env,
        "from django.db import transaction\n"
        "from cases.models import Metric\n"
        "with transaction.atomic():\n"
        f"    figure = Metric.objects.select_related('project').get(slug={FIGURE!r})\n"
        f"    figure.note_en = {note!r}\n"
        "    figure.save()\n"
        f"    figure.project.name_en = {name!r}\n"
        "    figure.project.save()\n",
    )


def stored_note_and_name(env):
    read = in_django(
        env,
        "from cases.models import Metric\n"
        f"figure = Metric.objects.select_related('project').get(slug={FIGURE!r})\n"
        "print(figure.note_en)\n"
        "print(figure.project.name_en)\n",
    )
    assert read.returncode == 0, read.stderr
    return read.stdout.splitlines()


@pytest.mark.postgres
def test_with_postgresql_frozen_the_site_answers_503_promptly_and_recovers(frozen_stack):
    database, url, env, log_path = frozen_stack
    assert fetch(url + "/cases/")[0] == 200
    before = stored_note_and_name(env)
    database.freeze()
    try:
        status, _headers, seconds = fetch(url + "/healthz")
        assert status == 503 and seconds < 4, f"/healthz: {status} after {seconds:.1f} s"
        # The page a reader got just before comes from the page cache, database or not.
        status, headers, seconds = fetch(url + "/cases/")
        assert status == 200 and seconds < 1 and headers["X-Page-Cache"] == "hit"
        status, headers, seconds = fetch(url + "/cases/?sort=-launched")
        assert status == 503 and seconds < 4, f"/cases/?sort=: {status} after {seconds:.1f} s"
        assert headers["Retry-After"]
        status, _headers, seconds = fetch(url + "/en/cases/")
        assert status == 503 and seconds < 2.5
        edit = edit_in_a_transaction(env, "Written while frozen.", "Half-written")
        assert edit.returncode != 0 and "no answer within 2 s" in edit.stderr
    finally:
        database.thaw()
    wait_for(lambda: fetch(url + "/healthz")[0] == 200, timeout=30, interval=0.5)
    assert fetch(url + "/cases/")[0] == 200
    assert stored_note_and_name(env) == before, "the failed edit left nothing behind"
    log = log_path.read_text(errors="replace")
    assert log.count("the database does not answer") == 1
    assert "Traceback" not in log


@pytest.mark.postgres
def test_with_postgresql_restarted_under_load_no_request_fails_badly_or_hangs(frozen_stack):
    database, url, env, _log_path = frozen_stack
    outcomes, edits, stop = [], [], threading.Event()

    def load():
        while not stop.is_set():
            for path in ("/cases/", "/", "/healthz"):
                outcomes.append((path, *fetch(url + path, timeout=20)[::2]))

    def edit():
        """Editors' saves, one after another, through the restart: each writes a note and a
        name that belong together."""
        while not stop.is_set():
            number = len(edits)
            done = edit_in_a_transaction(env, f"Edit {number}.", f"Name {number}")
            edits.append(done.returncode == 0)

    workers = [threading.Thread(target=load) for _ in range(3)] + [threading.Thread(target=edit)]
    for worker in workers:
        worker.start()
    try:
        # Counted in saves, not seconds: each is a Python process of its own, whose start-up
        # takes seconds on a busy machine. One save before the restart, then the one under
        # way while it happens and at least one after.
        wait_for(lambda: len(edits) >= 1, timeout=60, interval=0.1)
        database.restart()
        before_restart = len(edits)
        wait_for(lambda: len(edits) >= before_restart + 2, timeout=60, interval=0.1)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
    statuses = {status for _path, status, _seconds in outcomes}
    assert statuses <= {200, 503}, f"unexpected answers during the restart: {statuses}"
    assert max(seconds for *_rest, seconds in outcomes) < 10
    wait_for(lambda: fetch(url + "/cases/")[0] == 200, timeout=30, interval=0.5)
    # Every save through the restart was whole or nothing: the note and the name stored are
    # one save's pair, the last that succeeded or a later one.
    assert len(edits) >= 2 and any(edits), edits
    note, name = stored_note_and_name(env)
    number = int(name.removeprefix("Name "))
    assert note == f"Edit {number}.", (note, name)
    assert number >= max(index for index, succeeded in enumerate(edits) if succeeded), edits
    edit = edit_in_a_transaction(env, "Written after the restart.", "Douyin Alerts, renamed")
    assert edit.returncode == 0, edit.stderr
    assert stored_note_and_name(env) == ["Written after the restart.", "Douyin Alerts, renamed"]
