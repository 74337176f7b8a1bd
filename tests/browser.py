"""Playwright browser tests: Debian's Chromium, the curated data, axe-core and console errors.

A browser test is an ordinary test taking `page` (or `browser`) and a server: `site`, one
live server on the tests' small casebook for a module of tests that only read, or
pytest-django's `live_server` with `site_data` for a test that writes. It is marked `browser`
automatically. Without Chromium or Playwright it skips; CI sets CSR_REQUIRE_BROWSER=1, which
turns that skip into a failure.
"""

import os
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command

try:
    # Test modules import expect from here, so that they load without Playwright and their
    # tests skip (or fail under CSR_REQUIRE_BROWSER=1) like the others.
    from playwright.sync_api import expect
except ImportError:
    expect = None

CHROMIUM = os.environ.get("CSR_CHROMIUM") or "/usr/bin/chromium"
REQUIRE_BROWSER = os.environ.get("CSR_REQUIRE_BROWSER") == "1"
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BROWSER_FIXTURES = {"page", "context", "new_context", "browser"}

# Running as root needs --no-sandbox; the rest stop Chromium calling Google services, which
# the closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _skip_or_fail(message):
    if REQUIRE_BROWSER:
        pytest.fail(f"{message} (CSR_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(message)


def _missing_browser(config):
    if expect is None or not config.pluginmanager.hasplugin("playwright"):
        return "needs playwright and pytest-playwright; run `make install`"
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"needs Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk, "
            "or set CSR_CHROMIUM to its path)"
        )
    return None


def pytest_collection_modifyitems(items):
    # So that `-m browser` and `-m "not browser"` also select tests that only use `page`.
    # A test on `site` is also marked django_db: pytest-django then keeps the test database
    # (an in-memory one on SQLite, which the live server shares) for it, and runs it in a
    # transaction rolled back after it, on top of the module's data.
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if BROWSER_FIXTURES & fixtures:
            item.add_marker(pytest.mark.browser)
        if "site" in fixtures:
            item.add_marker(pytest.mark.django_db)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if not item.get_closest_marker("browser"):
        return
    missing = _missing_browser(item.config)
    if missing:
        _skip_or_fail(missing)
    # Playwright's sync API keeps an event loop running in this thread until the session
    # ends, and Django refuses ORM calls while one runs; so this stays set from the first
    # browser test on.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        "headless": True,  # `pytest --headed` still wins
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Pages take their language from the URL; this is the reader the site is written for.
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def site_data(transactional_db):
    """The tests' small casebook (see `casebook` in conftest.py), for a `live_server` test
    that writes (an editor's journey, a reader's report).

    The live server sees only committed data, so these tests run on transactional_db, which
    is flushed after each test; tests that only read take `site` instead.
    """
    from tests.conftest import CASEBOOK

    call_command("load_curated", CASEBOOK, verbosity=0)


def serve_for_module(django_db_blocker, *fixtures):
    """A live server for one module's browser tests, on `fixtures` loaded once with the
    curated-data loader and emptied after the module. (pytest-django's `live_server` empties
    the database after every test, so each test would load its data again.)"""
    from pytest_django.live_server_helper import LiveServer

    from tests.conftest import restore_roles

    with django_db_blocker.unblock():
        call_command("load_curated", *fixtures, verbosity=0)
        live = LiveServer("127.0.0.1:0")
        try:
            yield live
        finally:
            # The browser has closed its connections by now; their threads close the shared
            # SQLite connection on their way out, which they may do only before stop().
            deadline = time.monotonic() + 10
            while (lingering := open_requests()) and time.monotonic() < deadline:
                time.sleep(0.05)
            live.stop()
            call_command("flush", interactive=False, verbosity=0)
            restore_roles()
    assert not lingering, (
        f"{len(lingering)} connection(s) to the module's live server were still open after"
        " its tests: close every browser context a test opens"
    )


def open_requests():
    return [thread for thread in threading.enumerate() if "process_request_thread" in thread.name]


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The tests' small casebook served by one live server for the whole module, for browser
    tests that only read: `site.url` is the server's address."""
    from tests.conftest import CASEBOOK

    yield from serve_for_module(django_db_blocker, CASEBOOK)


@pytest.fixture
def run_axe():
    """`run_axe(page)` checks the loaded page against WCAG 2.0 and 2.1 A and AA with axe-core
    and returns its serious and critical violations (axe's own dicts: id, impact, help,
    helpUrl, nodes …)."""
    if not AXE.is_file():
        _skip_or_fail(f"needs axe-core at {AXE}; run `make test`, which installs it with npm")
    source = AXE.read_text(encoding="utf-8")

    def run(page):
        # Injected from the local copy so that the page loads nothing from another host, and
        # evaluated by the browser's devtools channel, to which the page's CSP does not apply
        # (a <script> tag with axe-core inline would be refused, as it should be).
        if page.evaluate("typeof axe") == "undefined":
            page.evaluate(source)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]

    return run


@pytest.fixture(autouse=True)
def csp_violations(request):
    """Every browser test fails when the page's Content-Security-Policy refused anything: the
    pages are tested under the policy production sends. A test that provokes a violation on
    purpose reads this list and empties it."""
    if "page" not in request.fixturenames:
        yield []
        return
    page = request.getfixturevalue("page")
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    yield violations
    assert violations == [], "the Content-Security-Policy refused something on the page"


@pytest.fixture
def console_errors(page):
    """A list that collects the page's console errors and uncaught exceptions as text, from
    the moment the fixture is set up; assert it is empty at the end of a journey."""
    errors = []

    def on_console(message):
        if message.type == "error":
            url = message.location.get("url")
            errors.append(f"{message.text} ({url})" if url else message.text)

    def on_page_error(error):
        errors.append(f"uncaught {error.name}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return errors
