"""/issues/ and an issue's page: goals, cases and the companies active in it."""

import pytest
from django.urls import reverse

from cases.models import Project, SocialIssue

pytestmark = pytest.mark.django_db


def test_lists_every_issue_with_its_goals_and_case_count(client, casebook):
    response = client.get(reverse("cases:issue_list"))
    issues = {issue.slug: issue for issue in response.context["issues"]}
    assert set(issues) == set(SocialIssue.objects.values_list("slug", flat=True))
    assert issues["social-assistance"].case_count == (
        Project.objects.published().filter(issues__slug="social-assistance").count()
    )
    html = response.content.decode()
    assert "无贫穷" in html and reverse("cases:issue", args=["social-assistance"]) in html


def test_issue_page_lists_its_published_cases_and_companies(client, casebook):
    response = client.get(reverse("cases:issue", args=["social-assistance"]))
    cases = response.context["cases"]
    assert "douyin-xunren" in {case.slug for case in cases}
    assert all(case.status == "published" for case in cases)
    companies = dict(response.context["companies"])
    assert {company.slug for company in companies} >= {"bytedance"}
    assert sum(companies.values()) == len(cases)
    html = response.content.decode()
    assert "抖音寻人" in html and "字节跳动" in html


def test_issue_page_links_broader_and_narrower_issues(client, casebook):
    html = client.get(reverse("cases:issue", args=["accessible-society"])).content.decode()
    assert reverse("cases:issue", args=["accessible-mobility"]) in html
    html = client.get(reverse("cases:issue", args=["accessible-mobility"])).content.decode()
    assert reverse("cases:issue", args=["accessible-society"]) in html


def test_unknown_issue_is_not_found(client, casebook):
    assert client.get("/issues/no-such-issue/").status_code == 404
