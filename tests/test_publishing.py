"""Draft and published cases: bulk actions in the admin, drafts hidden from the public,
previewed by staff."""

import re

import pytest
from django.urls import reverse

from cases.models import Project
from tests.admin_pages import csrf_client, form_data, open_form, post_form

pytestmark = pytest.mark.usefixtures("casebook", "db")

CHANGELIST = "/admin/cases/project/"


@pytest.fixture
def case(db):
    return Project.objects.get(slug="douyin-xunren")


def run_action(client, action, cases):
    token = form_data(client.get(CHANGELIST))["csrfmiddlewaretoken"]
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [case.pk for case in cases],
            "csrfmiddlewaretoken": token,
        },
        follow=True,
    )


def test_unpublishing_hides_a_case_from_every_public_page(client, editor, case):
    link = case.get_absolute_url()
    # Where each page names the case: by its link, or in the CSV by its slug in the case column.
    pages = {
        "/cases/": link,
        "/cases/?q=寻人": link,
        "/issues/social-assistance/": link,
        "/companies/bytedance/": link,
        "/companies/douyin-group/": link,
        "/sources/csi-observation-report-2024/": link,
        "/metrics/figures.csv": f",{case.slug},",
        "/sitemap-cases.xml": link,
    }
    # getvalue(): the CSV is a streamed response, whose content is read by joining its parts.
    assert all(mark in client.get(path).getvalue().decode() for path, mark in pages.items())
    published_before = client.get("/").context["counts"]["cases"]

    response = run_action(csrf_client(editor), "unpublish", [case])

    assert "1 个案例现为“草稿”状态。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Project.Status.DRAFT
    assert case.history.first().history_user == editor
    assert client.get(case.get_absolute_url()).status_code == 404
    for path, mark in pages.items():
        page = client.get(path)
        assert page.status_code == 200, path
        assert mark not in page.getvalue().decode(), path
    home = client.get("/")
    assert home.context["counts"]["cases"] == published_before - 1
    assert link not in home.content.decode()


def test_publishing_brings_a_draft_back(client, editor, case):
    Project.objects.filter(pk=case.pk).update(status=Project.Status.DRAFT)

    run_action(csrf_client(editor), "publish", [case])

    case.refresh_from_db()
    assert case.status == Project.Status.PUBLISHED
    assert client.get(case.get_absolute_url()).status_code == 200


def test_publishing_refuses_a_draft_that_is_not_ready(editor, case):
    Project.objects.filter(pk=case.pk).update(status=Project.Status.DRAFT, summary_en="")

    response = run_action(csrf_client(editor), "publish", [case])

    case.refresh_from_db()
    assert case.status == Project.Status.DRAFT
    page = response.content.decode()
    assert "抖音寻人" in page
    assert "发布的案例须有英文概要" in page


def test_publish_actions_are_offered_to_editors_only(editor_client, viewer_client):
    editor_actions = editor_client.get(CHANGELIST).context["action_form"].fields["action"]
    assert {"publish", "unpublish"} <= {value for value, _ in editor_actions.choices}
    viewer_page = viewer_client.get(CHANGELIST)
    action_form = viewer_page.context.get("action_form")
    offered = {value for value, _ in action_form.fields["action"].choices} if action_form else set()
    assert not {"publish", "unpublish"} & offered


def test_staff_preview_a_draft_with_a_banner(editor_client, viewer_client, case):
    Project.objects.filter(pk=case.pk).update(status=Project.Status.DRAFT)

    for client in (editor_client, viewer_client):
        page = client.get(case.get_absolute_url())
        assert page.status_code == 200
        content = page.content.decode()
        assert "draft-notice" in content
        assert '<meta name="robots" content="noindex">' in content


def test_published_case_has_no_draft_banner(editor_client, case):
    content = editor_client.get(case.get_absolute_url()).content.decode()
    assert "draft-notice" not in content
    assert "noindex" not in content


def test_view_on_site_leads_to_the_public_page(editor_client, case):
    page = editor_client.get(reverse("admin:cases_project_change", args=[case.pk]))
    link = re.search(r'href="([^"]+)" class="viewsitelink"', page.content.decode())
    assert link, "no View on site link"
    target = editor_client.get(link.group(1))
    assert target.status_code == 302
    assert target["Location"].endswith(case.get_absolute_url())


def test_changelist_shows_company_issues_figures_status_and_last_edited(editor_client, case):
    page = editor_client.get(CHANGELIST, {"q": "抖音寻人"})
    content = page.content.decode()
    assert page.context["cl"].result_count == 1
    for column in [
        "column-company",
        "column-issue_names",
        "column-figure_count",
        "column-status",
        "column-updated_at",
    ]:
        assert column in content
    assert case.company.name_zh in content


@pytest.mark.parametrize(
    "filters",
    [
        {"status__exact": "published"},
        {"has_figures": "yes"},
        {"launched": "2016"},
        {"issues__id__exact": "1"},
    ],
)
def test_changelist_filters_answer(editor_client, filters):
    assert editor_client.get(CHANGELIST, filters).status_code == 200


def test_launch_year_and_figure_filters_narrow_the_list(editor_client, case):
    by_year = editor_client.get(CHANGELIST, {"launched": str(case.launched_on.year)})
    assert case in by_year.context["cl"].result_list
    without = editor_client.get(CHANGELIST, {"has_figures": "no"})
    assert case not in without.context["cl"].result_list
    assert all(not project.metrics.exists() for project in without.context["cl"].result_list)


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "2016\x00"])
def test_bad_launch_year_lists_no_case_rather_than_failing(editor_client, value):
    response = editor_client.get(CHANGELIST, {"launched": value})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_a_case_without_a_launch_date_is_published_by_the_action(client, editor, case):
    Project.objects.filter(pk=case.pk).update(
        status=Project.Status.DRAFT, launched_on=None, launched_precision=""
    )

    response = run_action(csrf_client(editor), "publish", [case])

    assert "1 个案例现为“已发布”状态。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Project.Status.PUBLISHED
    assert "出处文件未载明" in client.get(case.get_absolute_url()).content.decode()


def test_publishing_refuses_a_case_without_an_issue_or_a_source(editor, case):
    Project.objects.filter(pk=case.pk).update(status=Project.Status.DRAFT)
    case.issues.clear()
    case.sources.clear()

    response = run_action(csrf_client(editor), "publish", [case])

    case.refresh_from_db()
    assert case.status == Project.Status.DRAFT
    page = response.content.decode()
    assert "发布的案例须至少有一个社会议题。" in page
    assert "发布的案例须至少有一个来源文件。" in page


def test_the_case_form_refuses_to_publish_without_issues(editor, case):
    client = csrf_client(editor)
    url = reverse("admin:cases_project_change", args=[case.pk])
    data = open_form(client, url)

    response = post_form(client, url, data, issues=[], launched_on="", launched_precision="")

    assert response.status_code == 200
    assert "发布的案例须至少有一个社会议题。" in response.content.decode()
    case.refresh_from_db()
    assert case.issues.exists() and case.launched_on is not None


def test_the_case_form_publishes_without_a_launch_date(editor, case):
    client = csrf_client(editor)
    url = reverse("admin:cases_project_change", args=[case.pk])
    data = open_form(client, url)

    response = post_form(client, url, data, launched_on="", launched_precision="")

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.launched_on is None and case.status == Project.Status.PUBLISHED
