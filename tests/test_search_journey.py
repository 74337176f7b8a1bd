"""Searching in a real browser: the header's search box on a phone, the results page with its
marked matches, and what a reader is offered when nothing matches."""

import pytest

from tests.browser import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_the_header_search_finds_a_case_by_its_initials(
    site, page, console_errors, run_axe
):
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/")
    box = page.get_by_role("searchbox", name="搜索案例库")
    expect(box).to_be_visible()
    assert box.bounding_box()["width"] >= 250  # a row of its own, not squeezed
    box.fill("qsjh")
    box.press("Enter")

    expect(page.locator("h1")).to_have_text("搜索")
    cases = page.locator("#group-cases + .search-hits .search-hit-title")
    expect(cases.first).to_have_text("青山计划")
    expect(cases.first.locator("mark")).to_have_text("青山计划")
    assert fits_the_screen(page)
    assert run_axe(page) == []
    page.screenshot(path="/tmp/search-phone-zh.png", full_page=True)

    cases.first.click()
    expect(page.locator("h1")).to_contain_text("青山计划")
    assert console_errors == []


def test_no_results_offer_the_closest_name_and_a_way_out(site, page, console_errors):
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/en/")
    box = page.get_by_role("searchbox", name="Search the casebook")
    box.fill("douyn xunrn")
    box.press("Enter")

    expect(page.locator(".no-results")).to_contain_text("Nothing matches “douyn xunrn”.")
    suggestion = page.locator(".no-results .suggestions a").first
    expect(suggestion).to_have_text("Douyin Missing Person Alerts")
    assert fits_the_screen(page)
    page.screenshot(path="/tmp/search-none-en.png", full_page=True)

    page.get_by_role("link", name="clear the search").click()
    expect(
        page.get_by_role("searchbox", name="Search cases, companies, issues, figures and sources")
    ).to_have_value("")

    page.go_back()
    page.locator(".no-results .suggestions a").first.click()
    expect(page.locator("h1")).to_contain_text("Douyin Missing Person Alerts")
    assert console_errors == []


def test_a_case_list_search_ranks_and_marks_on_a_desktop(site, page, console_errors):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.url + "/en/cases/")
    page.get_by_role("searchbox", name="Search cases, companies and issues").fill("wheelchairs")
    page.get_by_role("button", name="Search", exact=True).last.click()

    titles = page.locator(".case-card-title")
    expect(titles.first).to_have_text("Amap Wheelchair Navigation")
    expect(titles.first.locator("mark")).to_have_text("Wheelchair")
    expect(page.locator("#id_sort")).to_have_value("relevance")
    page.screenshot(path="/tmp/search-list-en.png", full_page=False)
    assert console_errors == []
