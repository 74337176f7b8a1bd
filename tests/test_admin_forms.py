"""The admin's figure, milestone and case forms refuse what cannot be true, each rule with
its own error code and a message in the editor's language."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Metric, Milestone, Project
from tests.admin_pages import csrf_client, open_form, post_form

pytestmark = pytest.mark.usefixtures("casebook", "db")


def admin_form(model, data, instance=None):
    """The form the admin builds for `model`, bound to `data` as if posted by a superuser."""
    request = RequestFactory().post("/")
    request.user = get_user_model()(is_staff=True, is_superuser=True)
    form_class = admin.site._registry[model].get_form(request, instance)
    return form_class(data, instance=instance)


def posted(record, **changes):
    """`record`'s fields as its form would post them, with `changes`."""
    data = {
        key: value
        for key, value in model_to_dict(record).items()
        if value is not None and key != "id"
    }
    data.update(opened_version=record.version, **changes)
    return data


def error_codes(form):
    assert not form.is_valid()
    return {
        field: [error.code for error in errors] for field, errors in form.errors.as_data().items()
    }


@pytest.fixture
def figure(db):
    """抖音寻人's people reunited: 22,859人."""
    return Metric.objects.get(original_wording="22,859人")


@pytest.fixture
def case(db):
    return Project.objects.get(slug="douyin-xunren")


def test_unchanged_figure_is_valid(figure):
    form = admin_form(Metric, posted(figure), figure)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "field", ["source", "unit", "as_of", "original_wording", "locator", "value"]
)
def test_figure_needs_its_source_unit_date_and_wording(figure, field):
    data = posted(figure)
    data[field] = ""
    form = admin_form(Metric, data, figure)
    assert error_codes(form)[field] == ["required"]


def test_missing_source_message_says_what_to_do(figure):
    form = admin_form(Metric, posted(figure, source=""), figure)
    form.is_valid()
    assert form.errors["source"] == ["选择此数据来源的文件。"]
    with translation.override("en"):
        form = admin_form(Metric, posted(figure, source=""), figure)
        form.is_valid()
        assert form.errors["source"] == ["Choose the document this figure comes from."]


def test_value_must_match_the_original_wording(figure):
    form = admin_form(Metric, posted(figure, value="22000"), figure)
    assert error_codes(form)["value"] == ["value_mismatch"]
    assert "22859" in form.errors["value"][0]


def test_wording_message_is_in_english_on_english_pages(figure):
    with translation.override("en"):
        form = admin_form(Metric, posted(figure, value="22000"), figure)
        form.is_valid()
        assert form.errors["value"] == [
            "The wording “22,859人” reads as 22859, but the value is 22000."
        ]


def test_qualifier_in_the_wording_must_be_recorded(figure):
    form = admin_form(Metric, posted(figure, original_wording="超22,859人"), figure)
    assert error_codes(form)["qualifier"] == ["qualifier_missing"]


def test_wording_without_a_number_is_refused(figure):
    form = admin_form(Metric, posted(figure, original_wording="很多人"), figure)
    assert error_codes(form)["original_wording"] == ["no_number"]


def test_as_of_cannot_be_in_the_future(figure):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = admin_form(Metric, posted(figure, as_of=tomorrow, as_of_precision="day"), figure)
    assert "as_of_in_future" in error_codes(form)["as_of"]


def test_range_high_cannot_be_below_low(figure):
    form = admin_form(
        Metric, posted(figure, value_high="100", original_wording="22,859-100人"), figure
    )
    assert "high_below_low" in error_codes(form)["value_high"]


def test_count_cannot_be_negative(figure):
    form = admin_form(Metric, posted(figure, value="-22859", original_wording="-22,859人"), figure)
    assert "negative_count" in error_codes(form)["value"]


def test_huge_value_is_refused_not_crashed(figure):
    form = admin_form(Metric, posted(figure, value="9" * 40), figure)
    assert "value" in error_codes(form)


def test_figure_slug_must_be_unique(figure):
    other = Metric.objects.exclude(pk=figure.pk).first()
    form = admin_form(Metric, posted(figure, slug=other.slug), figure)
    assert error_codes(form)["slug"] == ["unique"]


def test_milestone_before_launch_year_needs_a_note(case):
    data = {
        "project": case.pk,
        "happened_on": "2012-05-01",
        "precision": "month",
        "text_zh": "创始团队开始关注走失儿童",
        "opened_version": "",
    }
    form = admin_form(Milestone, data)
    assert error_codes(form)["note_zh"] == ["milestone_before_launch"]
    assert "2012" in form.errors["note_zh"][0] and "2016" in form.errors["note_zh"][0]

    noted = admin_form(Milestone, {**data, "note_zh": "背景：项目缘起。"})
    assert noted.is_valid(), noted.errors


def test_milestone_in_or_after_launch_year_needs_no_note(case):
    form = admin_form(
        Milestone,
        {"project": case.pk, "happened_on": "2016-12-01", "precision": "month", "text_zh": "上线"},
    )
    assert form.is_valid(), form.errors


def test_case_slug_must_be_unique_and_ascii(case):
    other = Project.objects.exclude(pk=case.pk).first()
    assert error_codes(admin_form(Project, posted(case, slug=other.slug), case))["slug"] == [
        "unique"
    ]
    assert (
        "invalid" in error_codes(admin_form(Project, posted(case, slug="抖音-寻人"), case))["slug"]
    )


def test_published_case_needs_both_summaries(case):
    form = admin_form(Project, posted(case, summary_en=""), case)
    assert error_codes(form)["summary_en"] == ["required_to_publish"]


def test_editor_sees_the_wording_error_and_nothing_is_saved(editor, figure):
    client = csrf_client(editor)
    url = reverse("admin:cases_metric_change", args=[figure.pk])

    response = post_form(client, url, open_form(client, url), value="22000")

    assert response.status_code == 200
    assert "“22,859人”" in response.content.decode()
    figure.refresh_from_db()
    assert figure.value == Decimal("22859")


def test_hostile_text_is_stored_as_typed_and_shown_escaped(editor, case):
    client = csrf_client(editor)
    url = reverse("admin:cases_project_change", args=[case.pk])
    hostile = "<script>alert(\"x\")</script>=cmd|' /C calc'!A0"

    assert post_form(client, url, open_form(client, url), note_en=hostile).status_code == 302

    case.refresh_from_db()
    assert case.note_en == hostile
    page = client.get(url).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(" in page


def test_nul_character_is_refused_with_a_message(editor, case):
    client = csrf_client(editor)
    url = reverse("admin:cases_project_change", args=[case.pk])

    response = post_form(client, url, open_form(client, url), note_en="bad\x00note")

    assert response.status_code == 200
    case.refresh_from_db()
    assert "\x00" not in case.note_en
