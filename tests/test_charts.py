"""The chart functions: given data, the expected traces, axes, units, table and language."""

import json
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from cases import charts, plotting
from cases.charts import MixedMeasures, Point, Series

PEOPLE = ("people-benefiting", "人")
PERSON_TIMES = ("training-person-times", "人次")


def test_cases_per_issue_draws_horizontal_bars_largest_first_with_chinese_labels():
    figure = charts.cases_per_issue([("养老", 2), ("乡村振兴", 5), ("无障碍", 0)], "zh-hans")
    (trace,) = figure["data"]
    assert trace["type"] == "bar" and trace["orientation"] == "h"
    assert trace["y"] == ["乡村振兴", "养老"]
    assert trace["x"] == [5, 2]
    assert figure["layout"]["title"]["text"] == "各社会议题的案例数"
    assert figure["layout"]["xaxis"]["title"]["text"] == "案例"
    assert figure["table"] == {
        "columns": ["社会议题", "案例"],
        "rows": [["乡村振兴", 5], ["养老", 2]],
    }
    assert "乡村振兴" in figure["summary"]


def test_cases_per_issue_speaks_english_when_asked():
    figure = charts.cases_per_issue([("Ageing", 2)], "en")
    assert figure["layout"]["title"]["text"] == "Cases per social issue"
    assert figure["layout"]["xaxis"]["title"]["text"] == "Cases"
    assert figure["table"]["columns"] == ["Social issue", "Cases"]


def test_small_counts_get_whole_number_ticks():
    figure = charts.cases_per_issue([("Ageing", 2)], "en")
    assert figure["layout"]["xaxis"]["dtick"] == 1
    assert figure["layout"]["xaxis"]["tickformat"] == ",d"


def test_launches_per_year_fills_years_without_launches_with_zero():
    figure = charts.launches_per_year({2016: 1, 2019: 3}, "en")
    (trace,) = figure["data"]
    assert trace["x"] == ["2016", "2017", "2018", "2019"]
    assert trace["y"] == [1, 0, 0, 3]
    assert figure["table"]["rows"][1] == ["2017", 0]
    assert "2019 (3)" in figure["summary"]


@pytest.mark.parametrize(
    ("language", "unknown", "sentence"),
    [
        ("en", "date unknown", "The sources give no launch date for 2 more cases."),
        ("zh-hans", "日期不详", "另有2个案例的发起日期来源未载明。"),
    ],
)
def test_cases_without_a_launch_date_are_counted_apart_not_dropped(language, unknown, sentence):
    figure = charts.launches_per_year({2016: 1, 2018: 3, None: 2}, language)
    (trace,) = figure["data"]
    assert trace["x"] == ["2016", "2017", "2018", unknown]
    assert trace["y"] == [1, 0, 3, 2]
    assert trace["marker"]["color"][-1] != trace["marker"]["color"][0]
    assert figure["table"]["rows"][-1] == [unknown, 2]
    assert figure["summary"].endswith(sentence)


def test_launches_per_year_with_only_unknown_dates_still_shows_them():
    figure = charts.launches_per_year({None: 3}, "en")
    assert figure["data"][0]["x"] == ["date unknown"]
    assert figure["summary"] == "The sources give no launch date for any of the 3 cases."


def test_launches_per_year_without_years_still_returns_a_figure():
    figure = charts.launches_per_year({}, "en")
    assert figure["data"][0]["x"] == []
    assert figure["table"]["rows"] == []


def test_coverage_grid_marks_only_cells_with_cases_in_the_given_order():
    counts = {("腾讯", "养老"): 2, ("美团", "绿色消费"): 1, ("腾讯", "绿色消费"): 0}
    figure = charts.coverage_grid(["腾讯", "美团"], ["养老", "绿色消费"], counts, "zh-hans")
    (trace,) = figure["data"]
    assert trace["type"] == "scatter"
    assert trace["marker"]["symbol"] == "square"
    assert trace["texttemplate"] == "%{marker.color}"
    assert list(zip(trace["y"], trace["x"], trace["marker"]["color"], strict=True)) == [
        ("腾讯", "养老", 2),
        ("美团", "绿色消费", 1),
    ]
    assert figure["layout"]["yaxis"]["categoryarray"] == ["腾讯", "美团"]
    assert figure["layout"]["xaxis"]["categoryarray"] == ["养老", "绿色消费"]
    assert figure["table"]["rows"] == [["腾讯", "养老", 2], ["美团", "绿色消费", 1]]


def test_growth_line_draws_one_measure_over_time_in_date_order():
    series = Series(
        "覆盖城市数",
        "城",
        [
            Point("2024-03-01", Decimal(50), "50城", as_of="2024年3月", measure=("cities", "城")),
            Point("2022-11-01", Decimal(3), "3城", as_of="2022年11月", measure=("cities", "城")),
        ],
    )
    figure = charts.growth_line(series, "zh-hans")
    (trace,) = figure["data"]
    assert trace["mode"] == "lines+markers"
    assert trace["x"] == ["2022-11-01", "2024-03-01"]
    assert trace["y"] == [3, 50]
    assert figure["layout"]["xaxis"]["type"] == "date"
    stops = figure["layout"]["xaxis"]["tickformatstops"]
    assert [stop["value"] for stop in stops] == ["%Y年%-m月%-d日", "%Y年%-m月", "%Y年"]
    assert figure["layout"]["yaxis"]["title"]["text"] == "城"
    assert figure["table"]["rows"] == [["2022年11月", "3城"], ["2024年3月", "50城"]]
    assert "3城" in figure["summary"] and "50城" in figure["summary"]


def test_large_values_are_scaled_on_the_axis_in_each_language():
    points = [
        Point("2014-12-31", Decimal("16200000000000"), "16.2万亿元", measure=("gdp", "元")),
        Point("2023-12-31", Decimal("56100000000000"), "约56.1万亿元", measure=("gdp", "元")),
    ]
    chinese = charts.growth_line(Series("数字经济规模", "元", points), "zh-hans")
    assert chinese["data"][0]["y"] == [16.2, 56.1]
    assert chinese["layout"]["yaxis"]["title"]["text"] == "万亿元"
    english = charts.growth_line(Series("Digital economy", "yuan", points), "en")
    assert english["data"][0]["y"] == [16.2, 56.1]
    assert english["layout"]["yaxis"]["title"]["text"] == "trillion yuan"


def test_a_range_is_drawn_from_its_low_value_with_an_error_bar_to_its_high_value():
    series = Series(
        "Share",
        "%",
        [
            Point("2016-02-01", Decimal(2), "2%–5%", high=Decimal(5), measure=("share", "%")),
            Point("2022-12-31", Decimal(70), "over 70%", measure=("share", "%")),
        ],
    )
    (trace,) = charts.growth_line(series, "en")["data"]
    assert trace["y"] == [2, 70]
    assert trace["error_y"]["array"] == [3, 0]
    assert trace["error_y"]["arrayminus"] == [0, 0]


@pytest.mark.parametrize(
    "chart",
    [
        lambda series: charts.growth_line(series, "en"),
        lambda series: charts.comparison_bars(series, ["A", "B"], "en"),
        lambda series: charts.values_over_time(series, "en"),
        lambda series: charts.industry_context([series], "en"),
    ],
)
def test_figures_of_different_units_or_indicators_never_share_an_axis(chart):
    mixed_units = Series(
        "People",
        "人",
        [
            Point("2023-12-31", 1560000, "156万人", group="A", measure=PEOPLE),
            Point("2023-12-31", 260000, "26万人次", group="B", measure=PERSON_TIMES),
        ],
    )
    with pytest.raises(MixedMeasures):
        chart(mixed_units)
    mixed_indicators = Series(
        "Cities",
        "城",
        [
            Point("2023-12-31", 15, "15城", group="A", measure=("cities-covered", "城")),
            Point("2023-12-31", 20, "20城", group="B", measure=("cities-with-centres", "城")),
        ],
    )
    with pytest.raises(MixedMeasures):
        chart(mixed_indicators)


def test_comparison_bars_colour_each_company_and_keep_its_order():
    series = Series(
        "受益人数",
        "人",
        [
            Point(
                "阿里巴巴 · 乡村医疗",
                1560000,
                "156万人",
                as_of="2023年底",
                group="阿里巴巴",
                measure=PEOPLE,
            ),
            Point(
                "腾讯 · 银龄守护", 10000, "1万余人", as_of="2024年7月", group="腾讯", measure=PEOPLE
            ),
        ],
    )
    figure = charts.comparison_bars(series, ["腾讯", "阿里巴巴"], "zh-hans")
    assert [trace["name"] for trace in figure["data"]] == ["腾讯", "阿里巴巴"]
    assert figure["data"][0]["marker"]["color"] != figure["data"][1]["marker"]["color"]
    assert figure["data"][1]["y"] == [156]
    assert figure["data"][0]["x"] == ["腾讯 · 银龄守护<br>截至2024年7月"]
    assert figure["layout"]["yaxis"]["title"]["text"] == "万人"
    assert figure["layout"]["title"]["text"] == "受益人数"
    assert figure["table"]["columns"] == ["公司", "数据", "数值", "截至"]
    assert ["腾讯", "腾讯 · 银龄守护", "1万余人", "2024年7月"] in figure["table"]["rows"]


def test_values_over_time_has_one_trace_per_owner():
    series = Series(
        "Cities covered",
        "cities",
        [
            Point("2022-11-01", 3, "3 cities", group="Amap", measure=("cities", "城")),
            Point("2024-03-01", 50, "50 cities", group="Amap", measure=("cities", "城")),
            Point("2023-12-31", 15, "15 cities", group="Meituan", measure=("cities", "城")),
        ],
    )
    figure = charts.values_over_time(series, "en")
    assert [(trace["name"], trace["y"]) for trace in figure["data"]] == [
        ("Amap", [3, 50]),
        ("Meituan", [15]),
    ]
    assert figure["layout"]["xaxis"]["type"] == "date"
    assert "tickformatstops" not in figure["layout"]["xaxis"]
    assert figure["layout"]["yaxis"]["title"]["text"] == "cities"


def test_industry_context_gives_each_measure_its_own_axes():
    score = Series(
        "CSR score",
        "points",
        [
            Point("2019-12-31", 35.71, "35.71", measure=("s", "分")),
            Point("2023-12-31", 51.6, "51.6", measure=("s", "分")),
        ],
    )
    share = Series(
        "GDP share",
        "%",
        [
            Point("2014-12-31", 25.1, "25.1%", measure=("g", "%")),
            Point("2023-12-31", 44, "44%", measure=("g", "%")),
        ],
    )
    figure = charts.industry_context([score, share], "en")
    assert [(trace["xaxis"], trace["yaxis"]) for trace in figure["data"]] == [
        ("x", "y"),
        ("x2", "y2"),
    ]
    assert figure["layout"]["grid"] == {"rows": 1, "columns": 2, "pattern": "independent"}
    assert figure["layout"]["yaxis"]["title"]["text"] == "points"
    assert figure["layout"]["yaxis2"]["title"]["text"] == "%"


def test_milestone_timeline_places_milestones_by_date_with_labels_above_and_below():
    milestones = [
        ("2016-02-01", "2016年2月", "上线寻人功能"),
        ("2019-05-01", "2019年5月", "与民政部合作"),
    ]
    figure = charts.milestone_timeline(milestones, "zh-hans")
    stems, points = figure["data"]
    assert points["x"] == ["2016-02-01", "2019-05-01"]
    assert points["y"][0] > 0 > points["y"][1]
    assert figure["layout"]["yaxis"]["visible"] is False
    start, end = figure["layout"]["xaxis"]["range"]
    assert start < "2016-02-01" and end > "2019-05-01"
    assert figure["table"] == {
        "columns": ["日期", "事件"],
        "rows": [["2016年2月", "上线寻人功能"], ["2019年5月", "与民政部合作"]],
    }


def test_figures_by_category_stacks_counts_by_case():
    counts = [
        ("people reached", "Case A", 2),
        ("money", "Case A", 1),
        ("people reached", "Case B", 3),
    ]
    figure = charts.figures_by_category(counts, "en")
    assert figure["layout"]["barmode"] == "stack"
    assert [(trace["name"], trace["x"]) for trace in figure["data"]] == [
        ("Case A", [2, 1]),
        ("Case B", [3, 0]),
    ]
    assert "6 figures in 2 categories" in figure["summary"]


def test_hostile_names_are_escaped_for_plotly_but_kept_as_text_in_the_table():
    hostile = '<a href="javascript:alert(1)">x</a>'
    figure = charts.cases_per_issue([(hostile, 1)], "en")
    text = json.dumps(figure["data"])
    assert "<a " not in text
    assert "&lt;a href" in text
    assert figure["table"]["rows"][0][0] == hostile


def test_every_figure_is_plain_json():
    figure = charts.growth_line(
        Series(
            "x",
            "人",
            [
                Point("2020-01-01", Decimal("1.5"), "1.5", measure=PEOPLE),
                Point("2021-01-01", Decimal(2), "2", measure=PEOPLE),
            ],
        ),
        "en",
    )
    assert json.loads(json.dumps(figure)) == figure


def test_dates_on_few_point_lines_are_labelled_as_the_documents_date_them():
    points = [
        Point("2019-12-31", 35.71, "35.71分", as_of="2019年底", measure=("s", "分")),
        Point("2023-12-31", 51.6, "51.6分", as_of="2023年底", measure=("s", "分")),
    ]
    figure = charts.growth_line(Series("社会责任平均得分", "分", points), "zh-hans")
    axis = figure["layout"]["xaxis"]
    assert axis["tickvals"] == ["2019-12-31", "2023-12-31"]
    assert axis["ticktext"] == ["2019年底", "2023年底"]
    context = charts.industry_context([Series("社会责任平均得分", "分", points)], "zh-hans")
    assert context["layout"]["xaxis"]["ticktext"] == ["2019年底", "2023年底"]


def test_a_misspelt_attribute_fails_when_the_chart_is_built():
    """plotly.graph_objects checks every attribute, so a typo cannot reach the page."""
    with pytest.raises(ValueError, match="tickformatt"):
        plotting.layout("Cases", 300, yaxis=plotting.value_axis("Cases", tickformatt=",d"))
    with pytest.raises(ValueError, match="colour"):
        plotting.chart([go.Bar(x=[1], y=[2], colour="red")], plotting.layout("t", 300), [], [], "")


def test_charts_carry_no_plotly_template():
    """Our layouts set every style; plotly.py's default template would only add bytes."""
    figure = charts.cases_per_issue([("Ageing", 2)], "en")
    assert "template" not in figure["layout"]
    assert len(json.dumps(figure)) < 2000
