"""Pages under the Content-Security-Policy in Chromium: the policy really refuses inline code,
and no page of ours, charts and admin included, trips it. (Every browser test also fails on a
violation: see `csp_violations` in tests/browser.py.)"""

import pytest

from tests.browser import expect
from tests.conftest import staff_member
from tests.test_admin_journey import log_in

pytestmark = pytest.mark.browser

CHART_PAGES = [
    "/",
    "/cases/douyin-xunren/",
    "/en/cases/douyin-xunren/",
    "/companies/alibaba/",
    "/compare/?company=tencent&company=alibaba&company=meituan",
    "/metrics/?category=people",
]


def test_the_policy_refuses_inline_script_and_style_and_the_check_notices(
    site, page, csp_violations
):
    page.goto(site.url + "/cases/")
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            document.body.setAttribute("style", "background: red");
            return window.injected === true;
        }"""
    )
    assert ran is False
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    page.wait_for_timeout(200)  # console messages arrive asynchronously
    assert any("script-src" in text for text in csp_violations)
    assert any("style-src" in text for text in csp_violations)
    csp_violations.clear()  # provoked on purpose


def test_the_browser_reports_a_violation_and_it_reaches_the_log(site, page, csp_violations, caplog):
    page.goto(site.url + "/issues/")
    page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.src = "https://tracker.invalid/pixel.gif";
            document.body.append(image);
        }"""
    )

    def reported():
        return [
            dict(record.fields)
            for record in caplog.records
            if record.name == "csrsite.csp" and hasattr(record, "fields")
        ]

    for _ in range(50):  # the browser sends its report in the background
        if reported():
            break
        page.wait_for_timeout(100)
    [report] = reported()
    assert report["page"] == site.url + "/issues/"
    assert report["directive"] == "img-src"
    assert report["blocked"] == "https://tracker.invalid/pixel.gif"
    csp_violations.clear()  # provoked on purpose


@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_pages_draw_under_the_policy_with_plotly_styles_from_our_file(
    site, page, console_errors, path
):
    page.goto(site.url + path)
    plot = page.locator(".chart-plot.js-plotly-plot").first
    expect(plot.locator("svg.main-svg").first).to_be_attached()
    # A rule of static/vendor/plotly/plotly.css: without it the modebar would sit in the flow.
    position = plot.locator(".modebar").first.evaluate("bar => getComputedStyle(bar).position")
    assert position == "absolute"
    assert page.locator("style#plotly\\.js-style-global").count() == 0
    assert console_errors == []


# An editor signs in, so this test writes: it has a live server of its own (see browser.py).
def test_admin_pages_work_under_the_policy(live_server, site_data, page, console_errors):
    staff_member("mei", "editors")
    log_in(page, live_server, "mei")
    for path in [
        "/admin/cases/project/",
        "/admin/cases/project/?status__exact=published",
        "/admin/cases/metric/import/",
        "/admin/cases/metric/export/",
    ]:
        page.goto(live_server.url + path)
        expect(page.locator("#content")).to_be_visible()
    page.goto(live_server.url + "/admin/cases/project/")
    page.get_by_role("link", name="抖音寻人", exact=True).click()
    # The change form's scripts run: inlines, autocomplete widgets and the slug prefill.
    expect(page.locator(".select2-container").first).to_be_visible()
    page.get_by_role("link", name="历史").click()
    expect(page.locator("#content")).to_contain_text("loaded from fixtures")
    assert console_errors == []
