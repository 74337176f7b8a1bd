"""static/js/charts.js in Chromium, on a static page that follows the charts' DOM contract.

No Django here: a small http.server thread serves tests/data/chart_page.html (and variants of
it) next to a link to the project's static/ folder, so these tests exercise only the script
and the vendored plotly.js files.
"""

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from tests.browser import expect

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "tests" / "data" / "chart_page.html"
PLOTS = ".chart-plot[data-figure]"

# What the CSV link of the first chart on the page must download, after the byte order mark.
ISSUES_CSV = (
    "社会议题,案例数\r\n"
    "社会救助,12\r\n"
    '"乡村振兴, 农业",7\r\n'
    '"""互联网+""公益",3\r\n'
    '"第一行\n第二行",1\r\n'
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`site(name, html=None)` puts the fixture page (or `html`) at /name on a local server
    and returns its URL; /static/ is the project's static folder."""
    root = tmp_path_factory.mktemp("chart-site")
    (root / "static").symlink_to(ROOT / "static", target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"

    def publish(name, html=None):
        text = PAGE.read_text(encoding="utf-8") if html is None else html
        (root / name).write_text(text, encoding="utf-8")
        return f"{base}/{name}"

    publish.base = base
    yield publish
    server.shutdown()
    server.server_close()
    thread.join()


def fixture_html(*replacements):
    html = PAGE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in html, f"{old!r} is not in {PAGE.name}"
        html = html.replace(old, new)
    return html


def wait_for_plots(page, count):
    for index in range(count):
        expect(page.locator(PLOTS).nth(index).locator("svg.main-svg").first).to_be_attached()


def modebar_titles(plot):
    return plot.locator(".modebar-btn").evaluate_all("buttons => buttons.map(b => b.dataset.title)")


def test_bar_and_line_charts_render_from_local_files_only(page, site, console_errors):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site("chart_page.html"))

    wait_for_plots(page, 2)
    expect(page.locator(PLOTS).nth(0).locator("g.barlayer .point")).to_have_count(4)
    expect(page.locator(PLOTS).nth(1).locator("g.scatterlayer path.js-line")).to_have_count(1)
    expect(page.locator(PLOTS).nth(1).locator("g.scatterlayer .point")).to_have_count(4)
    assert console_errors == []
    elsewhere = [url for url in requests if not url.startswith((site.base, "blob:", "data:"))]
    assert elsewhere == []


def test_english_page_keeps_the_png_button_and_drops_selection_buttons_and_logo(
    page, site, console_errors
):
    page.goto(site("chart_page_en.html", fixture_html(('lang="zh-hans"', 'lang="en"'))))
    wait_for_plots(page, 2)

    for index in range(2):
        plot = page.locator(PLOTS).nth(index)
        titles = modebar_titles(plot)
        assert "Download plot as a PNG" in titles
        assert not {"Box Select", "Lasso Select", "Autoscale"} & set(titles)
        expect(plot.locator(".modebar-btn--logo, a[href*='plotly']")).to_have_count(0)
    assert console_errors == []


def test_chinese_page_gets_the_chinese_modebar(page, site, console_errors):
    page.goto(site("chart_page.html"))
    wait_for_plots(page, 2)

    titles = modebar_titles(page.locator(PLOTS).first)
    assert "下载图表为PNG格式" in titles
    assert "重置轴" in titles
    assert "Download plot as a PNG" not in titles
    assert console_errors == []


def test_csv_link_downloads_the_table_with_bom_quotes_and_crlf(page, site, console_errors):
    page.goto(site("chart_page.html"))
    link = page.locator("#cases-per-issue .chart-actions a.button[download]")
    expect(link).to_have_text("下载数据（CSV）")
    expect(link).to_have_attribute("download", "cases-per-issue.csv")
    expect(link).to_have_attribute("href", re.compile(r"^blob:"))

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "cases-per-issue.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8") == ISSUES_CSV
    assert console_errors == []


def test_broken_chart_data_does_not_stop_the_next_chart(page, site, console_errors):
    html = fixture_html(('{"data": [{"type": "bar"', '{"data": [{"type": "bar",,'))
    page.goto(site("chart_page_broken.html", html))

    second = page.locator(PLOTS).nth(1)
    expect(second.locator("svg.main-svg").first).to_be_attached()
    expect(page.locator(PLOTS).first.locator("svg")).to_have_count(0)
    # The broken chart's table is still there to download.
    expect(page.locator(".chart-actions a[download]")).to_have_count(2)
    assert len(console_errors) == 1
    assert 'Chart "cases-per-issue-data" failed' in console_errors[0]


def test_without_plotly_the_tables_still_get_their_csv_links(page, site, console_errors):
    html = fixture_html(("plotly/plotly-basic.min.js", "plotly/missing.js"))
    page.goto(site("chart_page_no_plotly.html", html))

    expect(page.locator(".chart-actions a[download]")).to_have_count(2)
    expect(page.locator(f"{PLOTS} svg")).to_have_count(0)
    assert page.evaluate("typeof window.Plotly") == "undefined"
    # The script gave up on plotly.js (each chart's frame is hidden, its table stays); the
    # browser's report of the missing file may reach the test a moment later on a busy machine.
    expect(page.locator(".chart-frame").first).to_be_hidden()
    for _wait in range(50):
        if console_errors:
            break
        page.wait_for_timeout(100)
    # Only the browser's own report of the missing file.
    assert len(console_errors) == 1
    assert "404" in console_errors[0]


PHONE = {"viewport": {"width": 375, "height": 800}, "is_mobile": True, "has_touch": True}


@pytest.mark.browser_context_args(**PHONE)
def test_a_phone_fetches_plotly_only_near_a_chart_and_draws_the_narrow_form_without_toolbar(
    page, site, console_errors
):
    # The test server sends no CSP, so the filler may carry its height inline.
    filler = '<h1>Charts</h1><div class="filler" style="height: 3000px"></div>'
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site("chart_page_phone.html", fixture_html(("<h1>Charts</h1>", filler))))
    page.wait_for_timeout(500)
    assert not [url for url in requests if "plotly-basic" in url]
    frame = page.locator("#cases-per-issue .chart-frame")
    assert frame.bounding_box()["height"] == 400  # the narrow form's room, kept before drawing

    frame.scroll_into_view_if_needed()
    wait_for_plots(page, 1)
    assert [url for url in requests if url.endswith("plotly-basic.min.js")]
    expect(page.locator("#cases-per-issue .gtitle")).to_have_text("各社会议题的案例数（窄）")
    expect(page.locator(".modebar")).to_have_count(0)
    assert frame.bounding_box()["height"] == 400
    assert console_errors == []


def test_a_chart_whose_box_grows_past_the_breakpoint_redraws_in_its_wide_form(
    page, site, console_errors
):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site("chart_page.html"))
    title = page.locator("#cases-per-issue .gtitle")
    expect(title).to_have_text("各社会议题的案例数（窄）")
    page.set_viewport_size({"width": 1000, "height": 800})
    expect(title).to_have_text("各社会议题的案例数")
    frame = page.locator("#cases-per-issue .chart-frame")
    assert frame.bounding_box()["height"] == 320
    assert console_errors == []
