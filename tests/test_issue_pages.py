"""/issues/ and an issue's page: goals, cases and the companies active in it."""

import pytest
from django.urls import reverse

from cases.models import Project, SocialIssue

pytestmark = pytest.mark.django_db


def test_lists_every_issue_with_its_goals_and_case_count(client, casebook):
    response = client.get(reverse("cases:issue_list"))
    issues = {issue.slug: issue for issue in response.context["issues"]}
    apart = {issue.slug for issue in response.context["issues_without_cases"]}
    assert set(issues) | apart == set(SocialIssue.objects.values_list("slug", flat=True))
    assert issues["social-assistance"].case_count == (
        Project.objects.published().filter(issues__slug="social-assistance").count()
    )
    assert all(issue.case_count > 0 for issue in issues.values())
    html = response.content.decode()
    assert "无贫穷" in html and reverse("cases:issue", args=["social-assistance"]) in html


def test_issues_without_a_published_case_are_listed_apart_and_the_counts_agree(client, casebook):
    """The draft's only issue has no published case: it is listed apart, never as "0 cases",
    and the home page counts exactly the issues listed with cases."""
    without = {issue.slug for issue in client.get("/issues/").context["issues_without_cases"]}
    assert "rural-governance" in without
    page = client.get("/issues/").content.decode()
    assert "0 个案例" not in page
    listed = len(client.get("/issues/").context["issues"])
    assert client.get("/").context["counts"]["issues"] == listed


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


def test_an_issue_merged_into_another_leads_to_it_and_is_shown_as_also_called(client, casebook):
    response = client.get("/issues/elderly-society/")
    assert response.status_code == 301
    assert response["Location"] == "/issues/ageing-society/"
    assert client.get("/en/issues/elderly-society/")["Location"] == "/en/issues/ageing-society/"
    html = client.get("/issues/ageing-society/").content.decode()
    assert "又称" in html and "老年社会" in html
    assert "Older people" in client.get("/en/issues/ageing-society/").content.decode()


@pytest.mark.parametrize("name", ["老龄化社会", "老年社会", "older people"])
def test_a_merged_issue_is_found_by_either_name(client, casebook, name):
    found = {case.slug for case in client.get("/cases/", {"q": name}).context["page"]}
    assert "tencent-silver-guardian" in found


def test_an_old_link_filtering_by_a_merged_issue_still_filters(client, casebook):
    response = client.get("/cases/", {"issue": "elderly-society"})
    assert not response.context["filter"].errors
    by_merged = {case.slug for case in response.context["page"]}
    by_issue = {
        case.slug for case in client.get("/cases/", {"issue": "ageing-society"}).context["page"]
    }
    assert by_merged == by_issue and "tencent-silver-guardian" in by_merged
    chips = [chip.label for chip in response.context["chips"] if chip.name == "issue"]
    assert chips == ["老龄化社会"]


def test_an_issue_page_lists_its_cases_a_page_at_a_time(client, casebook):
    response = client.get(reverse("cases:issue", args=["social-assistance"]), {"page": "9"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.per_page == 20 and page.number == page.paginator.num_pages
    assert "没有第9页" in response.content.decode()
    assert len(response.context["cases"]) == page.paginator.count  # all on one page here
