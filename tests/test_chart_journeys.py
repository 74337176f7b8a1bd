"""Browser journeys through the charts, the compare page and the figures explorer, in
Debian's Chromium (see tests/browser.py): plotly draws its SVG, downloads work, axe is clean."""

import csv
import io
import re

import pytest
from django.utils import translation

from cases.models import Indicator, Metric
from tests.browser import expect

pytestmark = pytest.mark.browser


def plot(page, chart_id):
    """plotly's main SVG inside the chart `chart_id`."""
    return page.locator(f"#{chart_id} .chart-plot svg.main-svg").first


def test_compare_tencent_alibaba_and_meituan_and_see_the_charts(
    site, page, console_errors, run_axe
):
    page.goto(site.url + "/compare/")
    picker = page.locator(".compare-picker")
    for name in ["腾讯", "阿里巴巴集团", "美团"]:
        picker.get_by_label(re.compile(rf"^\s*{name} \(\d+\)")).check()
    picker.get_by_role("button", name="比较").click()

    expect(page).to_have_url(re.compile(r"company=tencent&company=alibaba&company=meituan$"))
    headers = page.locator(".compare-table").first.locator("thead th")
    expect(headers).to_have_count(3)
    expect(headers.first).to_contain_text("腾讯")
    # Figures share a chart only when they address the same issue; in the tests' small
    # casebook only the cross-issue view, which says so, sets some side by side.
    page.goto(page.url + "&view=all-issues")
    # The charts are drawn once the page and plotly.js have loaded.
    page.wait_for_load_state("networkidle")
    charted = page.locator(".compare-category figure.chart")
    assert charted.count() >= 1
    for index in range(charted.count()):
        chart_id = charted.nth(index).get_attribute("id")
        # Drawing waits for the page's load; on a busy machine that can take a few seconds.
        expect(plot(page, chart_id)).to_be_visible(timeout=15_000)
        expect(charted.nth(index).locator("g.point").first).to_be_attached()
    expect(
        page.locator(".modebar-btn[data-title*='png'], .modebar-btn[data-title*='PNG']").first
    ).to_be_attached()
    assert run_axe(page) == []

    page.locator(".compare-table").first.get_by_role("link", name=re.compile("移除美团")).click()
    expect(page).to_have_url(re.compile(r"company=tencent&company=alibaba(&view=all-issues)?$"))
    expect(page.locator(".compare-table").first.locator("thead th")).to_have_count(2)
    assert console_errors == []


def test_compare_in_english_draws_without_console_errors(site, page, console_errors):
    page.goto(
        site.url + "/en/compare/?company=tencent&company=alibaba&company=meituan&view=all-issues"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare companies")
    expect(plot(page, "chart-people-benefiting")).to_be_visible()
    expect(page.locator("#chart-people-benefiting .gtitle")).to_have_text(
        "People benefiting (across issues)"
    )
    assert console_errors == []


def test_compare_with_one_bad_and_one_good_company_explains_and_stays_usable(
    site, page, console_errors, run_axe
):
    page.goto(site.url + "/compare/?company=tencent&company=%3Cscript%3E")
    expect(page.locator(".notice").first).to_contain_text("没有这些企业，已略去：“<script>”")
    expect(page.locator(".notice", has_text="至少")).to_be_visible()
    assert run_axe(page) == []
    assert console_errors == []


def test_filter_the_explorer_by_a_category_and_download_its_csv(
    site, page, console_errors, run_axe
):
    with translation.override("zh-hans"):
        people = str(Indicator.Category.PEOPLE.label)
    page.goto(site.url + "/metrics/")
    expect(plot(page, "explorer-chart")).to_be_visible()
    assert run_axe(page) == []

    page.locator(".explorer-categories").get_by_label(people).check()
    page.get_by_role("button", name="显示数据").click()
    expect(page).to_have_url(re.compile(r"/metrics/\?category=people"))
    expected = Metric.objects.public().filter(indicator__category="people").count()
    expect(page.locator("#results-title")).to_have_text(re.compile(rf"^{expected}\D"))
    expect(plot(page, "explorer-chart")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载这些数据（CSV）").click()
    download = download_info.value
    assert download.suggested_filename == "csi-casebook-figures.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == expected
    assert {row["category"] for row in rows} == {"people"}
    assert all(row["source_page"] and row["original_wording"] for row in rows)
    assert run_axe(page) == []
    assert console_errors == []


def test_home_charts_render_and_a_charts_data_downloads_as_csv(site, page, console_errors):
    page.goto(site.url + "/")
    for chart_id in [
        "cases-per-issue",
        "launches-per-year",
        "company-issue-coverage",
        "industry-context",
    ]:
        expect(plot(page, chart_id)).to_be_visible()
    chart = page.locator("#launches-per-year")
    with page.expect_download() as download_info:
        chart.locator(".chart-actions a").click()
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "发起年份,案例"
    table_rows = chart.locator("table.chart-table tbody tr").count()
    assert len(lines) == table_rows + 1
    assert console_errors == []


def test_the_case_page_draws_its_timeline_and_growth_line(site, page, console_errors, run_axe):
    page.goto(site.url + "/cases/amap-wheelchair-navigation/")
    expect(plot(page, "growth-cities-covered")).to_be_visible()
    page.locator("#growth-cities-covered .chart-data summary").click()
    expect(page.locator("#growth-cities-covered table.chart-table tbody tr")).to_have_count(3)
    assert run_axe(page) == []
    assert console_errors == []
