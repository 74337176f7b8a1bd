"""The compare page and its comparability rules."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cases.compare import problems
from cases.compare_choice import MAX_COMPANIES
from cases.compare_csv import CSV_COLUMNS
from cases.compare_records import latest_of_each_series
from cases.models import Company, Indicator, Metric, Project, SocialIssue, Source, Unit
from tests.browser import expect

D = datetime.date


def figure(**changes):
    values = {
        "indicator_id": 1,
        "unit_id": 1,
        "cumulative": True,
        "as_of": D(2023, 12, 31),
        "company_id": 1,
        "project_id": 1,
        "part_of_id": None,
    }
    values.update(changes)
    return SimpleNamespace(**values)


def test_figures_of_one_indicator_unit_kind_and_year_are_comparable():
    assert problems([figure(), figure(company_id=2, as_of=D(2024, 7, 1))]) == []


@pytest.mark.parametrize(
    ("other", "reason"),
    [
        (figure(unit_id=2), "units"),
        (figure(indicator_id=2), "different things"),
        (figure(cumulative=False), "running totals"),
        (figure(as_of=D(2019, 12, 31)), "4.0 years apart (2019 to 2023)"),
    ],
)
def test_mismatched_figures_are_not_comparable_and_the_reason_is_given(other, reason):
    with translation.override("en"):
        reasons = problems([figure(), other])
    assert len(reasons) == 1
    assert reason in reasons[0]


def test_a_comparison_uses_each_series_latest_figures_and_leaves_out_breakdowns():
    old = figure(as_of=D(2022, 11, 1))
    new = figure(as_of=D(2024, 3, 1))
    part = figure(as_of=D(2024, 3, 1), part_of_id=7)
    other_case = figure(project_id=2, as_of=D(2023, 1, 1))
    assert latest_of_each_series([old, new, part, other_case]) == [new, other_case]


# The page -------------------------------------------------------------------------------


@pytest.fixture
def three_companies(many_cases, people, reunited, report, social_assistance):
    """ByteDance (group of 抖音集团, with 抖音寻人), 腾讯 and 美团, each with a case on social
    assistance and a figure of people reunited there: 腾讯's comparable, 美团's from 2019 and
    for one year, beside 美团's training counted in person-times under another indicator."""
    many_cases(3)
    Metric.objects.filter(slug__startswith="case-").update(cumulative=True)
    tencent = Company.objects.create(
        slug="tencent", name_zh="腾讯", name_en="Tencent", kind="internet"
    )
    meituan = Company.objects.create(
        slug="meituan", name_zh="美团", name_en="Meituan", kind="internet"
    )
    person_times = Unit.objects.create(
        symbol="人次", name_zh="人次", name_en="person-times", kind="count"
    )
    attendances = Indicator.objects.create(
        slug="training-person-times",
        name_zh="培训人次",
        name_en="Training attendances",
        category="people",
        unit=person_times,
    )
    for company, slug, indicator, unit, value, cumulative, as_of in [
        (tencent, "tencent-reunited", reunited, people, 500, True, D(2024, 1, 1)),
        (meituan, "meituan-trained", attendances, person_times, 260000, True, D(2023, 12, 31)),
        (meituan, "meituan-reunited-2019", reunited, people, 40, False, D(2019, 12, 31)),
    ]:
        Metric.objects.create(
            slug=slug,
            project=case_of(company, social_assistance),
            company=company,
            indicator=indicator,
            label_zh="数据",
            label_en="Figure",
            value=Decimal(value),
            unit=unit,
            cumulative=cumulative,
            as_of=as_of,
            as_of_precision="day",
            source=report,
            locator="p. 2",
            original_wording=f"{value}{unit.symbol}",
        )
    return tencent, meituan


def case_of(company, issue):
    """`company`'s published case on `issue`, made the first time it is asked for."""
    case, made = Project.objects.get_or_create(
        slug=f"{company.slug}-{issue.slug}",
        defaults={
            "name_zh": f"{company.name_zh}{issue.name_zh}",
            "name_en": f"{company.name_en} {issue.name_en}",
            "company": company,
            "summary_zh": "摘要",
            "summary_en": "Summary",
            "status": "published",
        },
    )
    if made:
        case.issues.add(issue)
    return case


def move_to_new_issue(figure_slug, issue_slug="elder-care", name_zh="养老", name_en="Elder care"):
    """Put the case of figure `figure_slug` on a new issue in place of its own."""
    issue = SocialIssue.objects.create(slug=issue_slug, name_zh=name_zh, name_en=name_en)
    case = Metric.objects.get(slug=figure_slug).project
    case.issues.set([issue])
    return issue


def slugs_of(case_ids):
    return set(Project.objects.filter(pk__in=case_ids).values_list("slug", flat=True))


def compare(client, *slugs, language=""):
    url = reverse("cases:compare")
    if language == "en":
        url = "/en" + url
    return client.get(url, {"company": list(slugs)})


@pytest.mark.django_db
def test_compare_puts_groups_with_their_subsidiaries_side_by_side(client, three_companies):
    response = compare(client, "bytedance", "tencent")
    assert response.status_code == 200
    bytedance, tencent = response.context["columns"]
    assert bytedance.name == "字节跳动"
    assert slugs_of(bytedance.case_ids) == {"douyin-xunren", "case-0", "case-1"}
    assert len(bytedance.figures) == 3
    (people,) = response.context["categories"]
    (row, *_rest) = people.rows
    assert row.indicator.slug == "people-reunited"
    (comparison,) = row.charts
    assert comparison.chart["layout"]["yaxis"]["title"]["text"] == "万人"
    html = response.content.decode()
    assert 'id="chart-people-reunited-data"' in html
    assert "plotly-basic.min.js" in html


@pytest.mark.django_db
def test_compare_says_why_mismatched_figures_are_not_charted(client, three_companies):
    response = compare(client, "tencent", "meituan", language="en")
    (people,) = response.context["categories"]
    rows = {row.indicator.slug: row for row in people.rows}
    reunited = rows["people-reunited"]
    assert reunited.charts == []
    (comparison,) = reunited.comparisons
    assert any("running totals" in reason for reason in comparison.problems)
    assert any("years apart" in reason for reason in comparison.problems)
    assert rows["training-person-times"].charts == []
    html = response.content.decode()
    assert "Not charted:" in html
    assert "人次 counts attendances or visits" in html
    assert 'id="chart-people-reunited-data"' not in html
    assert 'id="chart-training-person-times-data"' not in html


@pytest.mark.django_db
def test_compare_shows_issue_coverage_and_case_counts(client, three_companies):
    response = compare(client, "bytedance", "tencent")
    ((issue, counts),) = response.context["coverage"]
    assert issue.slug == "social-assistance"
    assert [count for _column, count in counts] == [3, 1]
    html = response.content.decode()
    assert "/cases/?company=bytedance" in html
    assert "/cases/?company=bytedance&amp;issue=social-assistance" in html
    assert "/cases/?company=tencent&amp;issue=social-assistance" in html


@pytest.mark.django_db
def test_removing_a_company_keeps_the_others_in_the_url(client, three_companies):
    response = compare(client, "bytedance", "tencent", "meituan")
    remove_urls = [column.remove_url for column in response.context["columns"]]
    assert remove_urls[1] == "?company=bytedance&company=meituan"


@pytest.mark.django_db
def test_the_picker_offers_companies_with_cases_and_checks_the_chosen(client, three_companies):
    response = compare(client, "bytedance", "tencent")
    html = response.content.decode()
    assert 'value="bytedance" checked' in html
    assert 'value="tencent" checked' in html
    assert 'value="douyin-group"' in html


@pytest.mark.django_db
def test_the_picker_lists_the_companies_with_most_cases_and_all_of_them_when_asked(
    client, three_companies, monkeypatch
):
    monkeypatch.setattr("cases.views.PICKER_OPTIONS", 1)
    response = client.get("/en/compare/", {"company": ["meituan", "tencent"]})
    html = response.content.decode()
    picker = html.split('id="picker"')[1].split("</form>")[0]
    # ByteDance leads the most cases; the chosen companies stay offered, checked.
    assert [option.slug for option in response.context["options"]] == ["bytedance"]
    assert 'value="meituan" checked' in picker and 'value="tencent" checked' in picker
    assert "The 1 companies with the most cases are listed." in picker
    assert 'name="companies" value="all" formaction="/en/compare/#picker"' in picker
    assert "List all 3 companies" in picker
    assert "<details>" in picker

    response = client.get("/en/compare/", {"company": ["meituan", "tencent"], "companies": "all"})
    picker = response.content.decode().split('id="picker"')[1].split("</form>")[0]
    assert len(response.context["options"]) == 3
    assert "List all" not in picker and "<details open>" in picker

    response = client.get("/compare/", {"company": ["meituan", "tencent"], "companies": "<i>"})
    assert response.status_code == 200
    assert "“&lt;i&gt;”不是企业列表的选项" in response.content.decode()
    assert len(response.context["options"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slugs", "message", "columns"),
    [
        ([], "至少", 0),
        (["tencent"], "至少", 1),
        (["tencent", "no-such-company"], "no-such-company", 1),
        (["tencent", "tencent", "meituan"], "只显示一次", 2),
        (["x" * 5000, "tencent", "meituan"], "xxxx", 2),
        (["<script>alert(1)</script>", "tencent"], "&lt;script&gt;", 1),
        (["tencent\x00", "meituan"], "", 1),
    ],
)
def test_bad_choices_get_a_message_and_a_usable_page(
    client, three_companies, slugs, message, columns
):
    response = compare(client, *slugs)
    assert response.status_code == 200
    assert len(response.context["columns"]) == columns
    assert message in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.django_db
def test_a_flood_of_unknown_companies_gets_one_short_message(client, three_companies):
    slugs = [f"nobody-{number}" for number in range(500)] + ["tencent", "meituan"]
    response = compare(client, *slugs, language="en")
    assert len(response.context["columns"]) == 2
    (message,) = response.context["messages"]
    assert "“nobody-0”" in message and "“nobody-4”" in message
    assert "nobody-5”" not in message
    assert "(500 in all)" in message


@pytest.mark.django_db
def test_more_than_six_companies_keeps_the_first_six_and_says_so(client, three_companies):
    slugs = []
    for number in range(MAX_COMPANIES + 2):
        Company.objects.create(
            slug=f"firm-{number}",
            name_zh=f"公司{number}",
            name_en=f"Firm {number}",
            kind="internet",
        )
        slugs.append(f"firm-{number}")
    response = compare(client, *slugs, language="en")
    assert [column.company.slug for column in response.context["columns"]] == slugs[:MAX_COMPANIES]
    assert "At most 6 companies" in response.content.decode()
    assert "Firm 7" in response.content.decode()


@pytest.mark.django_db
def test_a_group_and_its_subsidiary_together_are_flagged(client, three_companies):
    response = compare(client, "bytedance", "douyin-group", language="en")
    assert "belongs to ByteDance" in response.content.decode()


@pytest.mark.django_db
def test_draft_cases_and_their_figures_stay_out_of_the_comparison(client, three_companies):
    Project.objects.filter(slug="case-0").update(status="draft")
    response = compare(client, "bytedance", "tencent")
    bytedance = response.context["columns"][0]
    assert "case-0" not in slugs_of(bytedance.case_ids)
    assert "case-0-figure" not in {figure.slug for figure in bytedance.figures}


@pytest.mark.django_db
def test_compare_in_english_labels_everything_in_english(client, three_companies):
    response = compare(client, "bytedance", "tencent", language="en")
    html = response.content.decode()
    assert "Compare companies" in html
    assert "ByteDance" in html
    row = response.context["categories"][0].rows[0]
    assert row.charts[0].chart["layout"]["yaxis"]["title"]["text"] == "thousand people"


@pytest.mark.django_db
def test_two_bars_of_one_company_and_case_get_distinct_labels(client, three_companies):
    tencent_figure = Metric.objects.get(slug="tencent-reunited")
    tencent_figure.pk, tencent_figure.slug, tencent_figure.value = None, "tencent-again", 300
    tencent_figure.save()
    response = compare(client, "bytedance", "tencent")
    chart = response.context["categories"][0].rows[0].charts[0].chart
    tencent_bars = next(trace for trace in chart["data"] if trace["name"] == "腾讯")
    labels = [label.split("<br>")[0] for label in tencent_bars["x"]]
    assert labels == ["腾讯 · 腾讯社会救助", "腾讯 · 腾讯社会救助 (2)"]
    assert tencent_bars["y"] == [0.03, 0.05]


@pytest.mark.django_db
def test_key_facts_are_listed_but_never_charted_against_each_other(client, three_companies):
    tencent, meituan = three_companies
    years = Unit.objects.create(symbol="年", name_zh="年", name_en="years", kind="other")
    running = Indicator.objects.create(
        slug="programme-years-running",
        name_zh="项目已开展年数",
        name_en="Years a programme has run",
        category="key_facts",
        unit=years,
    )
    for company, value in [(tencent, 4), (meituan, 6)]:
        Metric.objects.create(
            slug=f"{company.slug}-years-running",
            company=company,
            indicator=running,
            label_zh="开展年数",
            value=Decimal(value),
            unit=years,
            as_of=D(2024, 1, 1),
            as_of_precision="day",
            source=Source.objects.get(),
            locator="p. 3",
            original_wording=f"{value}年",
        )

    response = compare(client, "tencent", "meituan", language="en")

    rows = {row.indicator.slug: row for c in response.context["categories"] for row in c.rows}
    facts = rows["programme-years-running"]
    assert facts.reporting == 2 and facts.charts == [] and facts.comparisons == []
    assert "never compared" in " ".join(str(problem) for problem in facts.problems)
    assert 'id="chart-programme-years-running-data"' not in response.content.decode()


# Like with like ------------------------------------------------------------------------------


def charted_figures(comparison):
    return [figure for _column, figures in comparison.reported for figure in figures]


def add_figure(company, issue, slug, value):
    template = Metric.objects.get(slug="tencent-reunited")
    template.pk, template.slug, template.value = None, slug, value
    template.company, template.project = company, case_of(company, issue)
    template.save()


@pytest.mark.django_db
def test_each_chart_holds_figures_of_one_issue_and_one_measure(
    client, three_companies, social_assistance
):
    """Both companies report people reunited for cases on two issues: one chart per issue."""
    tencent, _meituan = three_companies
    elder_care = SocialIssue.objects.create(slug="elder-care", name_zh="养老", name_en="Elder care")
    add_figure(Company.objects.get(slug="bytedance"), elder_care, "bytedance-elder-reunited", 300)
    add_figure(tencent, elder_care, "tencent-elder-reunited", 700)

    response = compare(client, "bytedance", "tencent")

    (people,) = response.context["categories"]
    (reunited,) = people.rows
    by_issue = {comparison.issues[0].slug: comparison for comparison in reunited.charts}
    assert set(by_issue) == {"social-assistance", "elder-care"}
    for slug, comparison in by_issue.items():
        (issue,) = comparison.issues
        figures = charted_figures(comparison)
        assert all(issue in figure.project.issues.all() for figure in figures)
        assert len({(figure.indicator_id, figure.unit_id) for figure in figures}) == 1
        assert comparison.key == f"chart-people-reunited-{slug}"
    elder_bars = [len(trace["y"]) for trace in by_issue["elder-care"].chart["data"]]
    assert elder_bars == [1, 1]
    html = response.content.decode()
    assert 'id="chart-people-reunited-elder-care-data"' in html
    assert 'id="chart-people-reunited-social-assistance-data"' in html


@pytest.mark.django_db
def test_figures_from_cases_on_different_issues_never_share_a_chart(client, three_companies):
    move_to_new_issue("tencent-reunited")
    response = compare(client, "bytedance", "tencent", language="en")
    (people,) = response.context["categories"]
    rows = {row.indicator.slug: row for row in people.rows}
    reunited = rows["people-reunited"]
    assert reunited.reporting == 2
    assert reunited.comparisons == [] and reunited.charts == []
    assert "different issues" in " ".join(reunited.problems)
    html = response.content.decode()
    assert 'id="chart-people-reunited-data"' not in html
    assert "?company=bytedance&amp;company=tencent&amp;view=all-issues#row-people-reunited" in html


@pytest.mark.django_db
def test_the_cross_issue_view_charts_them_and_says_so(client, three_companies):
    move_to_new_issue("tencent-reunited")
    response = client.get(
        "/en/compare/", {"company": ["bytedance", "tencent"], "view": "all-issues"}
    )
    (people,) = response.context["categories"]
    reunited = next(row for row in people.rows if row.indicator.slug == "people-reunited")
    (comparison,) = reunited.charts
    assert comparison.across_issues
    assert comparison.chart["layout"]["title"]["text"] == "People reunited (across issues)"
    assert "across issues" in comparison.chart["summary"]
    html = response.content.decode()
    assert 'id="chart-people-reunited-data"' in html
    assert "Cross-issue view" in html
    assert 'href="?company=bytedance&amp;company=tencent#figures-title"' in html
    remove_urls = [column.remove_url for column in response.context["columns"]]
    assert remove_urls[0] == "?company=tencent&view=all-issues"
    assert '<input type="hidden" name="view" value="all-issues">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["everything", "<script>alert(1)</script>", "all-issues\x00"])
def test_an_unknown_view_is_named_and_charts_keep_to_one_issue(client, three_companies, view):
    move_to_new_issue("tencent-reunited")
    response = client.get("/en/compare/", {"company": ["bytedance", "tencent"], "view": view})
    assert response.status_code == 200
    assert not response.context["across_issues"]
    (message,) = response.context["messages"]
    assert "is not a view of this page" in message
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert 'id="chart-people-reunited-data"' not in html


@pytest.mark.django_db
def test_rows_one_company_reports_fold_into_one_closed_list_per_category(client, three_companies):
    response = compare(client, "bytedance", "tencent", "meituan", language="en")
    (people,) = response.context["categories"]
    assert [row.indicator.slug for row in people.shared_rows] == ["people-reunited"]
    assert [row.indicator.slug for row in people.single_rows] == ["training-person-times"]
    html = response.content.decode()
    figures_part = html.split('id="figures-title"')[1]
    table, after = figures_part.split("</table>", 1)
    assert "Training attendances" not in table
    assert table.count("no figure") == 0
    folded = after.split('<details class="compare-single">')[1].split("</details>")[0]
    assert "Reported by one company only: 1 indicator" in folded
    assert "Training attendances" in folded and "260000人次" in folded
    assert 'id="category-people-meituan"' in folded
    assert after.count('<details class="compare-single">') == 1


@pytest.mark.django_db
def test_the_page_leads_with_scorecards_cases_by_issue_and_kinds_of_figures(
    client, three_companies
):
    response = compare(client, "bytedance", "tencent", "meituan", language="en")
    html = response.content.decode()
    order = [
        'id="overview-title"',
        'id="index-title"',
        'id="coverage-title"',
        'id="kinds-title"',
        'id="figures-title"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    for marker in order:
        assert f'href="#{marker[4:-1]}"' in html
    (kind,) = response.context["figure_kinds"]
    assert kind.key == "people"
    assert [count for _column, count in kind.counts] == [3, 1, 2]
    assert kind.url == "#category-people"
    overview = html.split('id="overview-title"')[1].split("</table>")[0]
    assert "Impact index (0–100)" in overview
    assert 'href="/en/cases/?company=meituan"' in overview


@pytest.mark.django_db
def test_the_remove_links_are_big_enough_to_tap(client, three_companies):
    """The × is a 28 px square: WCAG's minimum target is 24 px."""
    html = compare(client, "bytedance", "tencent").content.decode()
    assert html.count('class="remove-column"') == 2
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    # The compare section's rule, which comes last and so wins.
    rule = css.rsplit(".remove-column {", 1)[1].split("}")[0]
    assert "min-width: 1.75rem" in rule and "min-height: 1.75rem" in rule


# The download --------------------------------------------------------------------------------


def download(client, *slugs, language=""):
    return client.get(
        ("/en" if language == "en" else "") + "/compare/figures.csv", {"company": list(slugs)}
    )


def read_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.django_db
def test_the_download_holds_each_companys_figures_as_the_documents_give_them(
    client, three_companies
):
    response = download(client, "bytedance", "tencent")
    assert "csi-casebook-compare-bytedance-tencent.csv" in response["Content-Disposition"]
    rows = read_rows(response)
    assert list(rows[0]) == CSV_COLUMNS
    assert [row["company"] for row in rows] == ["字节跳动"] * 3 + ["腾讯"]
    xunren = next(row for row in rows if row["case"] == "抖音寻人")
    assert xunren["value"] == "22,859人"
    assert xunren["number"] == "22859"
    assert xunren["unit"] == "人"
    assert xunren["as_of"] == "2024-06-13" and xunren["as_of_precision"] == "day"
    assert xunren["category"] == "覆盖人群"
    assert xunren["indicator"] == "帮助团圆人数"
    assert xunren["issues"] == "社会救助"
    assert xunren["locator"] == "第三部分（二）社会价值成果，第20页"
    assert xunren["case_url"] == "http://testserver/cases/douyin-xunren/"
    assert xunren["source_url"] == "http://testserver/sources/csi-report-2024/"


@pytest.mark.django_db
def test_the_download_in_english_names_things_in_english(client, three_companies):
    rows = read_rows(download(client, "bytedance", "tencent", language="en"))
    tencent = rows[-1]
    assert tencent["company"] == "Tencent"
    assert tencent["indicator"] == "People reunited"
    assert tencent["category"] == "People reached"
    assert tencent["unit"] == "people"
    assert tencent["value"] == "500人"
    assert tencent["issues"] == "Social assistance"


@pytest.mark.django_db
def test_the_comparison_page_links_to_its_download(client, three_companies):
    html = compare(client, "bytedance", "tencent").content.decode()
    assert 'href="/compare/figures.csv?company=bytedance&amp;company=tencent"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slugs", "language", "message"),
    [
        ([], "", "至少"),
        (["tencent"], "en", "Choose at least two companies (up to 6)."),
        (["tencent", "no-such-company"], "en", "“no-such-company”"),
        (["tencent", "meituan", "<script>alert(1)</script>"], "en", "“<script>alert(1)</script>”"),
        (["tencent", "meituan", "x" * 5000], "en", "There is no such company"),
        (["tencent\x00", "meituan"], "en", "There is no such company"),
        (["tencent", "meituan", "bytedance", "douyin-group", "mca", "a", "b"], "en", "“a”"),
    ],
)
def test_a_download_of_a_bad_choice_is_refused_with_the_reason(
    client, three_companies, slugs, language, message
):
    response = download(client, *slugs, language=language)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


@pytest.mark.django_db
def test_a_download_of_more_than_six_companies_is_refused(client, three_companies):
    slugs = []
    for number in range(MAX_COMPANIES + 1):
        Company.objects.create(
            slug=f"firm-{number}",
            name_zh=f"公司{number}",
            name_en=f"Firm {number}",
            kind="internet",
        )
        slugs.append(f"firm-{number}")
    response = download(client, *slugs, language="en")
    assert response.status_code == 400
    assert "At most 6 companies" in response.content.decode()


@pytest.mark.django_db
def test_a_repeated_company_is_downloaded_once(client, three_companies):
    rows = read_rows(download(client, "tencent", "tencent", "meituan"))
    assert [row["company"] for row in rows].count("腾讯") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_download_runs_as_many_queries_for_30_cases_as_for_3(
    client, many_cases, django_assert_num_queries, count
):
    assert many_cases(count) == count
    with django_assert_num_queries(5):
        response = download(client, "bytedance", "douyin-group")
    subsidiary = Metric.objects.filter(company__slug="douyin-group").count()
    assert len(read_rows(response)) == count + subsidiary


# In the browser --------------------------------------------------------------------------------

TRIO = "/compare/?company=tencent&company=alibaba&company=meituan"


@pytest.mark.parametrize("language", ["", "/en"])
def test_on_a_phone_every_company_is_on_screen_and_nothing_is_wider(
    live_server, site_data, page, run_axe, console_errors, language
):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + language + TRIO)
    width = page.evaluate("document.documentElement.clientWidth")
    assert width == 375
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for table in [".overview-table", ".coverage-table", ".kinds-table"]:
        last = page.locator(f"{table} thead th").last.bounding_box()
        assert last["x"] + last["width"] <= width, table
    for link in page.locator("a.remove-column").all():
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
    # On a phone each compared figure is a card whose cells say which company they are.
    label = page.locator(".figures-table td[data-label]").first
    assert label.evaluate("cell => getComputedStyle(cell, '::before').content") != "none"
    assert page.locator("details.compare-single").count() >= 1
    assert page.locator("details.compare-single[open]").count() == 0
    assert run_axe(page) == []
    assert console_errors == []


def test_figures_of_different_issues_are_charted_together_only_when_asked(
    live_server, site_data, page, console_errors
):
    """Tencent's elder-safety card holders and Alibaba's rural medical programme both count
    people: by default they are not drawn together; the cross-issue view draws them and
    says so."""
    page.goto(live_server.url + "/en" + TRIO)
    row = page.locator("#row-people-benefiting")
    expect(row).to_contain_text("different issues")
    expect(page.locator("#chart-people-benefiting")).to_have_count(0)

    page.get_by_role("link", name="Chart figures across issues instead").click()
    expect(page).to_have_url(re.compile(r"view=all-issues#figures-title$"))
    expect(page.locator("#chart-people-benefiting .gtitle")).to_have_text(
        "People benefiting (across issues)"
    )
    expect(page.locator("#chart-people-benefiting .chart-caption")).to_contain_text("across issues")
    expect(page.locator(".notice", has_text="Cross-issue view")).to_be_visible()
    assert console_errors == []


@pytest.mark.django_db
def test_a_long_list_of_one_companys_figures_shows_ten_and_links_to_the_rest(client, casebook):
    from cases.models import Metric

    template = Metric.objects.filter(company__slug="douyin-group").select_related("project").first()
    indicator = template.indicator
    for n in range(12):
        copy = Metric.objects.get(pk=template.pk)
        copy.pk = None
        copy.slug = f"{template.slug}-copy-{n}"
        copy.as_of = template.as_of.replace(year=2000 + n)
        copy.save()
    html = client.get("/compare/", {"company": ["bytedance", "alibaba"]}).content.decode()
    link = f"/metrics/?company=bytedance&amp;indicator={indicator.slug}"
    assert link in html
    assert "在数据浏览器中查看全部" in html


@pytest.mark.django_db
def test_a_compare_cell_escapes_every_value_it_shows(casebook):
    """The cell's figure is written in Python (cases.templatetags.compare): names, wording,
    locator and issues from an editor come out as text, never as markup."""
    from cases.templatetags.compare import compare_figure

    figure = Metric.objects.for_listing().exclude(project=None).first()
    figure.original_wording = "<script>alert(1)</script>"
    figure.project.name_zh = figure.project.name_en = "<b>case</b>"
    figure.source.title_zh = figure.source.title_en = '"><img src=x>'
    with translation.override("en"):
        html = compare_figure(figure, "<i>issue</i>")
        case_url = figure.project.get_absolute_url()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>case</b>" not in html and "&lt;b&gt;case&lt;/b&gt;" in html
    assert "<img" not in html and "&quot;&gt;&lt;img src=x&gt;" in html
    assert "Issues: &lt;i&gt;issue&lt;/i&gt;" in html
    assert f'<a href="{case_url}">' in html


# Large comparisons ---------------------------------------------------------------------------

GROUPS = {"company": ["bytedance", "alibaba", "tencent"]}


@pytest.mark.django_db
def test_a_comparison_too_long_for_one_page_lists_one_category_at_a_time(
    client, casebook, monkeypatch
):
    """Large groups report hundreds of figures; past MAX_LISTED_FIGURES the page lists the
    first category's and links to each other category's page, while its summaries still
    count every figure."""
    monkeypatch.setattr("cases.compare.MAX_LISTED_FIGURES", 1)
    response = client.get("/en/compare/", GROUPS)
    html = response.content.decode()
    kinds = response.context["figure_kinds"]
    assert len(kinds) >= 2
    first, second = kinds[0], kinds[1]
    assert response.context["category_shown"] == first.key
    assert [category.key for category in response.context["categories"]] == [first.key]
    assert html.count('<section class="compare-category"') == 1
    assert "too many figures for one page" in html
    tabs = html.split('class="category-tabs"')[1].split("</nav>")[0]
    assert f'<span class="capitalised" aria-current="page">{first.label}</span>' in tabs
    query = "?company=bytedance&company=alibaba&company=tencent"
    assert second.url == f"{query}&category={second.key}#category-{second.key}"
    assert f'href="{second.url.replace("&", "&amp;")}"' in tabs
    kinds_table = html.split('id="kinds-title"')[1].split("</table>")[0]
    assert f'href="#category-{first.key}"' in kinds_table
    assert f'href="{second.url.replace("&", "&amp;")}"' in kinds_table
    # Every figure is counted, listed or not.
    for index, column in enumerate(response.context["columns"]):
        assert sum(kind.counts[index][1] for kind in kinds) == column.figure_count

    response = client.get("/en/compare/" + second.url.split("#")[0])
    assert [category.key for category in response.context["categories"]] == [second.key]
    tabs = response.content.decode().split('class="category-tabs"')[1].split("</nav>")[0]
    assert f'aria-current="page">{second.label}</span>' in tabs
    first_again = response.context["figure_kinds"][0]
    assert first_again.url == f"{query}&category={first.key}#category-{first.key}"
    assert f'href="{first_again.url.replace("&", "&amp;")}"' in tabs
    # English category names start with a capital in the table, links and all.
    kinds_table = response.content.decode().split('id="kinds-title"')[1].split("</table>")[0]
    assert f">{first_again.label[0].upper()}{first_again.label[1:]}</a></th>" in kinds_table


@pytest.mark.django_db
def test_a_chosen_category_is_listed_alone_and_an_unknown_one_is_named_and_ignored(
    client, casebook
):
    everything = client.get("/en/compare/", GROUPS)
    assert not everything.context["one_category"]
    kinds = everything.context["figure_kinds"]
    assert [category.key for category in everything.context["categories"]] == [
        kind.key for kind in kinds
    ]
    chosen = kinds[-1]
    response = client.get("/en/compare/", {**GROUPS, "category": chosen.key})
    html = response.content.decode()
    assert [category.key for category in response.context["categories"]] == [chosen.key]
    assert "One category of figures is listed." in html
    assert 'href="?company=bytedance&amp;company=alibaba&amp;company=tencent#figures-title"' in html
    # Removing a company keeps the category; the view's links keep it too.
    assert response.context["columns"][0].remove_url.endswith(f"&category={chosen.key}")
    assert f"view=all-issues&amp;category={chosen.key}" in html

    response = client.get("/compare/", {**GROUPS, "category": "<b>money</b>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“&lt;b&gt;money&lt;/b&gt;”不是数据的类别" in html
    assert not response.context["one_category"]

    unreported = next(
        key for key in Indicator.Category.values if key not in {kind.key for kind in kinds}
    )
    response = client.get("/en/compare/", {**GROUPS, "category": unreported})
    assert response.context["categories"] == []
    assert "None of these companies reports a figure of this category." in (
        response.content.decode()
    )
