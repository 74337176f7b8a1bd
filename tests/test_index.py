"""/index/: the social value impact index's method, ranking, the reader's weights, its
download, and the scorecards on case, company and compare pages."""

import csv
import io

import pytest

from cases.models import Assessment, IndexIndicator
from cases.scores import ASSESSMENT_COLUMNS, RANKING_COVERAGE

pytestmark = pytest.mark.django_db


def ranked_slugs(response):
    return [card.case.slug for card in response.context["ranked"]]


def test_the_index_page_explains_the_method_in_both_languages(client, casebook):
    chinese = client.get("/index/").content.decode()
    for words in [
        "社会价值影响力指数",
        "使命",
        "执行",
        "财务",
        "传播",
        "项目存续期",
        "未评估",
        "框架出处：",
    ]:
        assert words in chinese, words
    english = client.get("/en/index/").content.decode()
    for words in ["How the index is built", "Mission", "Execution", "Finance", "Communication"]:
        assert words in english, words
    assert "disclosure of the money put in" in english  # the placement decision, stated
    assert english.count('class="levels"') == IndexIndicator.objects.count() == 14


def test_ranked_cases_have_enough_coverage_and_come_in_order(client, casebook):
    response = client.get("/index/")
    ranked = response.context["ranked"]
    assert ranked, "the casebook's assessed cases are ranked"
    assert all(card.coverage >= RANKING_COVERAGE for card in ranked)
    indexes = [card.index for card in ranked]
    assert indexes == sorted(indexes, reverse=True)
    ranked_cases = {card.case.pk for card in ranked}
    unranked = response.context["unranked"]
    assert unranked, "some curated cases are assessed on too few indicators to be ranked"
    assert all(case.pk not in ranked_cases for case, _assessed in unranked)
    english = client.get("/en/index/").content.decode()
    for case, assessed in unranked:
        confirmed = case.assessments.filter(status="confirmed", level__isnull=False).count()
        assert assessed == confirmed
        assert f"{assessed} of 14 assessed" in english
    assert "douyin-xunren" in ranked_slugs(response)


def test_weights_in_the_url_change_the_ranking_and_are_kept(client, casebook):
    equal = client.get("/index/").context["ranked"]
    only_finance = client.get(
        "/index/", {"w-mission": "0", "w-execution": "0", "w-communication": "0"}
    )
    cards = only_finance.context["ranked"]
    assert [round(card.index, 6) for card in cards] == sorted(
        (round(card.score_of("finance"), 6) for card in cards), reverse=True
    )
    assert {card.case.slug: card.index for card in cards} != {
        card.case.slug: card.index for card in equal
    }
    html = only_finance.content.decode()
    assert 'name="w-mission" value="0"' in html
    assert 'name="w-finance" value="1"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"w-mission": "abc"}, "“使命”的权重须是0到100之间的数字"),
        ({"w-mission": "-1"}, "“使命”的权重须是0到100之间的数字"),
        ({"w-mission": "1e999"}, "“使命”的权重须是0到100之间的数字"),
        ({"w-mission": "101"}, "“使命”的权重须是0到100之间的数字"),
        ({"w-mission": "NaN"}, "“使命”的权重须是0到100之间的数字"),
        ({"w-mission": "9" * 5000}, "“使命”的权重须是0到100之间的数字"),
        ({"w-x<script>": "1"}, "没有“x&lt;script&gt;”这一维度"),
        (
            {"w-mission": "0", "w-execution": "0", "w-finance": "0", "w-communication": "0"},
            "所有权重都是0",
        ),
    ],
)
def test_unusable_weights_get_a_message_and_equal_weights(client, casebook, params, message):
    response = client.get("/index/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<script>" not in html.split("<main")[1]
    assert response.context["weights"] == {
        "mission": 1,
        "execution": 1,
        "finance": 1,
        "communication": 1,
    }


def read_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_download_has_a_row_per_case_and_indicator_with_its_evidence(client, casebook):
    response = client.get("/index/assessments.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_rows(response)
    assert list(rows[0]) == ASSESSMENT_COLUMNS
    cases = {row["case"] for row in rows}
    assert len(rows) == len(cases) * 14
    statement = next(
        row
        for row in rows
        if row["case"] == "douyin-xunren" and row["indicator"] == "csr-statement"
    )
    assert statement["level"] == "2" and statement["quotation"] and statement["locator"]
    reply = next(
        row for row in rows if row["case"] == "douyin-xunren" and row["indicator"] == "email-reply"
    )
    assert reply["level"] == "" and reply["evidence_en"] == ""
    assert "tencent-village-affairs-platform" not in cases  # a draft


def test_a_proposed_assessment_appears_nowhere_public(client, casebook):
    proposal = Assessment.objects.get(status="proposed")
    assert proposal.project.slug == "douyin-xunren" and proposal.level == 0
    confirmed = Assessment.objects.get(
        project=proposal.project, indicator=proposal.indicator, status="confirmed"
    )
    assert confirmed.level == 2
    case_page = client.get("/cases/douyin-xunren/")
    card = case_page.context["scorecard"]
    shown = {indicator.slug: found for d in card.dimensions for indicator, found in d.cells}
    assert shown["own-identity"].pk == confirmed.pk
    assert proposal.evidence_zh not in case_page.content.decode()
    rows = read_rows(client.get("/index/assessments.csv"))
    identity = next(
        row for row in rows if row["case"] == "douyin-xunren" and row["indicator"] == "own-identity"
    )
    assert identity["level"] == "2" and identity["evidence_en"] == confirmed.evidence_en
    for path in ["/index/", "/companies/bytedance/", "/compare/?company=bytedance&company=alibaba"]:
        assert proposal.evidence_en not in client.get(path).content.decode()


def test_the_case_page_shows_its_scorecard_with_evidence(client, casebook):
    html = client.get("/cases/douyin-xunren/").content.decode()
    section = html.split('id="scorecard"')[1].split("</section>\n\n")[0]
    assert "社会价值影响力指数" in html
    for words in ["明确的社会责任宣示", "项目存续期", "邮箱回复", "未评估", "由数据推导", "2/2"]:
        assert words in section, words
    english = client.get("/en/cases/douyin-xunren/").content.decode()
    assert "Needs a reply to an enquiry, which no document reports." in english


def test_the_company_page_summarises_its_cases(client, casebook):
    response = client.get("/companies/alibaba/")
    cards = response.context["scorecards"]
    assert {card.case.slug for card in cards} == {
        "alibaba-rural-envoys",
        "amap-wheelchair-navigation",
    }
    summary = response.context["summary"]
    assert len(summary.ranked_cases) == 2
    assert summary.index == pytest.approx(sum(card.index for card in cards) / 2)
    for slug, score in summary.dimensions.items():
        assert score == pytest.approx(sum(card.score_of(slug) for card in cards) / 2)
    html = response.content.decode()
    assert "参与排名案例的平均值" in html and 'id="scorecards-title"' in html


@pytest.mark.parametrize(
    "companies",
    [
        ["bytedance", "alibaba"],
        ["tencent", "alibaba", "meituan"],
        ["bytedance", "alibaba", "tencent", "meituan", "douyin-group", "amap"],
    ],
)
def test_compare_puts_the_scorecards_side_by_side(client, casebook, companies):
    response = client.get("/compare/", {"company": companies})
    rows = response.context["index_rows"]
    assert len(rows) == 4 + 14
    assert all(len(row.cells) == len(companies) for row in rows)
    # Every company has values to compare, not just a row of empty cells.
    for position, company in enumerate(companies):
        levels = [row.cells[position] for row in rows if not row.is_dimension]
        assert sum(level is not None for level in levels) >= 9, company
    html = response.content.decode()
    assert 'id="chart-compare-index-data"' not in html
    assert 'id="compare-index-data"' in html
    assert "维度与指标" in html


def test_the_ranking_chart_draws_the_best_cases_and_says_how_many_are_ranked():
    from cases import index_charts

    rows = [(f"案例{n}", {"mission": 50.0}, 90.0 - n) for n in range(3)]
    dimensions = [("使命", "mission")]
    bounded = index_charts.ranking(rows, dimensions, {}, "zh-hans", ranked_count=120)
    whole = index_charts.ranking(rows, dimensions, {}, "zh-hans")
    assert bounded["summary"] == "120个案例参与排名，图中为前3个；指数最高的是案例0，为90.0。"
    assert whole["summary"].startswith("3个案例参与排名；")


@pytest.mark.parametrize("weights", [{}, {"mission": 3, "finance": 0, "communication": 0.5}])
def test_standings_rank_every_case_as_its_full_scorecard_does(casebook, weights):
    from cases import scores
    from cases.models import Project

    structure = scores.framework()
    rows = scores.standings(Project.objects.published(), weights, structure)
    cards = scores.scorecards(scores.cases_with_scorecards(), weights, structure)
    assert [row.case_id for row in rows] == [card.case.pk for card in cards]
    assert any(row.ranked for row in rows) and any(not row.ranked for row in rows)
    for row, card in zip(rows, cards, strict=True):
        assert (row.coverage, row.ranked) == (card.coverage, card.ranked)
        assert row.scores == pytest.approx(card.scores)
        assert row.index == pytest.approx(card.index)


def test_the_index_page_builds_full_scorecards_only_for_what_it_names(
    client, casebook, monkeypatch
):
    from cases import scores
    from cases.chart_data import RANKING_BARS
    from cases.views import INDEX_PAGE_SIZE, UNRANKED_SHOWN

    built = []
    original = scores.scorecards_of

    def counting(rows, *args, **kwargs):
        built.append(len(rows))
        return original(rows, *args, **kwargs)

    monkeypatch.setattr(scores, "scorecards_of", counting)
    response = client.get("/index/")
    assert response.status_code == 200
    # The page's rows and the chart's (the same cases here); the unranked are only named.
    assert built == [len(response.context["ranked"]) * 2]
    assert built[0] <= INDEX_PAGE_SIZE + RANKING_BARS
    assert len(response.context["unranked"]) <= UNRANKED_SHOWN
    assert all(card.dimensions and card.case.company for card in response.context["ranked"])
