"""The home page: what the casebook is, its headline counts, issues and recent cases."""

import pytest
from django.urls import reverse

from cases.models import Metric, Project

pytestmark = pytest.mark.django_db


def test_shows_headline_counts(client, dataset):
    response = client.get(reverse("cases:home"))
    counts = response.context["counts"]
    assert counts["cases"] == Project.objects.published().count()
    assert counts["figures"] == Metric.objects.public().count()
    assert counts["figures"] < Metric.objects.count(), "figures of draft cases are not counted"
    assert counts["companies"] <= counts["cases"]
    html = response.content.decode()
    assert f'<span class="stat-number">{counts["cases"]}</span>' in html


def test_companies_count_a_group_once(client, dataset):
    counts = client.get(reverse("cases:home")).context["counts"]
    leads = {
        (case.company.parent or case.company).slug
        for case in Project.objects.published().select_related("company__parent")
    }
    assert counts["companies"] == len(leads)


def test_issues_are_entry_points_with_case_counts(client, dataset):
    response = client.get(reverse("cases:home"))
    issues = {issue.slug: issue.case_count for issue in response.context["issues"]}
    assert issues["social-assistance"] == (
        Project.objects.published().filter(issues__slug="social-assistance").count()
    )
    assert all(count > 0 for count in issues.values())
    assert f"{reverse('cases:case_list')}?issue=social-assistance" in response.content.decode()


def test_lists_recently_updated_published_cases(client, dataset):
    recent = list(client.get(reverse("cases:home")).context["recent_cases"])
    assert 0 < len(recent) <= 6
    assert all(case.status == "published" for case in recent)
    assert [case.updated_at for case in recent] == sorted(
        (case.updated_at for case in recent), reverse=True
    )


def test_is_chinese_by_default_and_english_under_en(client, dataset):
    chinese = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert '<html lang="zh-hans">' in chinese and "按社会议题浏览" in chinese
    assert '<html lang="en">' in english and "Browse by social issue" in english
