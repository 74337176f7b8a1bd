"""Browser journeys through the public pages, in Debian's Chromium (see tests/browser.py)."""

import re

import pytest

from tests.browser import expect

pytestmark = pytest.mark.browser


def case_titles(page):
    return page.locator(".case-card-title").all_inner_texts()


def test_from_home_pick_an_issue_open_a_case_and_its_figures_source(site, page, console_errors):
    page.goto(site.url + "/")
    page.locator(".issue-tile", has_text="社会救助").click()
    expect(page).to_have_url(re.compile(r"/cases/\?issue=social-assistance$"))
    expect(page.locator(".chip")).to_contain_text(["社会救助"])
    page.get_by_role("link", name="抖音寻人", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("抖音寻人")
    reunited = page.locator(".figure", has_text="累计帮助团圆人数").first
    expect(reunited.locator(".figure-value").first).to_have_text("22,859人")
    expect(reunited.locator(".as-of").first).to_have_text("截至2024年6月13日")
    details = reunited.locator("details").first
    expect(details.get_by_text("22,859人")).to_be_hidden()
    details.locator("summary").click()
    expect(details.get_by_text("22,859人")).to_be_visible()
    details.get_by_role("link", name=re.compile("互联网企业社会创新观察报告")).click()

    expect(page).to_have_url(re.compile(r"/sources/csi-observation-report-2024/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("互联网企业社会创新观察报告")
    expect(page.get_by_text("22,859人").first).to_be_attached()
    assert console_errors == []


def test_two_filters_and_a_search_survive_a_copied_url(site, page, browser, console_errors):
    page.goto(site.url + "/cases/")
    page.locator('.facet-option[data-facet="issue"][data-value="rural-revitalisation"]').click()
    page.locator('.facet-option[data-facet="company"][data-value="alibaba"]').click()
    page.get_by_role("searchbox", name="搜索案例、企业和议题").fill("乡村")
    page.locator("#case-search").get_by_role("button", name="搜索").click()

    expect(page.locator(".chip")).to_have_count(3)
    titles = case_titles(page)
    assert titles, "the combination still finds 乡村特派员"
    assert "乡村特派员" in titles
    url = page.url
    assert "issue=rural-revitalisation" in url and "company=alibaba" in url and "q=" in url

    with browser.new_context() as elsewhere:
        other = elsewhere.new_page()
        other.goto(url)
        assert case_titles(other) == titles
        expect(other.locator(".results-count")).to_have_text(
            page.locator(".results-count").inner_text()
        )
    assert console_errors == []


def test_switching_to_english_keeps_the_case(site, page, console_errors):
    page.goto(site.url + "/cases/douyin-xunren/")
    page.get_by_role("link", name="English").click()

    expect(page).to_have_url(site.url + "/en/cases/douyin-xunren/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Douyin Missing Person Alerts")
    reunited = page.locator(".figure", has_text="22,859 people").first
    expect(reunited.locator(".as-of").first).to_have_text("as of 13 June 2024")
    expect(page.get_by_role("heading", name="Outcome figures")).to_be_visible()
    page.get_by_role("link", name="中文").click()
    expect(page).to_have_url(site.url + "/cases/douyin-xunren/")
    assert console_errors == []


def test_filters_and_case_page_work_on_a_phone(site, page, console_errors):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(site.url + "/cases/")
    panel = page.locator("details.filters-panel")
    expect(panel).not_to_have_attribute("open", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    panel.locator("> summary").click()
    option = page.locator('.facet-option[data-facet="issue"][data-value="social-assistance"]')
    expect(option).to_be_visible()
    option.click()
    expect(page.locator(".case-card-title")).to_have_text(["抖音寻人"])

    page.get_by_role("link", name="抖音寻人", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/douyin-xunren/"))
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    summary = page.locator(".figure-source summary").first
    summary.scroll_into_view_if_needed()
    summary.click()
    expect(page.locator(".figure-source dl").first).to_be_visible()
    assert console_errors == []


def test_keyboard_reaches_content_and_filters(site, page):
    page.goto(site.url + "/cases/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.dataset.facet || ''")
        if focused == "issue":
            break
    assert focused == "issue", "a facet option can be reached with Tab"
    page.keyboard.press("Enter")
    expect(page.locator(".chip")).to_have_count(1)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cases/",
        "/cases/?issue=social-assistance&sdg=abc",
        "/cases/douyin-xunren/",
        "/issues/",
        "/issues/social-assistance/",
        "/companies/",
        "/companies/alibaba/",
        "/sources/csi-observation-report-2024/",
        "/en/cases/douyin-xunren/",
    ],
)
def test_pages_have_no_serious_accessibility_violations(site, page, run_axe, path):
    page.goto(site.url + path)
    violations = run_axe(page)
    assert [(v["id"], v["help"], len(v["nodes"])) for v in violations] == []
