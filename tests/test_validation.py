"""Model validation refuses figures and cases that cannot be true, with a code per rule."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from cases.models import Company, Indicator, Metric, Milestone, Partnership, Project, Unit


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return {
        field: [error.code for error in errors] for field, errors in caught.value.error_dict.items()
    }


def test_valid_figure_takes_its_company_from_the_case(metric_fields, douyin):
    figure = Metric(**metric_fields)
    figure.full_clean()
    assert figure.company == douyin


def test_rejects_negative_count(metric_fields):
    metric_fields["value"] = Decimal("-1")
    assert errors_of(Metric(**metric_fields))["value"] == ["negative_count"]


def test_allows_negative_value_that_is_not_a_count(metric_fields):
    change = Unit.objects.create(symbol="%", name_zh="%", name_en="per cent", kind="percent")
    growth = Indicator.objects.create(
        slug="growth-rate", name_zh="同比增长率", name_en="Growth", category="other", unit=change
    )
    metric_fields.update(value=Decimal("-3.5"), unit=change, indicator=growth)
    Metric(**metric_fields).full_clean()


def test_rejects_as_of_in_the_future(metric_fields):
    metric_fields["as_of"] = timezone.localdate() + datetime.timedelta(days=1)
    assert errors_of(Metric(**metric_fields))["as_of"] == ["as_of_in_future"]


def test_accepts_as_of_today(metric_fields):
    metric_fields.update(as_of=timezone.localdate(), as_of_precision="day")
    Metric(**metric_fields).full_clean()


def test_rejects_high_value_below_value(metric_fields):
    metric_fields["value_high"] = Decimal("100")
    assert "high_below_low" in errors_of(Metric(**metric_fields))["value_high"]


def test_database_refuses_high_value_below_value(metric):
    with pytest.raises(IntegrityError), transaction.atomic():
        Metric.objects.filter(pk=metric.pk).update(value_high=Decimal("1"))


def test_rejects_figure_with_neither_case_nor_company(metric_fields):
    metric_fields.pop("project")
    assert errors_of(Metric(**metric_fields))["project"] == ["owner_missing"]


def test_accepts_industry_wide_figure_without_owner(metric_fields):
    metric_fields.pop("project")
    figure = Metric(**metric_fields, industry_wide=True)
    figure.full_clean()
    figure.save()
    assert figure.company is None


def test_rejects_industry_wide_figure_with_a_company(metric_fields, douyin):
    metric_fields.pop("project")
    figure = Metric(**metric_fields, company=douyin, industry_wide=True)
    assert errors_of(figure)["industry_wide"] == ["industry_wide_with_owner"]


def test_database_refuses_figure_with_neither_owner_nor_industry_flag(metric):
    with pytest.raises(IntegrityError), transaction.atomic():
        Metric.objects.filter(pk=metric.pk).update(project=None, company=None)


def test_rejects_as_of_more_exact_than_its_precision(metric_fields):
    metric_fields.update(as_of=datetime.date(2023, 6, 30), as_of_precision="year")
    assert errors_of(Metric(**metric_fields))["as_of"] == ["precision_mismatch"]


def test_rejects_period_that_ends_before_it_starts(metric_fields):
    metric_fields.update(
        period_start=datetime.date(2023, 12, 31), period_end=datetime.date(2023, 1, 1)
    )
    assert "period_reversed" in errors_of(Metric(**metric_fields))["period_end"]


def test_rejects_value_too_large_to_store(metric_fields):
    metric_fields["value"] = Decimal("1e30")
    assert errors_of(Metric(**metric_fields))["value"] == ["max_digits"]


def test_rejects_non_ascii_slug(metric_fields):
    metric_fields["slug"] = "抖音-寻人"
    assert "invalid_slug" in errors_of(Metric(**metric_fields))["slug"]


def test_published_case_needs_both_summaries_but_not_a_launch_date(douyin):
    project = Project(
        slug="unfinished",
        name_zh="未完成",
        name_en="Unfinished",
        company=douyin,
        mechanism="other",
        status="published",
    )
    errors = errors_of(project)
    assert errors["summary_zh"] == ["required_to_publish"]
    assert errors["summary_en"] == ["required_to_publish"]
    assert "launched_on" not in errors


def test_a_saved_case_is_publishable_only_with_an_issue_and_a_source(xunren):
    """Issues and sources are saved after the case, so they are checked on the saved case."""
    assert xunren.launched_on and xunren.publishable_errors() == []
    xunren.launched_on, xunren.launched_precision = None, ""
    xunren.full_clean()
    assert xunren.publishable_errors() == []
    xunren.issues.clear()
    xunren.sources.clear()
    assert [str(message) for message in xunren.publishable_errors()] == [
        "发布的案例须至少有一个社会议题。",
        "发布的案例须至少有一个来源文件。",
    ]


def test_draft_case_may_be_unfinished(douyin):
    Project(
        slug="unfinished", name_zh="未完成", name_en="Unfinished", company=douyin, mechanism="other"
    ).full_clean()


def test_launch_date_needs_its_precision(xunren):
    xunren.launched_precision = ""
    assert "precision_missing" in errors_of(xunren)["launched_precision"]


def test_company_cannot_be_its_own_group(douyin):
    subsidiary = Company.objects.create(
        slug="toutiao", name_zh="今日头条", name_en="Toutiao", kind="internet", parent=douyin
    )
    douyin.parent = subsidiary
    assert errors_of(douyin)["parent"] == ["parent_cycle"]


def test_lead_company_is_not_its_own_partner(xunren, douyin):
    partnership = Partnership(project=xunren, company=douyin, role="other")
    assert errors_of(partnership)["company"] == ["partner_is_lead"]


def test_milestone_date_must_fit_its_precision(xunren):
    milestone = Milestone(
        project=xunren, happened_on=datetime.date(2016, 7, 15), precision="month", text_zh="签约"
    )
    assert errors_of(milestone)["happened_on"] == ["precision_mismatch"]


def test_reports_every_broken_rule_at_once(metric_fields):
    """An editor sees all problems in one save, not one after another."""
    metric_fields.update(
        value=Decimal("-1"), as_of=datetime.date(2023, 6, 30), as_of_precision="year"
    )
    errors = errors_of(Metric(**metric_fields))
    assert errors["value"] == ["negative_count"]
    assert errors["as_of"] == ["precision_mismatch"]


def part_of_reunited(metric_fields, metric, **changes):
    """A breakdown of `metric` (22,859 people reunited), with `changes` applied."""
    fields = {
        **metric_fields,
        "slug": "douyin-xunren-minors-reunited",
        "label_zh": "其中：未成年人",
        "value": Decimal("1711"),
        "original_wording": "1,711名",
        "part_of": metric,
    }
    return Metric(**{**fields, **changes})


def test_accepts_a_part_of_a_total(metric_fields, metric):
    part_of_reunited(metric_fields, metric).full_clean()


def test_rejects_a_part_larger_than_its_total(metric_fields, metric):
    part = part_of_reunited(metric_fields, metric, value=Decimal("30000"))
    assert errors_of(part)["part_of"] == ["part_exceeds_total"]


def test_rejects_a_part_with_another_as_of_than_its_total(metric_fields, metric):
    part = part_of_reunited(metric_fields, metric, as_of=datetime.date(2023, 12, 31))
    assert errors_of(part)["part_of"] == ["part_of_mismatch"]


def test_rejects_a_part_of_another_case(metric_fields, metric, douyin):
    other = Project.objects.create(
        slug="other-case", name_zh="另一个案例", name_en="Another case", company=douyin
    )
    part = part_of_reunited(metric_fields, metric, project=other)
    assert errors_of(part)["part_of"] == ["part_of_mismatch"]


def test_rejects_a_figure_that_is_part_of_itself(metric):
    metric.part_of = metric
    assert errors_of(metric)["part_of"] == ["part_of_self"]


def test_rejects_a_part_of_a_part(metric_fields, metric):
    minors = part_of_reunited(metric_fields, metric)
    minors.full_clean()
    minors.save()
    part = part_of_reunited(metric_fields, metric, slug="nested", part_of=minors)
    assert errors_of(part)["part_of"] == ["part_of_part"]


def test_a_total_with_parts_cannot_be_deleted(metric_fields, metric):
    part_of_reunited(metric_fields, metric).save()
    with pytest.raises(ProtectedError):
        metric.delete()


def test_rejects_making_a_total_with_parts_a_part(metric_fields, metric):
    part_of_reunited(metric_fields, metric).save()
    everyone = part_of_reunited(
        metric_fields, metric, slug="everyone", value=Decimal("30000"), part_of=None
    )
    everyone.save()
    metric.part_of = everyone
    assert errors_of(metric)["part_of"] == ["part_of_part"]
