"""A company leading many cases: its page lists them a page at a time, shows its first
figures and charts them all, bounded, while its summaries count every case. (Its own module:
the curated casebook other company tests load has a ByteDance of its own.)"""

import datetime

import pytest
from django.urls import reverse

from cases import scores
from cases.chart_data import CHARTED_OWNERS
from cases.models import Company, Metric, Project
from cases.models.index import scorecard_prefetch
from cases.views import COMPANY_FIGURES_SHOWN, PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_company_page_lists_its_cases_a_page_at_a_time_and_sums_up_all_of_them(client, many_cases):
    many_cases(45)
    response = client.get(reverse("cases:company", args=["bytedance"]))
    page = response.context["page"]
    assert page.paginator.count == 45 and len(response.context["cases"]) == PAGE_SIZE
    assert [card.case for card in response.context["scorecards"]] != []
    assert {card.case.pk for card in response.context["scorecards"]} == {
        case.pk for case in response.context["cases"]
    }
    # The mean line counts every case, not only this page's, and agrees with the scorecards.
    every = scores.scorecards(
        Project.objects.published()
        .led_by(Company.objects.filter(slug="bytedance"))
        .prefetch_related(scorecard_prefetch())
    )
    ranked = [card for card in every if card.ranked]
    summary = response.context["summary"]
    assert len(summary.cards) == 45 and len(summary.ranked_cases) == len(ranked)
    if ranked:
        assert summary.index == pytest.approx(sum(card.index for card in ranked) / len(ranked))
        for slug, score in summary.dimensions.items():
            mean = sum(card.score_of(slug) for card in ranked) / len(ranked)
            assert score == pytest.approx(mean)
    levels = {}
    for card in every:
        for dimension in card.dimensions:
            for indicator, assessment in dimension.cells:
                if assessment is not None and assessment.level is not None:
                    levels.setdefault(indicator.pk, []).append(assessment.level)
    assert summary.indicators == {pk: (sum(v) / len(v), len(v)) for pk, v in levels.items()}
    assert summary.indicators
    html = response.content.decode()
    assert "page=2" in html and "45" in html
    last = client.get(reverse("cases:company", args=["bytedance"]), {"page": "3"})
    assert len(last.context["cases"]) == 45 - 2 * PAGE_SIZE
    far = client.get(reverse("cases:company", args=["bytedance"]), {"page": "99"})
    assert far.status_code == 200 and far.context["page"].number == 3
    assert far.context["page_message"]


def test_company_page_shows_its_first_figures_and_links_to_all_in_the_explorer(client, many_cases):
    many_cases(45)
    response = client.get(reverse("cases:company", args=["bytedance"]))
    figures = response.context["figures"]
    owned = Metric.objects.public().owned_by(Company.objects.filter(slug="bytedance"))
    assert len(figures) == COMPANY_FIGURES_SHOWN < response.context["figure_count"]
    assert response.context["figure_count"] == owned.count()
    html = response.content.decode()
    assert f"{reverse('cases:metrics')}?company=bytedance" in html
    assert str(owned.count()) in html
    english = client.get(reverse("cases:company", args=["bytedance"]), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200


def test_company_chart_stacks_the_cases_with_most_figures_and_the_rest_as_one_bar(
    client, many_cases
):
    many_cases(45)
    response = client.get("/en" + reverse("cases:company", args=["bytedance"]))
    chart = response.context["chart"]
    names = [trace["name"] for trace in chart["data"]]
    assert len(names) == CHARTED_OWNERS + 1
    others = 45 - CHARTED_OWNERS
    assert f"{others} other cases" in names[-1]
    total = sum(sum(trace["x"]) for trace in chart["data"])
    assert total == response.context["figure_count"]


def compared_row(response, indicator):
    rows = [row for category in response.context["categories"] for row in category.rows]
    return next(row for row in rows if row.indicator.slug == indicator)


def test_compare_shows_each_company_s_newest_figures_and_counts_them_all(client, many_cases):
    from cases.compare import CELL_FIGURES

    many_cases(45)
    response = client.get(reverse("cases:compare"), {"company": ["bytedance", "douyin-group"]})
    group, douyin = response.context["columns"]
    reported = Metric.objects.public().owned_by(Company.objects.filter(slug="bytedance"))
    assert group.figure_count == reported.count() > CELL_FIGURES
    row = compared_row(response, "people-reunited")
    cell = row.cells[0]
    assert cell.count == reported.filter(indicator__slug="people-reunited").count()
    assert len(cell.figures) == CELL_FIGURES and cell.more == cell.count - CELL_FIGURES
    newest = reported.filter(indicator__slug="people-reunited").order_by("-as_of", "slug")
    assert [figure.slug for figure, _issues in cell.figures] == [
        figure.slug for figure in newest[:CELL_FIGURES]
    ]
    html = response.content.decode()
    assert "?company=bytedance&amp;indicator=people-reunited" in html
    assert f"<td>{group.figure_count}</td>" in html


def test_compare_draws_at_most_its_bound_of_charts_and_says_why_not_more(
    client, many_cases, monkeypatch
):
    from cases import compare

    many_cases(5)
    # Running totals at one date, as 抖音寻人's is, so that both columns' figures may share
    # a chart.
    Metric.objects.filter(indicator__slug="people-reunited").update(
        cumulative=True, as_of=datetime.date(2023, 12, 31), as_of_precision="year"
    )
    params = {"company": ["bytedance", "douyin-group"], "view": "all-issues"}
    drawn = client.get(reverse("cases:compare"), params)
    assert drawn.context["has_charts"]
    monkeypatch.setattr(compare, "MAX_CHARTS", 0)
    bounded = client.get("/en" + reverse("cases:compare"), params)
    assert not bounded.context["has_charts"]
    row = compared_row(bounded, "people-reunited")
    assert any("at most 0 charts" in problem for c in row.comparisons for problem in c.problems)
    assert "This page draws at most 0 charts" in bounded.content.decode()


def test_every_bar_of_a_company_chart_has_its_own_colour(client, many_cases):
    many_cases(45)
    chart = client.get(reverse("cases:company", args=["bytedance"])).context["chart"]
    colours = [trace["marker"]["color"] for trace in chart["data"]]
    assert len(colours) == len(set(colours)) > 1
