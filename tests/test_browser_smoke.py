"""The browser test setup itself works: Chromium serves a page, axe runs, errors are seen."""

import pytest

from tests.browser import expect
from tests.conftest import current_code

pytestmark = pytest.mark.browser


def test_admin_login_opens_in_chinese(live_server, page):
    page.goto(live_server.url + "/admin/login/")

    expect(page.locator("#id_username")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_axe_runs_on_the_admin_login(live_server, page, run_axe):
    page.goto(live_server.url + "/admin/login/")

    violations = run_axe(page)

    # The admin is Django's, not ours: this checks that axe ran, not what it found.
    assert isinstance(violations, list)
    assert page.evaluate("typeof axe") == "object"
    assert page.evaluate("axe.version").startswith("4.")


def test_console_errors_are_collected(live_server, page, console_errors):
    page.goto(live_server.url + "/admin/login/")

    page.evaluate("console.error('boom')")
    page.evaluate("setTimeout(() => { throw new Error('bang') })")
    page.wait_for_timeout(100)

    assert any("boom" in error for error in console_errors), console_errors
    assert any("bang" in error for error in console_errors), console_errors


def test_live_server_serves_site_data(live_server, page, site_data, admin_user):
    code = current_code(admin_user)  # the superuser's authenticator app, set up before
    page.goto(live_server.url + "/admin/login/?next=/admin/cases/project/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.fill("#id_code", code)
    page.click("input[type=submit]")

    # expect() waits for the page after the submit; is_visible() would not.
    expect(page.get_by_role("link", name="抖音寻人", exact=True)).to_be_visible()
