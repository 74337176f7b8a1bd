"""Playwright browser tests: Debian's Chromium, the curated data, axe-core and console errors.

A browser test is an ordinary test taking `page` and `live_server`; it is marked `browser`
automatically. Without Chromium or Playwright it skips; CI sets CSR_REQUIRE_BROWSER=1, which
turns that skip into a failure.
"""

import os
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
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


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
    """The tests' small casebook (see `casebook` in conftest.py), for a `live_server` test.

    The live server sees only committed data, so these tests run on transactional_db, which
    is flushed after each test; the module-scoped `casebook` fixture cannot serve them.
    """
    from tests.conftest import CASEBOOK

    call_command("load_curated", CASEBOOK, verbosity=0)


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
