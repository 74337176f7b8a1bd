"""The home page: what the casebook is, its headline counts, issues and recent cases."""

import pytest
from django.urls import reverse

from cases.models import Company, Metric, Project

pytestmark = pytest.mark.django_db


def test_shows_headline_counts(client, casebook):
    response = client.get(reverse("cases:home"))
    counts = response.context["counts"]
    assert counts["cases"] == Project.objects.published().count()
    assert counts["figures"] == Metric.objects.public().count()
    assert counts["figures"] < Metric.objects.count(), "figures of draft cases are not counted"
    assert counts["companies"] <= counts["cases"]
    html = response.content.decode()
    assert f'<span class="stat-number">{counts["cases"]}</span>' in html


def test_companies_count_a_group_once(client, casebook):
    counts = client.get(reverse("cases:home")).context["counts"]
    leads = {
        (case.company.parent or case.company).slug
        for case in Project.objects.published().select_related("company__parent")
    }
    assert counts["companies"] == len(leads)


def test_issues_are_entry_points_with_case_counts(client, casebook):
    response = client.get(reverse("cases:home"))
    issues = {issue.slug: issue.case_count for issue in response.context["issues"]}
    assert issues["social-assistance"] == (
        Project.objects.published().filter(issues__slug="social-assistance").count()
    )
    assert all(count > 0 for count in issues.values())
    assert f"{reverse('cases:case_list')}?issue=social-assistance" in response.content.decode()


def test_lists_recently_updated_published_cases(client, casebook):
    recent = list(client.get(reverse("cases:home")).context["recent_cases"])
    assert 0 < len(recent) <= 6
    assert all(case.status == "published" for case in recent)
    assert [case.updated_at for case in recent] == sorted(
        (case.updated_at for case in recent), reverse=True
    )


def test_is_chinese_by_default_and_english_under_en(client, casebook):
    chinese = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert '<html lang="zh-hans">' in chinese and "按社会议题浏览" in chinese
    assert '<html lang="en">' in english and "Browse by social issue" in english


def test_draws_issue_launch_coverage_and_industry_charts(client, casebook):
    response = client.get(reverse("cases:home"))
    charts = response.context["charts"]
    issue_counts = dict(
        zip(*[charts["cases_per_issue"]["data"][0][axis] for axis in "yx"], strict=True)
    )
    published = Project.objects.published()
    assert issue_counts["医疗健康"] == published.filter(issues__slug="health-care").count()
    launches = charts["launches"]["data"][0]
    assert sum(launches["y"]) == published.count()
    assert launches["x"][-1] == "日期不详"
    assert launches["y"][-1] == published.filter(launched_on=None).count() > 0
    grid = charts["coverage"]["data"][0]
    assert grid["y"]
    for company_name, issue_name, count in zip(
        grid["y"], grid["customdata"], grid["marker"]["color"], strict=True
    ):
        company = Company.objects.get(name_zh=company_name)
        assert count == published.led_by([company]).filter(issues__name_zh=issue_name).count()
    context_titles = [trace["name"] for trace in charts["context"]["data"]]
    assert "互联网行业社会责任平均得分" in context_titles
    html = response.content.decode()
    for key in [
        "cases-per-issue",
        "launches-per-year",
        "company-issue-coverage",
        "industry-context",
    ]:
        assert f'id="{key}-data"' in html
    assert "vendor/plotly/plotly-basic.min.js" in html
    assert "js/charts.js" in html


def test_industry_context_only_joins_figures_measured_the_same_way(client, casebook):
    charts = client.get(reverse("cases:home")).context["charts"]
    for trace in charts["context"]["data"]:
        assert len(trace["x"]) >= 2
    # Three "population" figures measure different populations: they are not a line.
    assert not any("人口" in trace["name"] for trace in charts["context"]["data"])
