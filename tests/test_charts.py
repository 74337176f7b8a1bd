"""The chart functions: given data, the expected traces, axes, units, table and language."""

import json
import re
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.utils import translation

from cases import charts, compare_choice, figure_charts, index_charts, plotting
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


@pytest.mark.parametrize(
    ("language", "colon", "comma"), [("zh-hans", "：", "、"), ("en", ": ", ", ")]
)
def test_hover_labels_and_lists_use_each_languages_punctuation(language, colon, comma):
    """Full-width punctuation after Chinese text; no ASCII colon after a Chinese name."""
    drawn = [
        charts.cases_per_issue([("养老", 2)], language),
        charts.launches_per_year({2020: 1, None: 1}, language),
        charts.coverage_grid(["腾讯"], ["养老"], {("腾讯", "养老"): 1}, language),
    ]
    for figure in drawn:
        for trace in figure["data"] + figure["narrow"]["data"]:
            assert colon in trace["hovertemplate"], trace["hovertemplate"]
    if language == "zh-hans":
        data = [figure["data"] + figure["narrow"]["data"] for figure in drawn]
        assert ": " not in json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with translation.override(language):
        assert comma.join(["“a”", "“b”"]) == compare_choice.listed(["a", "b"])


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
        lambda series: figure_charts.comparison_bars(series, ["A", "B"], "en"),
        lambda series: figure_charts.values_over_time(series, "en"),
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
    figure = figure_charts.comparison_bars(series, ["腾讯", "阿里巴巴"], "zh-hans")
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
    figure = figure_charts.values_over_time(series, "en")
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
    figure = figure_charts.figures_by_category(counts, "en")
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
    wrong = plotting.layout("Cases", 300, yaxis=plotting.value_axis("Cases", tickformatt=",d"))
    with pytest.raises(ValueError, match="tickformatt"):
        plotting.chart([go.Bar(x=[1], y=[2])], wrong, [], [], "")
    # A narrow form's layout is checked as well.
    with pytest.raises(ValueError, match="marginn"):
        plotting.chart(
            [go.Bar(x=[1], y=[2])],
            plotting.layout("t", 300),
            [],
            [],
            "",
            narrow=(None, plotting.narrowed(plotting.layout("t", 300), marginn={"l": 1})),
        )
    with pytest.raises(ValueError, match="colour"):
        plotting.chart([go.Bar(x=[1], y=[2], colour="red")], plotting.layout("t", 300), [], [], "")


def test_charts_carry_no_plotly_template():
    """Our layouts set every style; plotly.py's default template would only add bytes."""
    figure = charts.cases_per_issue([("Ageing", 2)], "en")
    for form in ({"data": figure["data"], "layout": figure["layout"]}, figure["narrow"]):
        assert "template" not in form["layout"]
        assert len(json.dumps(form)) < 2000


# Phones: every chart's narrow form ------------------------------------------------------------

# What a 375 px phone leaves a chart: the screen less the page's and the figure's padding.
PHONE_PLOT_WIDTH = 328


def test_the_narrow_coverage_grid_lists_every_company_and_issue_pair_under_its_company():
    companies = ["腾讯", "美团", "网易"]
    issues = ["养老", "绿色消费", "低碳与气候行动"]
    counts = {("腾讯", "养老"): 2, ("腾讯", "低碳与气候行动"): 1, ("美团", "绿色消费"): 3}
    figure = charts.coverage_grid(companies, issues, counts, "zh-hans")

    narrow = figure["narrow"]
    titles = [note["text"] for note in narrow["layout"]["annotations"]]
    assert titles == ["腾讯", "美团"]  # 网易 has no case here: no empty panel
    listed = [
        (title, issue, n)
        for title, trace in zip(titles, narrow["data"], strict=True)
        for issue, n in zip(trace["y"], trace["x"], strict=True)
    ]
    assert listed == [("腾讯", "养老", 2), ("腾讯", "低碳与气候行动", 1), ("美团", "绿色消费", 3)]
    assert all(trace["orientation"] == "h" for trace in narrow["data"])
    # The wide grid needs a wide box; its table is the same in both forms.
    assert figure["room"] == "roomy"
    assert figure["heights"] == {
        "wide": figure["layout"]["height"],
        "narrow": narrow["layout"]["height"],
    }


def test_the_narrow_coverage_grid_stacks_its_panels_without_overlap_top_down():
    counts = {(company, "养老"): 1 for company in "甲乙丙丁"} | {("甲", "教育"): 2}
    figure = charts.coverage_grid(list("甲乙丙丁"), ["养老", "教育"], counts, "zh-hans")
    layout = figure["narrow"]["layout"]
    domains = [layout[f"yaxis{'' if n == 1 else n}"]["domain"] for n in range(1, 5)]
    assert all(low < high for low, high in domains)
    assert all(a[0] > b[1] for a, b in zip(domains, domains[1:], strict=False))
    # The first company has two issues, so twice the others' room.
    heights = [high - low for low, high in domains]
    assert heights[0] == pytest.approx(2 * heights[1], rel=0.01)


def test_the_narrow_sector_multiples_stack_one_full_width_panel_per_measure():
    people = Series(
        "Digital economy as a share of GDP",
        "per cent",
        [
            Point("2014-12-31", 25, "25%", as_of="end of 2014", measure=("share", "%")),
            Point("2023-12-31", 44, "44%", as_of="end of 2023", measure=("share", "%")),
        ],
    )
    score = Series(
        "Internet sector average CSR score",
        "points",
        [
            Point("2019-12-31", 36, "36", as_of="end of 2019", measure=("score", "分")),
            Point("2023-12-31", 52, "52", as_of="end of 2023", measure=("score", "分")),
        ],
    )
    figure = charts.industry_context([people, score], "en")
    layout = figure["narrow"]["layout"]

    assert "grid" not in layout
    assert [trace["yaxis"] for trace in figure["data"]] == ["y", "y2"]
    assert layout["xaxis"]["domain"] == [0, 1] and layout["xaxis2"]["domain"] == [0, 1]
    first, second = layout["yaxis"]["domain"], layout["yaxis2"]["domain"]
    assert first[0] > second[1]  # one row per series, the first on top
    assert [note["text"] for note in layout["annotations"]] == [people.title, score.title]
    assert figure["room"] == "roomy"


def test_sector_dates_clear_the_corner_where_the_value_axis_starts():
    """The first date's label sat under the value axis's 0 when the axis began at it."""
    series = Series(
        "Score",
        "points",
        [
            Point("2019-12-31", 36, "36", as_of="end of 2019", measure=("score", "分")),
            Point("2023-12-31", 52, "52", as_of="end of 2023", measure=("score", "分")),
        ],
    )
    for figure in (charts.industry_context([series], "en"), charts.growth_line(series, "en")):
        start, end = figure["layout"]["xaxis"]["range"]
        assert start < "2019-12-31" and end > "2023-12-31"


MILESTONES = {
    "zh-hans": [
        (
            "2016-02-09",
            "2016年2月",
            "春节大年初二，员工曾华锋向河北燕郊一位走失的83岁阿尔茨海默病老人周边的用户推送寻人启事",
        ),
        ("2016-02-20", "2016年2月", "项目以“头条寻人”之名正式发起"),
        ("2016-07-01", "2016年7月", "与民政部社会事务司签署“互联网+救助寻亲”合作协议"),
        ("2021-06-01", "2021年6月", "与民政部续签合作协议"),
        (
            "2022-11-01",
            "2022年11月",
            "发起“同伴计划”，拿出百万流量扶持寻人、流浪救助和应急救灾方向的公益机构",
        ),
    ],
    "en": [
        (
            "2016-02-09",
            "February 2016",
            "On the second day of the Spring Festival, an employee pushed a notice about a missing "
            "83-year-old man with Alzheimer's disease to users near Yanjiao, Hebei",
        ),
        ("2016-02-20", "February 2016", "Launched formally under the name Toutiao Missing Persons"),
        (
            "2016-07-01",
            "July 2016",
            'Signed an "Internet + rescue and family search" agreement with the Ministry of '
            "Civil Affairs",
        ),
        ("2021-06-01", "June 2021", "Renewed the agreement"),
        (
            "2022-11-01",
            "November 2022",
            "Started the Companion Programme, giving a million views of traffic to charities",
        ),
    ],
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_narrow_timeline_lists_milestones_top_down_with_labels_that_fit(language):
    milestones = MILESTONES[language]
    figure = charts.milestone_timeline(milestones, language)
    _line, points = figure["narrow"]["data"]
    layout = figure["narrow"]["layout"]

    assert points["y"] == [0, 1, 2, 3, 4]
    assert layout["yaxis"]["range"][0] > layout["yaxis"]["range"][1]  # oldest on top
    assert set(
        points["textposition"]
        if isinstance(points["textposition"], list)
        else [points["textposition"]]
    ) == {"middle right"}
    low, high = layout["xaxis"]["range"]
    left = (0 - low) / (high - low) * PHONE_PLOT_WIDTH + 8  # the text starts after the point
    for text, (_iso, shown, _what) in zip(points["text"], milestones, strict=True):
        lines = text.split("<br>")
        assert lines[0] == shown
        assert len(lines) <= 3
        assert all(left + plotting.text_width(line) <= PHONE_PLOT_WIDTH for line in lines)
    assert layout["height"] >= 60 * len(milestones)


def test_the_wide_timeline_turns_labels_near_its_ends_inwards():
    figure = charts.milestone_timeline(MILESTONES["en"], "en")
    positions = figure["data"][1]["textposition"]
    assert positions[0].endswith("right") and positions[1].endswith("right")
    assert positions[-1].endswith("left")


@pytest.mark.parametrize(
    ("build", "names"),
    [
        (
            lambda: charts.launches_per_year({2014: 1, 2016: 2, None: 3}, "en"),
            ["2014", "2015", "2016", "date unknown"],
        ),
        (
            lambda: index_charts.distribution([5, 55, 57], "en"),
            [f"{n}–{n + 9}" for n in range(0, 90, 10)] + ["90–100"],
        ),
    ],
)
def test_upright_bars_with_many_labels_lie_down_on_a_phone(build, names):
    """Side by side, fifteen year labels print over each other at 375 px; one row each."""
    figure = build()
    (trace,) = figure["narrow"]["data"]
    assert trace["orientation"] == "h"
    assert trace["y"] == names
    assert figure["narrow"]["layout"]["yaxis"]["autorange"] == "reversed"
    assert figure["data"][0].get("orientation") != "h"


def test_narrow_count_axes_keep_to_a_few_whole_number_ticks():
    figure = charts.cases_per_issue([("Ageing", 17), ("Health", 3)], "en")
    assert figure["narrow"]["layout"]["xaxis"]["dtick"] == 5
    assert plotting.count_step(4, most=5) == 1
    assert plotting.count_step(17, most=5) == 5
    assert plotting.count_step(230, most=5) == 50
    assert plotting.count_step(17) is None  # wide: plotly's own whole-number choice


def test_long_issue_names_take_two_lines_on_a_phone():
    figure = charts.cases_per_issue([("Digital transformation of industry", 2)], "en")
    (trace,) = figure["narrow"]["data"]
    assert trace["y"] == ["Digital<br>transformation …"] or "<br>" in trace["y"][0]
    assert trace["customdata"] == ["Digital transformation of industry"]
    assert all(len(line) <= 16 for line in trace["y"][0].split("<br>"))


def test_narrow_compared_bars_lie_down_with_each_label_above_its_bar():
    series = Series(
        "覆盖省份",
        "个",
        [
            Point(
                "腾讯 · 村级事务管理平台",
                31,
                "31个省份",
                as_of="2023年6月",
                group="腾讯",
                measure=("p", "个"),
            ),
            Point(
                "菜鸟", 20, "20个省份", as_of="2023年底", group="阿里巴巴集团", measure=("p", "个")
            ),
        ],
    )
    figure = figure_charts.comparison_bars(series, ["腾讯", "阿里巴巴集团"], "zh-hans")
    bars, labels = figure["narrow"]["data"]
    layout = figure["narrow"]["layout"]

    assert bars["orientation"] == "h" and bars["x"] == [31, 20]
    assert labels["text"] == [
        "腾讯 · 村级事务管理平台<br>截至2023年6月",
        "阿里巴巴集团 · 菜鸟<br>截至2023年底",
    ]
    assert all(label_y < bar_y for label_y, bar_y in zip(labels["y"], bars["y"], strict=True))
    assert bars["marker"]["color"][0] != bars["marker"]["color"][1]
    # Room at the right for the longest bar's value.
    assert layout["xaxis"]["range"][1] >= 31 * 1.5


def test_narrow_legends_sit_under_the_chart_one_entry_a_line():
    series = Series(
        "受益人数",
        "人",
        [
            Point("2023-06-30", 10, "10人", as_of="2023年6月", group="腾讯", measure=PEOPLE),
            Point("2024-06-30", 12, "12人", as_of="2024年6月", group="美团", measure=PEOPLE),
        ],
    )
    figure = figure_charts.values_over_time(series, "zh-hans")
    legend = figure["narrow"]["layout"]["legend"]
    assert legend["orientation"] == "v"
    assert (legend["yref"], legend["y"], legend["yanchor"]) == ("container", 0, "bottom")
    assert figure["narrow"]["layout"]["margin"]["b"] >= 2 * 21
    assert figure["narrow"]["layout"]["height"] > figure["layout"]["height"]


def test_a_chart_without_a_narrow_form_reserves_the_same_height_for_both():
    figure = plotting.chart([go.Bar(x=[1], y=[2])], plotting.layout("t", 300), [], [], "")
    assert "narrow" not in figure
    assert figure["heights"] == {"wide": 300, "narrow": 300}


def test_stacked_domains_leave_each_panel_its_pixels_and_its_title_gap():
    total, domains = plotting.stacked_domains([100, 50], gap=25)
    assert total == 200
    assert domains == [(0.375, 0.875), (0.0, 0.25)]


def test_dated_ticks_can_be_thinned_to_the_first_and_last_and_one_between():
    points = [
        Point(f"20{year}-12-31", 1, "1", as_of=f"20{year}年底", measure=PEOPLE)
        for year in range(18, 24)
    ]
    ticks = plotting.dated_ticks(points, most=3)
    assert ticks["ticktext"][0] == "2018年底" and ticks["ticktext"][-1] == "2023年底"
    assert len(ticks["tickvals"]) == 3


def test_the_chart_tag_keeps_room_for_either_form_and_sends_both():
    from django.template import Context, Template

    figure = charts.coverage_grid(["腾讯"], ["养老"], {("腾讯", "养老"): 1}, "zh-hans")
    html = Template('{% load charts %}{% chart figure "grid" %}').render(
        Context({"figure": figure})
    )
    assert '<figure class="chart chart-roomy" id="grid">' in html
    for form in ("wide", "narrow"):
        height = figure["heights"][form]
        assert f'class="chart-space chart-space-{form}" width="100%" height="{height}"' in html
    assert figure["heights"]["wide"] != figure["heights"]["narrow"]
    sent = re.search(r'<script id="grid-data" type="application/json">(.*?)</script>', html)
    plot = json.loads(sent.group(1))
    assert set(plot) == {"data", "layout", "narrow"}
    assert plot["narrow"]["layout"]["height"] == figure["heights"]["narrow"]


def test_each_ranked_bar_ends_at_its_index_when_a_dimension_is_not_scored():
    """A case scored on three dimensions of four has its index as their mean: its bar must end
    there, not three quarters of the way, or it would look worse than it ranks."""
    dimensions = [("Mission", "mission"), ("Execution", "execution"), ("Finance", "finance")]
    rows = [
        ("Scored on all", {"mission": 60, "execution": 60, "finance": 60}, 60.0),
        ("Scored on two", {"mission": 80, "execution": 70, "finance": None}, 76.7),
    ]
    weights = {"mission": 2, "execution": 1, "finance": 1}
    figure = index_charts.ranking(rows, dimensions, weights, "en")
    ends = [sum(trace["x"][row] for trace in figure["data"]) for row in range(2)]
    assert ends == [pytest.approx(60, abs=0.1), pytest.approx((2 * 80 + 70) / 3, abs=0.1)]
