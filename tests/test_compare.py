"""The compare page and its comparability rules."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from cases.compare import MAX_COMPANIES, latest_of_each_series, problems
from cases.models import Company, Indicator, Metric, Project, Source, Unit

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
def three_companies(many_cases, people, reunited, report):
    """ByteDance (group of 抖音集团, with 抖音寻人), 腾讯 and 美团, each with a comparable
    figure of people reunited; 美团's is counted in person-times under another indicator."""
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
    assert {case.slug for case in bytedance.cases} == {"douyin-xunren", "case-0", "case-1"}
    assert len(bytedance.figures) == 3
    (people,) = response.context["categories"]
    (row, *_rest) = people.rows
    assert row.indicator.slug == "people-reunited"
    assert row.chart is not None
    assert row.chart["layout"]["yaxis"]["title"]["text"] == "万人"
    html = response.content.decode()
    assert 'id="chart-people-reunited-data"' in html
    assert "plotly-basic.min.js" in html


@pytest.mark.django_db
def test_compare_says_why_mismatched_figures_are_not_charted(client, three_companies):
    response = compare(client, "tencent", "meituan", language="en")
    (people,) = response.context["categories"]
    rows = {row.indicator.slug: row for row in people.rows}
    reunited = rows["people-reunited"]
    assert reunited.chart is None
    assert any("running totals" in reason for reason in reunited.problems)
    assert any("years apart" in reason for reason in reunited.problems)
    assert rows["training-person-times"].chart is None
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
    assert counts == [3, 0]
    html = response.content.decode()
    assert "/cases/?company=bytedance" in html


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
    assert "case-0" not in {case.slug for case in bytedance.cases}
    assert "case-0-figure" not in {figure.slug for figure in bytedance.figures}


@pytest.mark.django_db
def test_compare_in_english_labels_everything_in_english(client, three_companies):
    response = compare(client, "bytedance", "tencent", language="en")
    html = response.content.decode()
    assert "Compare companies" in html
    assert "ByteDance" in html
    row = response.context["categories"][0].rows[0]
    assert row.chart["layout"]["yaxis"]["title"]["text"] == "thousand people"


@pytest.mark.django_db
def test_two_bars_of_one_company_and_case_get_distinct_labels(client, three_companies):
    tencent_figure = Metric.objects.get(slug="tencent-reunited")
    tencent_figure.pk, tencent_figure.slug, tencent_figure.value = None, "tencent-again", 300
    tencent_figure.save()
    response = compare(client, "bytedance", "tencent")
    chart = response.context["categories"][0].rows[0].chart
    tencent_bars = next(trace for trace in chart["data"] if trace["name"] == "腾讯")
    labels = [label.split("<br>")[0] for label in tencent_bars["x"]]
    assert labels == ["腾讯 · 腾讯", "腾讯 · 腾讯 (2)"]
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
    assert facts.reporting == 2 and facts.chart is None
    assert "never compared" in " ".join(str(problem) for problem in facts.problems)
    assert 'id="chart-programme-years-running-data"' not in response.content.decode()
