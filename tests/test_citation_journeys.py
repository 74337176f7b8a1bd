"""A reader copies a citation on a phone, under the site's strict CSP; without JavaScript the
citation is still there to select (cases/citations.py, static/js/cite.js)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


@pytest.mark.parametrize(
    ("path", "summary", "button", "copied", "start"),
    [
        (
            "/cases/douyin-xunren/",
            "引用本页",
            "复制 GB/T 7714-2015",
            "已复制到剪贴板。",
            "企业社会创新案例库编辑部. 抖音寻人[EB/OL].",
        ),
        (
            "/en/sources/tencent-ssv-report-2022-news/",
            "Cite this document",
            "Copy APA 7",
            "Copied to the clipboard.",
            "腾讯探索可持续社会价值新形态新解法 [Tencent Explores",
        ),
    ],
)
def test_a_reader_copies_a_citation_on_a_phone(
    site, page, console_errors, run_axe, path, summary, button, copied, start
):
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page.goto(site.url + path)
    block = page.locator("details.citation")
    expect(block).not_to_have_attribute("open", "")
    block.locator("summary", has_text=summary).click()
    block.get_by_role("button", name=button).click()
    expect(block.get_by_role("status")).to_have_text(copied)
    assert page.evaluate("navigator.clipboard.readText()").startswith(start)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert run_axe(page) == []
    assert console_errors == []


def test_without_javascript_the_citation_is_selectable_and_no_button_shows(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site.url + "/about/")
    citation = page.locator(".citation-text").first
    expect(citation).to_be_visible()
    assert citation.inner_text().startswith("企业社会创新案例库编辑部. 企业社会创新案例库: ")
    expect(page.locator(".copy-button").first).to_be_hidden()
    context.close()
