"""The charts on a phone and on a desktop, in Chromium: each chart draws the form that fits its
box, no label prints over another or is cut at the chart's edge, touch screens get no plotly
toolbar, and charts wait for the text and keep their room so that nothing moves."""

import re

import pytest

from tests.browser import expect

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 375, "height": 800},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}

# The text boxes of a drawn chart as the four corners of each, rotation included (a label
# turned by 45° has an upright bounding box that overlaps its neighbours' while the text does
# not), and the pairs that overlap by more than a pixel (separating axis test) or reach out
# of the chart's box.
TEXT_BOXES = """
plot => {
  const boxes = [];
  for (const text of plot.querySelectorAll("svg text")) {
    if (!text.textContent.trim() || text.closest(".hoverlayer")) continue;
    const box = text.getBBox();
    if (box.width < 1 || box.height < 1) continue;
    const m = text.getScreenCTM();
    const corners = [
      [box.x, box.y], [box.x + box.width, box.y],
      [box.x + box.width, box.y + box.height], [box.x, box.y + box.height],
    ].map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    boxes.push({ text: text.textContent.trim(), corners });
  }
  function apart(p, q) {
    for (const shape of [p, q]) {
      for (let i = 0; i < 4; i++) {
        const [x1, y1] = shape[i];
        const [x2, y2] = shape[(i + 1) % 4];
        const length = Math.hypot(y2 - y1, x1 - x2) || 1;
        const along = ([x, y]) => (x * (y2 - y1) + y * (x1 - x2)) / length;
        const a = p.map(along);
        const b = q.map(along);
        if (Math.max(...a) - 1 <= Math.min(...b) || Math.max(...b) - 1 <= Math.min(...a)) {
          return true;
        }
      }
    }
    return false;
  }
  const overlapping = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (!apart(boxes[i].corners, boxes[j].corners)) {
        overlapping.push([boxes[i].text, boxes[j].text]);
      }
    }
  }
  const edge = plot.getBoundingClientRect();
  const cut = boxes
    .filter(({ corners }) => corners.some(([x, y]) =>
      x < edge.left - 1 || x > edge.right + 1 || y < edge.top - 1 || y > edge.bottom + 1))
    .map(({ text }) => text);
  return { count: boxes.length, overlapping, cut };
}
"""


def drawn_charts(page):
    """Every chart on the page, scrolled to so that it draws, as (id, plot locator)."""
    figures = page.locator("figure.chart")
    assert figures.count() >= 1
    found = []
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        plot = figure.locator(".chart-plot")
        expect(plot).to_have_attribute("data-form", re.compile("^(wide|narrow)$"))
        expect(plot.locator("svg.main-svg").first).to_be_attached()
        found.append((figure.get_attribute("id"), plot))
    return found


def assert_labels_fit(page, chart_id, plot):
    boxes = plot.evaluate(TEXT_BOXES)
    assert boxes["count"] > 0, chart_id
    assert boxes["overlapping"] == [], f"{chart_id}: labels print over each other"
    assert boxes["cut"] == [], f"{chart_id}: labels cut at the chart's edge"


@pytest.mark.browser_context_args(**PHONE)
@pytest.mark.parametrize(
    "path", ["/", "/en/", "/cases/douyin-xunren/", "/en/cases/douyin-xunren/", "/index/"]
)
def test_on_a_phone_every_chart_fits_its_labels_and_has_no_toolbar(
    site, page, console_errors, path
):
    page.goto(site.url + path)
    for chart_id, plot in drawn_charts(page):
        expect(plot).to_have_attribute("data-form", "narrow")
        assert_labels_fit(page, chart_id, plot)
        expect(plot.locator(".modebar")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert console_errors == []


def test_on_a_desktop_wide_charts_fit_their_labels_and_keep_the_toolbar(site, page, console_errors):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site.url + "/en/")
    # Drawn once the page has loaded, without scrolling to them.
    grid = page.locator("#company-issue-coverage .chart-plot")
    expect(grid).to_have_attribute("data-form", "wide")
    expect(grid.locator(".modebar")).to_have_count(1)
    for chart_id, plot in drawn_charts(page):
        assert_labels_fit(page, chart_id, plot)
    assert console_errors == []


@pytest.mark.browser_context_args(**PHONE)
def test_on_a_phone_plotly_loads_only_when_a_chart_comes_near_and_nothing_moves(
    site, page, console_errors
):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site.url + "/cases/douyin-xunren/")
    page.wait_for_load_state("networkidle")

    frame = page.locator("#milestone-timeline .chart-frame")
    top = frame.evaluate("element => element.getBoundingClientRect().top")
    assert top > 800 + 400, "the timeline is within reach of the first screen: move the test"
    assert not [url for url in requested if "plotly-basic" in url]
    expect(page.locator(".lead").first).to_be_visible()
    reserved = frame.bounding_box()["height"]
    assert reserved > 100

    frame.scroll_into_view_if_needed()
    expect(frame.locator("svg.main-svg").first).to_be_attached()
    assert [url for url in requested if "plotly-basic" in url]
    drawn = frame.locator("svg.main-svg").first.bounding_box()["height"]
    assert frame.bounding_box()["height"] == reserved == drawn
    assert console_errors == []


def test_a_chart_redraws_in_the_other_form_when_its_box_crosses_the_breakpoint(
    site, page, console_errors
):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site.url + "/")
    plot = page.locator("#industry-context .chart-plot")
    expect(plot).to_have_attribute("data-form", "wide")
    wide_height = page.locator("#industry-context .chart-frame").bounding_box()["height"]

    page.set_viewport_size({"width": 375, "height": 800})
    expect(plot).to_have_attribute("data-form", "narrow")
    narrow_height = page.locator("#industry-context .chart-frame").bounding_box()["height"]
    assert narrow_height > wide_height  # the panels stand one under another
    svg_height = plot.locator("svg.main-svg").first.bounding_box()["height"]
    assert svg_height == narrow_height
    assert_labels_fit(page, "industry-context", plot)
    assert console_errors == []


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_each_chart_keeps_its_caption_and_table_and_no_empty_room(site, page):
    page.goto(site.url + "/")
    figure = page.locator("#launches-per-year")
    expect(figure.locator(".chart-caption")).to_be_visible()
    figure.locator(".chart-data summary").click()
    expect(figure.locator("table.chart-table tbody tr").first).to_be_visible()
    expect(figure.locator(".chart-frame")).to_be_hidden()
