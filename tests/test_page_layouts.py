"""How the list, the explorer and a case page lay out in Chromium at 375 px and 1280 px: no
layout shift from the filter panel, wide tables as cards on a phone, the case page's summary
column. Browser tests (see tests/browser.py); CSR_REQUIRE_BROWSER=1 makes a missing browser
a failure."""

import re
import time

import pytest

from tests.browser import expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}

# The sum of the page's layout shifts, as Lighthouse counts them (not those after input).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 800);
})"""


def slow_site_script(page):
    """Make site.js arrive a second late, as on a slow phone, so that any change it makes to
    the layout happens after the first paint, where it counts as a shift."""

    def delay(route):
        time.sleep(1)
        route.continue_()

    page.route("**/js/site.js", delay)


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_filter_panel_arrives_closed_on_a_phone_without_a_layout_shift(site, browser, language):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    slow_site_script(page)
    page.goto(f"{site.url}{language}/cases/", wait_until="load")
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    panel = page.locator("details.filters-panel")
    expect(panel).not_to_have_attribute("open", "")
    assert not page.evaluate("document.querySelector('.facet').checkVisibility()")
    expect(page.locator(".case-card").first).to_be_in_viewport()
    panel.locator("> summary").click()
    expect(page.locator(".facet").first).to_be_visible()
    context.close()


def test_the_filter_panel_is_open_on_a_wide_screen_even_without_javascript(site, browser):
    without_script = browser.new_context(**DESKTOP, java_script_enabled=False)
    page = without_script.new_page()
    page.goto(site.url + "/cases/")
    expect(page.locator(".facet").first).to_be_visible()
    expect(page.locator('.facet-option[data-facet="issue"]').first).to_be_visible()
    without_script.close()

    with_script = browser.new_context(**DESKTOP)
    page = with_script.new_page()
    slow_site_script(page)
    page.goto(site.url + "/cases/", wait_until="load")
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    # The script marks it open, so assistive technology hears what the eye sees.
    expect(page.locator("details.filters-panel")).to_have_attribute("open", "")
    with_script.close()


def test_changing_the_sort_reloads_the_list_at_once(site, page):
    page.goto(site.url + "/cases/?issue=social-assistance")
    page.select_option("#id_sort", "-figures")
    expect(page).to_have_url(site.url + "/cases/?issue=social-assistance&sort=-figures")
    expect(page.locator("#id_sort")).to_have_value("-figures")


def test_without_javascript_the_sort_has_its_button(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/en/cases/")
    page.select_option("#id_sort", "-launched")
    page.locator(".sort-form").get_by_role("button", name="Apply").click()
    expect(page).to_have_url(site.url + "/en/cases/?sort=-launched")
    context.close()


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_explorer_shows_each_figure_as_a_card_on_a_phone(site, browser, language):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{site.url}{language}/metrics/")
    cut = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const rows = '.explorer-table tbody tr:nth-child(-n+5) > *';
          const cells = [...document.querySelectorAll(rows)];
          return {cells: cells.length, cut: cells.filter(cell => {
            const box = cell.getBoundingClientRect();
            return box.width === 0 || box.left < 0 || box.right > width + 0.5;
          }).length, scroll: document.documentElement.scrollWidth, width};
        }"""
    )
    assert cut["cells"] >= 6
    assert cut["cut"] == 0, "every cell of every card is within the screen"
    assert cut["scroll"] <= cut["width"]
    label = page.evaluate(
        "getComputedStyle(document.querySelector('.explorer-table tbody td'), '::before').content"
    )
    assert label == ('"Value"' if language else '"数值"')
    context.close()


def test_the_explorer_table_fits_a_wide_screen_in_english(site, browser):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(site.url + "/en/metrics/")
    overflow = page.evaluate(
        """() => {
          const scroller = document.querySelector('.table-scroll');
          const table = scroller.querySelector('table').getBoundingClientRect();
          const main = document.querySelector('main').getBoundingClientRect();
          return {hidden: scroller.scrollWidth - scroller.clientWidth,
                  beyond: table.right - main.right};
        }"""
    )
    assert overflow["hidden"] <= 0
    assert overflow["beyond"] <= 0
    context.close()


def test_the_explorer_selects_several_companies_on_a_phone(site, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site.url + "/en/metrics/")
    page.locator(".multi-select summary").click()
    page.get_by_role("checkbox", name="ByteDance").check()
    page.get_by_role("checkbox", name="Alibaba Group").check()
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_url(re.compile(r"[?&]company=alibaba&company=bytedance(&|$)"))
    expect(page.locator(".multi-select-value")).to_contain_text("ByteDance")
    expect(page.locator(".multi-select-value")).to_contain_text("Alibaba Group")
    context.close()


def test_a_case_page_has_its_summary_beside_the_text_on_a_wide_screen(site, browser):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(site.url + "/en/cases/douyin-xunren/")
    aside = page.locator(".case-aside").bounding_box()
    main = page.locator(".case-main").bounding_box()
    lead = page.locator(".case-header .lead").bounding_box()
    assert aside["x"] > main["x"] + main["width"] - 1, "the summary column is to the right"
    assert aside["y"] < lead["y"] + lead["height"], "and starts beside the header"
    expect(page.locator(".case-aside")).to_contain_text("Douyin Group")
    expect(page.locator(".case-aside")).to_contain_text("Social assistance")
    expect(page.locator(".case-aside .glance-list").first).to_be_visible()
    context.close()


def test_a_case_page_on_a_phone_starts_with_the_lead_then_the_summary(site, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site.url + "/cases/douyin-xunren/")
    lead = page.locator(".case-header .lead").bounding_box()
    aside = page.locator(".case-aside").bounding_box()
    main = page.locator(".case-main").bounding_box()
    assert lead["y"] < aside["y"] < main["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator(".case-header .lead")).to_be_in_viewport()
    context.close()


# Links, buttons and form controls smaller than 24 × 24 px, except a link inside a sentence
# (WCAG 2.5.8 lets those flow with the text) and the charts' own controls.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, summary, select, input:not([type=hidden])')].filter(el => {
  if (!el.checkVisibility() || el.closest('.chart')) return false;
  const box = el.getBoundingClientRect();
  if (box.width >= 24 && box.height >= 24) return false;
  const inSentence = el.tagName === 'A' && getComputedStyle(el).display === 'inline' &&
    [...el.parentElement.childNodes].some(node =>
      node !== el && node.nodeType === Node.TEXT_NODE && node.textContent.trim().length > 1);
  return !inSentence;
}).map(el => `${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${Math.round(
  el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`)"""


@pytest.mark.parametrize(
    "path",
    [
        "/cases/?issue=social-assistance&sdg=1",
        "/en/cases/douyin-xunren/",
        "/metrics/",
        "/en/about/",
        "/issues/social-assistance/",
        "/en/sources/csi-observation-report-2024/",
        "/",
        "/compare/?company=tencent&company=alibaba&company=meituan",
        "/en/index/",
    ],
)
def test_every_touch_target_is_at_least_24_pixels_on_a_phone(site, browser, path):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site.url + path)
    summary = page.locator("details.filters-panel > summary")
    if summary.count():
        summary.click()
    assert page.evaluate(SMALL_TARGETS) == []
    context.close()
