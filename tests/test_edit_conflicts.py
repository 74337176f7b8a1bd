"""Two editors on one record: the second save is refused with a reason, never a silent
overwrite of the first."""

import pytest
from django.urls import reverse
from django.utils import translation

from cases.models import Metric, Project
from tests.admin_pages import csrf_client, open_form, post_form
from tests.conftest import staff_member

pytestmark = pytest.mark.usefixtures("casebook", "db")


def change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def inline_prefix(data, figure):
    """The form prefix of `figure`'s row in the case page's inline figures."""
    for name, value in data.items():
        if name.startswith("metrics-") and name.endswith("-id") and value == str(figure.pk):
            return name.removesuffix("-id")
    raise AssertionError(f"{figure.slug} is not on the case page")


@pytest.fixture
def case(db):
    return Project.objects.get(slug="douyin-xunren")


@pytest.fixture
def figure(case):
    return case.metrics.order_by("slug").first()


@pytest.fixture
def li(db):
    """Li, a second editor."""
    return staff_member("li", "editors")


def test_second_save_of_a_case_is_refused_and_the_first_kept(case, editor, li):
    mei, other = csrf_client(editor), csrf_client(li)
    url = change_url(case)
    mei_form, li_form = open_form(mei, url), open_form(other, url)

    assert post_form(mei, url, mei_form, summary_en="Mei's summary").status_code == 302
    refused = post_form(other, url, li_form, summary_en="Li's summary")

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "重新加载" in page and "mei" in page
    assert refused.context["adminform"].form.errors.as_data()["__all__"][0].code == "edit_conflict"
    case.refresh_from_db()
    assert case.summary_en == "Mei's summary"


def test_conflict_message_is_in_english_on_english_admin(case, editor, li):
    mei, other = csrf_client(editor), csrf_client(li)
    with translation.override("en"):
        url = change_url(case)
    assert url.startswith("/en/")
    li_form = open_form(other, url)
    post_form(mei, url, open_form(mei, url), summary_en="Mei's summary")

    page = post_form(other, url, li_form, summary_en="Li's").content.decode()

    assert "Reload the page" in page
    assert "mei" in page


def test_saving_again_after_reloading_works(case, editor, li):
    mei, other = csrf_client(editor), csrf_client(li)
    url = change_url(case)
    li_form = open_form(other, url)
    post_form(mei, url, open_form(mei, url), summary_en="Mei's summary")
    assert post_form(other, url, li_form, summary_en="Li's").status_code == 200

    reloaded = open_form(other, url)
    assert post_form(other, url, reloaded, summary_en="Li's summary").status_code == 302
    case.refresh_from_db()
    assert case.summary_en == "Li's summary"


def test_one_editor_saving_twice_in_a_row_is_not_a_conflict(case, editor):
    mei = csrf_client(editor)
    url = change_url(case)
    post_form(mei, url, open_form(mei, url), summary_en="First")
    assert post_form(mei, url, open_form(mei, url), summary_en="Second").status_code == 302
    case.refresh_from_db()
    assert case.summary_en == "Second"


def test_figure_changed_elsewhere_is_not_overwritten_from_the_case_page(case, figure, editor, li):
    mei, other = csrf_client(editor), csrf_client(li)
    case_form = open_form(mei, change_url(case))
    figure_url = change_url(figure)
    assert (
        post_form(other, figure_url, open_form(other, figure_url), locator="p. 99").status_code
        == 302
    )

    prefix = inline_prefix(case_form, figure)
    refused = post_form(mei, change_url(case), case_form, **{f"{prefix}-locator": "p. 1"})

    assert refused.status_code == 200
    assert "重新加载" in refused.content.decode()
    figure.refresh_from_db()
    assert figure.locator == "p. 99"


def test_case_page_opened_before_a_figure_changed_elsewhere_cannot_save(case, figure, editor, li):
    """The stale row would be written back over Li's figure, so the whole save is refused,
    even though Mei only edited the case's own text."""
    mei, other = csrf_client(editor), csrf_client(li)
    case_form = open_form(mei, change_url(case))
    figure_url = change_url(figure)
    post_form(other, figure_url, open_form(other, figure_url), locator="p. 99")

    refused = post_form(mei, change_url(case), case_form, note_en="Checked by Mei")

    assert refused.status_code == 200
    figure.refresh_from_db()
    assert figure.locator == "p. 99"
    assert Project.objects.get(pk=case.pk).note_en != "Checked by Mei"


def test_figure_deleted_elsewhere_is_reported_not_recreated(case, figure, editor):
    mei = csrf_client(editor)
    case_form = open_form(mei, change_url(case))
    prefix = inline_prefix(case_form, figure)
    Metric.objects.filter(pk=figure.pk).delete()

    response = post_form(mei, change_url(case), case_form, **{f"{prefix}-locator": "p. 1"})

    assert response.status_code == 200
    assert not Metric.objects.filter(slug=figure.slug).exists()


def test_form_without_its_version_is_refused(case, editor):
    mei = csrf_client(editor)
    url = change_url(case)
    data = open_form(mei, url)
    del data["opened_version"]

    response = post_form(mei, url, data, summary_en="No version")

    assert response.status_code == 200
    case.refresh_from_db()
    assert case.summary_en != "No version"


def test_revert_is_refused_when_the_record_changed_after_the_revert_page_opened(figure, editor, li):
    mei, other = csrf_client(editor), csrf_client(li)
    figure_url = change_url(figure)
    post_form(mei, figure_url, open_form(mei, figure_url), locator="p. 7")
    oldest = figure.history.order_by("history_date").first()
    revert_url = reverse("admin:cases_metric_simple_history", args=[figure.pk, oldest.history_id])
    revert_form = open_form(mei, revert_url)
    post_form(other, figure_url, open_form(other, figure_url), locator="p. 8")

    refused = post_form(mei, revert_url, revert_form)

    assert refused.status_code == 200
    figure.refresh_from_db()
    assert figure.locator == "p. 8"
