"""A figure's own page: its value, provenance and owner in both languages, where it appears,
the history of its public changes, and the links to it from every figure row."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import Correction, Metric

pytestmark = pytest.mark.django_db

REUNITED = "douyin-xunren-people-reunited-2024-06-13"
MINORS = "douyin-xunren-minors-reunited-2024-06-13"
COUNTY_SALES = "alibaba-rural-envoys-county-sales-2023"
DIGITAL_ECONOMY = "industry-digital-economy-2023"
DRAFT_FIGURE = "tencent-village-affairs-platform-villages-2023-06"


def page(client, slug, language=""):
    response = client.get(f"{language}/figures/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def history_section(html):
    start = html.index('id="history"')
    return html[start : html.index("</ol>", start)]


def test_shows_the_value_as_written_with_owner_provenance_and_parts(casebook, client):
    html = page(client, REUNITED)
    assert "<h1>累计帮助团圆人数</h1>" in html
    assert "22,859人" in html and "约2.3万人" in html
    assert "截至2024年6月13日" in html and "（精确到日）" in html
    assert 'href="/cases/douyin-xunren/"' in html and 'href="/companies/douyin-group/"' in html
    assert 'href="/sources/csi-observation-report-2024/"' in html
    assert "第三部分（二）社会救助：抖音寻人 · 社会价值成果，第20页" in html
    assert '<q lang="zh-Hans">22,859人</q>' in html
    assert "其中未成年人1,711名" in html, "the editor's note"
    assert f'href="/figures/{MINORS}/"' in html and "1,711人" in html
    assert "{# citation #}" not in html


def test_english_page_reads_value_unit_and_locator_in_english(casebook, client):
    html = page(client, COUNTY_SALES, "/en")
    assert "140.3 billion yuan" in html
    assert "140,300,000,000 yuan" in html, "the value in base units"
    assert "as of end of 2023" in html and "(given to the year)" in html
    assert "Part 3 (1) Rural revitalisation" in html
    assert '<q lang="zh-Hans">1403亿元</q>' in html
    assert 'href="/en/cases/alibaba-rural-envoys/#group-figures"' in html
    assert "History of public changes" in html and "Report a problem with this figure" in html


def test_says_where_the_figure_appears_with_filtered_links(casebook, client):
    html = page(client, REUNITED)
    appears = html[html.index('id="appears"') : html.index('id="history"')]
    assert 'href="/cases/douyin-xunren/#figures"' in appears
    assert 'href="/companies/bytedance/"' in appears, "the group's page includes it too"
    assert 'href="/metrics/?indicator=people-reunited&amp;company=douyin-group"' in appears
    assert 'href="/compare/?company=douyin-group"' in appears


def test_an_industry_wide_figure_says_so_and_links_the_industry_scope(casebook, client):
    html = page(client, DIGITAL_ECONOMY)
    assert "全行业" in html and "约56.1万亿元" in html
    assert "scope=industry" in html
    assert "/companies/" not in html[html.index("<main") : html.index('id="provenance"')]


def test_a_breakdown_names_its_total(casebook, client):
    html = page(client, MINORS, "/en")
    assert "never added to that total" in html
    assert f'href="/en/figures/{REUNITED}/"' in html


def test_figures_of_draft_cases_and_unknown_slugs_are_not_found(casebook, client, editor_client):
    assert client.get(f"/figures/{DRAFT_FIGURE}/").status_code == 404
    assert editor_client.get(f"/figures/{DRAFT_FIGURE}/").status_code == 404
    assert client.get("/figures/no-such-figure/").status_code == 404
    assert client.get(f"/figures/{DRAFT_FIGURE}/report/").status_code == 404


def edit(figure_slug, **changes):
    figure = Metric.objects.get(slug=figure_slug)
    for name, value in changes.items():
        setattr(figure, name, value)
    figure.save()
    return figure.history.latest()


def test_history_shows_an_edit_as_before_and_after_newest_first(casebook, client):
    edit(REUNITED, value=Decimal("22860"), original_wording="22,860人", label_en="Reunited")
    edit(REUNITED, as_of=datetime.date(2024, 6, 30), as_of_precision="month")
    history = history_section(page(client, REUNITED))
    assert "<del>22,859人</del> → <ins>22,860人</ins>" in history
    assert "<dt>数值</dt>" in history and "<dt>原文表述</dt>" in history
    assert "<ins>Reunited</ins>" in history, "the English label, under its own name"
    assert "<del>2024年6月13日</del> → <ins>2024年6月</ins>" in history
    assert history.index("2024年6月</ins>") < history.index("22,860人</ins>"), "newest first"
    assert history.index("22,860人</ins>") < history.index("收录入案例库")
    english = history_section(page(client, REUNITED, "/en"))
    assert "<del>22,859 people</del> → <ins>22,860 people</ins>" in english


def test_history_leaves_out_saves_that_changed_nothing_public(casebook, client):
    edit(REUNITED)
    edit(REUNITED, slug=REUNITED)
    assert Metric.objects.get(slug=REUNITED).history.count() == 3
    history = history_section(page(client, REUNITED))
    assert history.count("<li>") == 1 and "收录入案例库" in history


def test_history_marks_the_edit_that_fixed_a_readers_report(casebook, client):
    figure = Metric.objects.get(slug=REUNITED)
    report = Correction.objects.create(figure=figure, what_is_wrong="应为22,860人")
    fix = edit(REUNITED, value=Decimal("22860"), original_wording="22,860人")
    assert "根据读者报告更正" not in page(client, REUNITED), "not before the report is accepted"
    report.status, report.fixed_by = Correction.Status.ACCEPTED, fix
    report.save()
    history = history_section(page(client, REUNITED))
    latest = history[: history.index("</li>")]
    assert "根据读者报告更正" in latest and "<ins>22,860人</ins>" in latest
    assert "corrected after a reader's report" in page(client, REUNITED, "/en")
    assert "应为22,860人" not in page(client, REUNITED), "the report itself stays private"


def test_figure_rows_link_to_their_page_and_report_form(casebook, client):
    target = f'href="/figures/{REUNITED}/"'
    report = f'href="/figures/{REUNITED}/report/"'
    for url in ["/cases/douyin-xunren/", "/companies/douyin-group/"]:
        html = client.get(url).content.decode()
        assert target in html and report in html, url
    source = client.get("/sources/csi-observation-report-2024/").content.decode()
    assert f'href="/figures/{COUNTY_SALES}/"' in source
    explorer = client.get("/en/metrics/", {"indicator": "people-reunited"}).content.decode()
    assert f'href="/en/figures/{REUNITED}/"' in explorer


def test_sitemap_lists_public_figures_in_both_languages(casebook, client):
    xml = client.get("/sitemap-figures.xml").content.decode()
    assert f"/figures/{REUNITED}/" in xml and f"/en/figures/{REUNITED}/" in xml
    assert DRAFT_FIGURE not in xml


def test_query_count_is_fixed(casebook, client, django_assert_num_queries):
    edit(REUNITED, value=Decimal("22860"))
    with django_assert_num_queries(4):
        assert client.get(reverse("cases:figure", args=[REUNITED])).status_code == 200
