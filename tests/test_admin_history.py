"""Every edit by a person is recorded — who, when, what changed — and can be reverted."""

import pytest
from django.urls import reverse

from cases.models import Metric, Project, SocialIssue
from tests.admin_pages import csrf_client, form_data, open_form, post_form

pytestmark = pytest.mark.usefixtures("casebook", "db")


@pytest.fixture
def figure(db):
    return Metric.objects.get(original_wording="22,859人")


def change_url(record):
    return reverse(f"admin:cases_{record._meta.model_name}_change", args=[record.pk])


def history_url(record):
    return reverse(f"admin:cases_{record._meta.model_name}_history", args=[record.pk])


def edit(client, record, **changes):
    url = change_url(record)
    response = post_form(client, url, open_form(client, url), **changes)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_loaded_records_start_with_one_history_row(figure):
    rows = list(figure.history.all())
    assert len(rows) == 1
    assert rows[0].history_change_reason == "loaded from fixtures"


def test_edit_is_recorded_with_who_and_what(editor, figure):
    old_locator = figure.locator
    edit(csrf_client(editor), figure, locator="第20页")

    latest = figure.history.first()
    assert latest.history_user == editor
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert [(change.field, change.old, change.new) for change in delta.changes] == [
        ("locator", old_locator, "第20页")
    ]


def test_history_page_shows_the_diff_and_the_editor(editor, figure):
    client = csrf_client(editor)
    old_locator = figure.locator
    edit(client, figure, locator="第20页")

    page = client.get(history_url(figure)).content.decode()

    assert "mei" in page
    assert old_locator in page and "第20页" in page
    assert "loaded from fixtures" in page


def test_history_page_speaks_english_under_en(editor, figure):
    client = csrf_client(editor)
    edit(client, figure, locator="p. 20")
    page = client.get("/en" + history_url(figure)).content.decode()
    assert "Changed by" in page


def test_revert_restores_the_old_version_and_is_recorded(editor, figure):
    client = csrf_client(editor)
    old_locator = figure.locator
    edit(client, figure, locator="wrong page")
    loaded = figure.history.order_by("history_date").first()
    revert_url = reverse("admin:cases_metric_simple_history", args=[figure.pk, loaded.history_id])
    page = client.get(revert_url)
    assert 'name="_save"' in page.content.decode()

    response = client.post(revert_url, form_data(page))

    assert response.status_code == 302
    figure.refresh_from_db()
    assert figure.locator == old_locator
    assert figure.history.count() == 3
    assert figure.history.first().history_user == editor


def test_case_edit_records_issue_changes(editor):
    case = Project.objects.get(slug="douyin-xunren")
    client = csrf_client(editor)
    url = change_url(case)
    data = open_form(client, url)
    issues = data["issues"] if isinstance(data["issues"], list) else [data["issues"]]

    added = str(SocialIssue.objects.get(slug="health-care").pk)
    assert added not in issues
    assert post_form(client, url, data, issues=[*issues, added]).status_code == 302

    latest = case.history.first()
    assert latest.history_user == editor
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert "issues" in changed


def test_inline_figure_edit_is_recorded_on_the_figure(editor):
    case = Project.objects.get(slug="douyin-xunren")
    client = csrf_client(editor)
    url = change_url(case)
    data = open_form(client, url)
    figure = case.metrics.order_by("slug").first()
    prefix = next(
        name.removesuffix("-id")
        for name, value in data.items()
        if name.startswith("metrics-") and name.endswith("-id") and value == str(figure.pk)
    )

    assert post_form(client, url, data, **{f"{prefix}-locator": "第21页"}).status_code == 302

    latest = figure.history.first()
    assert latest.history_user == editor
    assert latest.locator == "第21页"


def test_deletion_is_recorded_and_can_be_undone(editor):
    client = csrf_client(editor)
    figure = Metric.objects.filter(parts__isnull=True, part_of__isnull=True).first()
    delete_url = reverse("admin:cases_metric_delete", args=[figure.pk])
    token = form_data(client.get(delete_url))["csrfmiddlewaretoken"]
    assert client.post(delete_url, {"post": "yes", "csrfmiddlewaretoken": token}).status_code == 302
    assert not Metric.objects.filter(pk=figure.pk).exists()

    deleted = figure.history.first()
    assert deleted.history_type == "-"
    assert deleted.history_user == editor

    before = figure.history.exclude(history_type="-").first()
    revert_url = reverse("admin:cases_metric_simple_history", args=[figure.pk, before.history_id])
    page = client.get(revert_url)
    assert page.status_code == 200
    assert client.post(revert_url, form_data(page)).status_code == 302
    restored = Metric.objects.get(pk=figure.pk)
    assert restored.original_wording == figure.original_wording


def test_case_history_lists_changes_to_its_figures(editor):
    case = Project.objects.get(slug="douyin-xunren")
    client = csrf_client(editor)
    figure = case.metrics.order_by("slug").first()
    edit(client, figure, locator="第22页")

    page = client.get(history_url(case))

    section = page.content.decode().split('id="part-history"')[1]
    assert figure.label_zh in section
    assert "mei" in section
    assert reverse("admin:cases_metric_history", args=[figure.pk]) in section
