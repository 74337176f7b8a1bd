"""The figures explorer at /metrics/ and its CSV download."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.explorer import CSV_COLUMNS
from cases.models import Indicator, Metric, Project, Unit
from cases.spreadsheet import spreadsheet_safe

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(many_cases, people, report):
    """Three cases' figures of people reunited, plus an industry-wide money figure."""
    many_cases(3)
    yuan = Unit.objects.create(symbol="元", name_zh="元", name_en="yuan", kind="money")
    giving = Indicator.objects.create(
        slug="online-giving",
        name_zh="网络募捐额",
        name_en="Online giving",
        category="money",
        unit=yuan,
    )
    Metric.objects.create(
        slug="industry-giving-2021",
        industry_wide=True,
        indicator=giving,
        label_zh="2021年互联网募捐额",
        label_en="Online giving in 2021",
        value=Decimal("10000000000"),
        unit=yuan,
        qualifier="近",
        as_of=datetime.date(2021, 12, 31),
        as_of_precision="year",
        source=report,
        locator="p. 3",
        original_wording="=近100亿元",
    )


def explore(client, params=None, language=""):
    url = reverse("cases:metrics")
    return client.get(("/en" + url) if language == "en" else url, params or {})


def slugs(response):
    return {figure.slug for figure in response.context["page"].paginator.object_list}


def test_the_explorer_lists_every_public_figure_with_its_source(client, figures):
    response = explore(client)
    assert response.status_code == 200
    assert slugs(response) == {
        "douyin-xunren-people-reunited",
        "case-0-figure",
        "case-1-figure",
        "industry-giving-2021",
    }
    html = response.content.decode()
    assert "/sources/csi-report-2024/" in html
    assert "22,859人" in html
    assert "/cases/douyin-xunren/" in html


def test_a_mixed_selection_is_charted_as_counts_per_indicator(client, figures):
    chart = explore(client).context["chart"]
    (trace,) = chart["data"]
    assert dict(zip(trace["y"], trace["x"], strict=True)) == {"帮助团圆人数": 3, "网络募捐额": 1}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "money"}, {"industry-giving-2021"}),
        ({"category": ["money", "people"]}, None),
        (
            {"indicator": "people-reunited", "company": "douyin-group"},
            {"douyin-xunren-people-reunited", "case-0-figure"},
        ),
        (
            {"company": "bytedance"},
            {"douyin-xunren-people-reunited", "case-0-figure", "case-1-figure"},
        ),
        ({"issue": "social-assistance", "as_of_to": "2023"}, {"case-0-figure", "case-1-figure"}),
        ({"as_of_from": "2024"}, {"douyin-xunren-people-reunited"}),
        ({"scope": "industry"}, {"industry-giving-2021"}),
        ({"scope": "companies", "category": "money"}, set()),
    ],
)
def test_filters_narrow_the_selection(client, figures, params, expected):
    response = explore(client, params)
    everything = slugs(explore(client))
    assert slugs(response) == (everything if expected is None else expected)


def test_one_indicator_is_charted_as_its_values_over_time(client, figures):
    chart = explore(client, {"indicator": "people-reunited"}).context["chart"]
    assert chart["layout"]["xaxis"]["type"] == "date"
    assert chart["layout"]["title"]["text"] == "帮助团圆人数"
    names = [trace["name"] for trace in chart["data"]]
    assert names == ["抖音集团 · 累计", "抖音集团", "字节跳动"]


def test_key_facts_are_listed_and_downloaded_but_never_charted(client, figures, people, report):
    Indicator.objects.filter(slug="people-reunited").update(category="key_facts")

    response = explore(client, {"indicator": "people-reunited"})

    assert response.context["chart"] is None
    assert len(slugs(response)) == 3
    assert "plotly-basic.min.js" not in response.content.decode()
    # With the key facts left out, what remains is one indicator, drawn over time.
    remaining = explore(client).context["chart"]
    assert remaining["layout"]["title"]["text"] == "网络募捐额"
    assert len(rows_of(download(client, {"indicator": "people-reunited"}))) == 3


def test_drafts_figures_are_not_explored(client, figures):
    Project.objects.filter(slug="case-0").update(status="draft")
    assert "case-0-figure" not in slugs(explore(client))


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"category": "nonsense"}, "category", "没有类别“nonsense”"),
        ({"indicator": "no-such-thing"}, "indicator", "没有指标“no-such-thing”"),
        ({"company": "<b>x</b>"}, "company", "&lt;b&gt;x&lt;/b&gt;"),
        ({"as_of_from": "twenty"}, "as_of_from", "四位数"),
        ({"as_of_to": "9" * 60}, "as_of_to", "2100"),
        ({"as_of_from": "2024", "as_of_to": "2020"}, "as_of_to", "早于"),
        ({"scope": "everything"}, "scope", "everything"),
        ({"company": "tencent\x00"}, "company", "不允许"),
        ({"indicator": "\x00"}, "indicator", "不允许"),
    ],
)
def test_bad_filters_get_a_message_and_the_others_still_apply(
    client, figures, params, field, message
):
    response = explore(client, {**params, "category": params.get("category", "people")})
    assert response.status_code == 200
    assert field in response.context["filter"].errors
    html = response.content.decode()
    assert message in html
    assert "<b>x</b>" not in html
    if field != "category":
        assert "industry-giving-2021" not in slugs(response)


def test_the_forms_any_options_are_no_filter_at_all(client, figures):
    blank = dict.fromkeys(["indicator", "company", "issue", "scope", "as_of_from", "as_of_to"], "")
    response = explore(client, {**blank, "category": "people"})
    assert not response.context["filter"].errors
    assert len(slugs(response)) == 3
    assert 'href="/metrics/figures.csv?category=people"' in response.content.decode()
    assert download(client, {**blank, "category": "people"}).status_code == 200


def test_bad_page_numbers_show_a_page_and_say_why(client, figures):
    response = explore(client, {"page": "999"})
    assert response.status_code == 200
    assert "没有第999页" in response.content.decode()


def test_the_explorer_speaks_english(client, figures):
    response = explore(client, {"category": "nonsense"}, language="en")
    html = response.content.decode()
    assert "Figures explorer" in html
    assert "There is no category “nonsense”." in html


# CSV --------------------------------------------------------------------------------------


def download(client, params=None, language=""):
    url = reverse("cases:metrics_csv")
    return client.get(("/en" + url) if language == "en" else url, params or {})


def rows_of(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_csv_holds_the_filtered_figures_with_their_sources(client, figures):
    response = download(client, {"category": "people", "company": "douyin-group"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert list(rows[0]) == CSV_COLUMNS
    by_slug = {row["figure"]: row for row in rows}
    assert set(by_slug) == {"douyin-xunren-people-reunited", "case-0-figure"}
    row = by_slug["douyin-xunren-people-reunited"]
    assert row["value"] == "22859"
    assert row["unit"] == "人"
    assert row["as_of"] == "2024-06-13"
    assert row["as_of_precision"] == "day"
    assert row["original_wording"] == "22,859人"
    assert row["locator"] == "第三部分（二）社会价值成果，第20页"
    assert row["source_page"] == "http://testserver/sources/csi-report-2024/"
    assert row["cumulative"] == "1"


def test_the_csv_streams_its_first_bytes_before_the_figures_are_read(client, figures):
    response = download(client)
    assert response.streaming
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        head = next(chunks).decode("utf-8")
    assert head == "\ufeff" + ",".join(CSV_COLUMNS) + "\r\n"
    assert len(queries) == 0  # the figures are read only as the rows are sent
    rest = b"".join(chunks).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(head[1:] + rest)))
    assert len(rows) == Metric.objects.public().count()


def test_the_csv_sends_its_rows_a_few_at_a_time(client, figures, monkeypatch):
    monkeypatch.setattr("cases.explorer.CSV_CHUNK_ROWS", 1)
    chunks = list(download(client).streaming_content)
    rows = Metric.objects.public().count()
    assert rows > 1
    assert len(chunks) == 1 + rows  # the header, then each row as it is read


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(client, figures):
    (row,) = rows_of(download(client, {"scope": "industry"}))
    assert row["original_wording"] == "'=近100亿元"
    assert row["value"] == "10000000000"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("乡村振兴") == "乡村振兴"


def test_a_csv_with_a_bad_filter_is_refused_with_the_reason(client, figures):
    response = download(client, {"indicator": "nope"}, language="en")
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is no indicator “nope”." in text
    assert response["Content-Type"].startswith("text/plain")


def test_the_explorer_links_to_the_csv_of_its_selection(client, figures):
    html = explore(client, {"category": "people"}).content.decode()
    assert 'href="/metrics/figures.csv?category=people"' in html


def test_the_company_page_links_to_its_figures_in_the_explorer(client, figures):
    html = client.get(reverse("cases:company", args=["bytedance"])).content.decode()
    assert "/metrics/?company=bytedance" in html
    assert "/compare/?company=bytedance" in html


def test_each_cell_of_the_explorer_carries_its_column_name_for_the_phone_cards(client, figures):
    """On a phone each row becomes a card whose cells are labelled from data-label."""
    html = explore(client, language="en").content.decode()
    table = html[html.index('class="explorer-table') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = body.count("<tr>")
    assert rows == len(explore(client).context["page"].object_list)
    for label in ["Figure", "Value", "As of", "Indicator", "Case or company", "Source"]:
        assert body.count(f'data-label="{label}"') == rows, label
    assert 'class="explorer-table stacked-table"' in html


def test_the_company_filter_is_a_list_of_checkboxes_that_keeps_several_choices(
    client, figures, douyin
):
    from cases.models import Company

    offered = list(Company.objects.with_public_figures())
    assert len(offered) >= 2
    chosen = offered[:2]
    response = explore(client, {"company": [company.slug for company in chosen]})
    html = response.content.decode()
    assert '<select id="id_company"' not in html
    field = html[html.index('<details class="multi-select"') :]
    field = field[: field.index("</details>")]
    for company in offered:
        checked = " checked" if company in chosen else ""
        assert f'name="company" value="{company.slug}"{checked}>' in field
    summary = field[: field.index("</summary>")]
    assert all(company.name_zh in summary for company in chosen)
    assert slugs(response) == slugs(explore(client, {"company": chosen[0].slug})) | slugs(
        explore(client, {"company": chosen[1].slug})
    )


def test_the_company_filter_says_any_company_when_none_is_chosen(client, figures):
    html = explore(client, language="en").content.decode()
    assert '<span class="multi-select-value">any company</span>' in html
    assert 'type="checkbox" name="company"' in html
