"""A case page: who runs it, what it addresses, its figures with their sources, milestones."""

import re

import pytest
from django.urls import reverse

from cases.models import Metric, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def xunren_page(client, casebook):
    return client.get(reverse("cases:case", args=["douyin-xunren"]))


def test_shows_company_group_issues_sdgs_and_facts(xunren_page):
    html = xunren_page.content.decode()
    assert xunren_page.status_code == 200
    for text in ["抖音寻人", "抖音集团", "字节跳动", "社会救助", "2016年2月", "偶发性", "无贫穷"]:
        assert text in html, text


def test_each_figure_shows_value_as_of_and_its_source(xunren_page):
    html = xunren_page.content.decode()
    reunited = Metric.objects.get(project__slug="douyin-xunren", original_wording="22,859人")
    assert '<span class="figure-value">22,859人</span>' in html
    assert '<p class="figure-approx muted">约2.3万人</p>' in html
    assert "截至2024年6月13日" in html
    assert reunited.locator in html
    assert '<q lang="zh-Hans">22,859人</q>' in html
    assert reverse("cases:source", args=[reunited.source.slug]) in html
    assert "来源与原文" in html


def test_breakdowns_sit_under_their_total(xunren_page):
    figures = xunren_page.context["figures"]
    total = next(figure for figure in figures if figure.original_wording == "22,859人")
    assert {part.value for part in total.part_list} == {1711, 12873, 8275}
    shown_alone = {figure.pk for figure in figures}
    assert not shown_alone & {part.pk for part in total.part_list}


def test_marks_cumulative_and_inferred_dates(client, casebook):
    figure = Metric.objects.public().filter(as_of_inferred=True, project__isnull=False).first()
    html = client.get(figure.project.get_absolute_url()).content.decode()
    assert "日期为推定" in html
    assert "累计" in html


def test_milestones_are_in_date_order(xunren_page):
    milestones = list(xunren_page.context["case"].milestones.all())
    assert milestones
    assert [m.happened_on for m in milestones] == sorted(m.happened_on for m in milestones)
    html = xunren_page.content.decode()
    positions = [html.index(m.text_zh) for m in milestones]
    assert positions == sorted(positions)


def test_partners_show_their_roles(client, casebook):
    case = Project.objects.published().filter(partnerships__isnull=False).first()
    html = client.get(case.get_absolute_url()).content.decode()
    partnership = case.partnerships.first()
    assert partnership.company.name_zh in html
    assert str(partnership.get_role_display()) in html


def test_related_cases_share_an_issue(xunren_page):
    case = xunren_page.context["case"]
    for other in xunren_page.context["related_cases"]:
        assert other.pk != case.pk
        assert set(other.issues.all()) & set(case.issues.all())
        assert other.status == "published"


def test_english_page_uses_english_texts_and_numbers(client, casebook):
    html = client.get("/en/cases/douyin-xunren/").content.decode()
    assert "Douyin Missing Person Alerts" in html
    assert '<span class="figure-value">22,859 people</span>' in html
    assert "about 23,000" not in html
    assert "as of 13 June 2024" in html
    assert "Part 3 (2) Social assistance: Douyin Missing Person Alerts" in html
    assert 'href="/cases/douyin-xunren/"' in html


def test_drafts_are_not_found(client, casebook):
    draft = Project.objects.filter(status="draft").first()
    response = client.get(reverse("cases:case", args=[draft.slug]))
    assert response.status_code == 404
    assert draft.name_zh not in response.content.decode()


def test_unknown_and_malformed_slugs_are_not_found(client, casebook):
    assert client.get("/cases/no-such-case/").status_code == 404
    assert client.get("/cases/%3Cscript%3E/").status_code == 404


def test_a_measure_with_several_dates_is_drawn_as_a_line(client, casebook):
    response = client.get(reverse("cases:case", args=["amap-wheelchair-navigation"]))
    ((key, line),) = response.context["charts"]["lines"]
    assert key == "growth-cities-covered"
    (trace,) = line["data"]
    assert trace["y"] == [3, 30, 50]
    assert trace["x"] == ["2022-11-01", "2023-10-01", "2024-03-01"]
    assert line["layout"]["yaxis"]["title"]["text"] == "城"
    assert 'id="growth-cities-covered-data"' in response.content.decode()


def test_milestones_are_drawn_on_a_timeline_with_a_data_table(xunren_page):
    timeline = xunren_page.context["charts"]["timeline"]
    dates = timeline["data"][1]["x"]
    assert dates == sorted(dates) and len(dates) >= 2
    html = xunren_page.content.decode()
    assert 'id="milestone-timeline-data"' in html
    assert "数据表：大事记" in html


def test_a_case_without_chartable_data_loads_no_chart_script(client, casebook):
    Project.objects.get(slug="douyin-xunren").milestones.all().delete()
    response = client.get(reverse("cases:case", args=["douyin-xunren"]))
    assert response.context["charts"] == {"timeline": None, "lines": [], "more_lines": 0}
    assert "plotly-basic.min.js" not in response.content.decode()


def test_a_case_without_a_launch_date_is_public_and_says_so(client, casebook):
    chinese = client.get("/cases/tencent-tianlai-action/")
    assert chinese.status_code == 200
    assert "出处文件未载明" in chinese.content.decode()
    english = client.get("/en/cases/tencent-tianlai-action/").content.decode()
    assert "not given in the sources" in english


def test_key_facts_are_shown_apart_from_the_outcomes(client, casebook):
    response = client.get("/cases/douyin-xunren/")
    outcomes = {figure.slug for figure in response.context["figures"]}
    facts = {figure.slug for figure in response.context["key_facts"]}
    assert facts == {"douyin-xunren-oldest-person-found-2024-06-13"}
    assert "douyin-xunren-people-reunited-2024-06-13" in outcomes and not outcomes & facts
    html = response.content.decode()
    section = html.split('id="key-facts-title"')[1].split("</section>")[0]
    assert "关键事实" in html and "101岁" in section and "22,859人" not in section


def test_group_wide_figures_show_with_their_case_but_not_as_its_outcomes(client, casebook):
    response = client.get("/cases/alibaba-rural-envoys/")
    group = {figure.slug for figure in response.context["group_figures"]}
    outcomes = {figure.slug for figure in response.context["figures"]}
    assert "alibaba-rural-envoys-county-sales-2023" in group
    assert "alibaba-rural-envoys-first-cohort-2019" in outcomes and not group & outcomes
    html = response.content.decode()
    section = html.split('id="group-figures-title"')[1].split("</section>")[0]
    assert "随本案例报告的集团整体成果" in html
    assert "阿里巴巴集团" in section and "1403亿元" in section
    english = client.get("/en/cases/alibaba-rural-envoys/").content.decode()
    assert "Group-wide results reported with this case" in english


def test_a_long_note_opens_from_its_first_words_and_a_short_one_is_shown_whole(client, casebook):
    """Long notes would make a case of many figures thousands of pixels tall."""
    long_note = "This sentence has no date of its own; " * 6
    Metric.objects.filter(slug="douyin-xunren-people-reunited-2024-06-13").update(note_en=long_note)
    Metric.objects.filter(slug="douyin-xunren-alerts-sent-2024-06-13").update(
        note_en="A short note."
    )
    html = client.get("/en/cases/douyin-xunren/").content.decode()
    [folded] = re.findall(r'<details class="figure-note-more">.*?</details>', html, re.S)
    assert '<span class="note-short">This sentence has no date of its own;' in folded
    assert "…</span>" in folded and long_note.strip() in folded
    assert '<p class="figure-note">A short note.</p>' in html


def test_the_summary_tiles_start_with_a_capital_in_english(client, casebook):
    html = client.get("/en/cases/douyin-xunren/").content.decode()
    aside = html.split('class="case-aside"')[1]
    assert ">Incidental (born of an incident)</dd>" in aside
    assert ">Built into a product or service</a></dd>" in aside


def test_a_wording_in_context_is_shown_with_the_figure(client, casebook):
    Metric.objects.filter(slug="douyin-xunren-people-reunited-2024-06-13").update(
        wording_context="累计帮助团圆的人数为22,859人"
    )
    html = client.get("/cases/douyin-xunren/").content.decode()
    assert "文件原文：" in html and "…累计帮助团圆的人数为22,859人…" in html


def test_the_summary_column_holds_company_issues_launch_figures_and_index(xunren_page):
    html = xunren_page.content.decode()
    aside = html[html.index('<aside class="case-aside"') : html.index("</aside>")]
    for text in ["抖音集团", "字节跳动", "社会救助", "2016年2月", "数据一览", "社会价值影响力指数"]:
        assert text in aside, text
    glance = xunren_page.context["glance"]
    assert 0 < len(glance) <= 4
    assert glance == xunren_page.context["figures"][: len(glance)]
    for figure in glance:
        assert figure.label_zh in aside
    assert 'href="#figures"' in aside and 'href="#scorecard"' in aside


def test_the_lead_paragraph_comes_before_the_summary_column_and_the_text_after_it(
    xunren_page,
):
    """A phone shows them in this order; a wide screen sets the column beside the text."""
    html = xunren_page.content.decode()
    lead = html.index('<p class="lead">')
    aside = html.index('<aside class="case-aside"')
    text = html.index('<div class="case-main">')
    figures = html.index('id="figures"')
    assert lead < aside < text < figures


def test_the_scorecards_evidence_is_one_click_away(xunren_page):
    html = xunren_page.content.decode()
    section = html[html.index('id="scorecard"') :]
    assert section.index('<details class="scorecard-details">') < section.index('class="scorecard"')
