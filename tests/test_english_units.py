"""English pages name units, what a 个 counted and where a figure was found in English."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import Assessment, IndexIndicator, Indicator, Metric, Milestone, Unit

CHINESE = re.compile(r"[\u3400-\u9fff]")


def test_every_unit_a_figure_uses_has_an_english_word(curated_data, db):
    """Fails for any unit (or indicator's own unit word) the fixtures use without English."""
    missing = []
    for indicator in Indicator.objects.filter(metrics__isnull=False).distinct():
        unit = indicator.display_unit
        for word in (unit.name_en, unit.name_en_singular):
            if not word or CHINESE.search(word):
                missing.append(f"{indicator.slug}: {unit.symbol} → {word!r}")
    assert not missing


def test_ge_is_never_read_as_units(curated_data, db):
    """个 says nothing of what was counted: each indicator names it (families, classes …)."""
    with translation.override("en"):
        for figure in Metric.objects.filter(unit__symbol="个").select_related("indicator__unit"):
            assert figure.indicator.unit_name_en, figure.indicator.slug
            assert not re.search(r"\bunits?\b", figure.figure_display), figure.figure_display
    classes = Metric.objects.get(slug="alibaba-rural-envoys-taobao-classes-2023")
    with translation.override("en"):
        assert classes.figure_display == "more than 1,200 classes"


def test_subscriber_accounts_are_not_households(curated_data, db):
    five_g = Metric.objects.get(slug="industry-5g-users-2022-07")
    carers = Metric.objects.get(slug="tencent-silver-guardian-invisible-carer-households-2022")
    with translation.override("en"):
        assert five_g.figure_display == "475 million subscriber accounts"
        assert carers.figure_display == "more than 1,000 households"
    with translation.override("zh-hans"):
        assert five_g.figure_display == "4.75亿户"


def test_exact_values_of_the_brief(curated_data, db):
    reunited = Metric.objects.get(slug="douyin-xunren-people-reunited-2024-06-13")
    sales = Metric.objects.get(slug="alibaba-rural-envoys-county-sales-2023")
    with translation.override("zh-hans"):
        assert (reunited.figure_display, reunited.figure_approximate) == ("22,859人", "约2.3万人")
        assert sales.figure_display == "1403亿元"
    with translation.override("en"):
        assert (reunited.figure_display, reunited.figure_approximate) == ("22,859 people", "")
        assert sales.figure_display == "140.3 billion yuan"


def test_no_english_figure_has_a_chinese_character(curated_data, db):
    with translation.override("en"):
        for figure in Metric.objects.select_related("unit", "indicator__unit"):
            assert not CHINESE.search(figure.figure_display), figure.slug


def test_an_indicator_counted_in_ge_must_name_what_it_counts(db):
    ge, _created = Unit.objects.get_or_create(
        symbol="个", defaults={"name_zh": "个", "name_en": "units", "kind": "count"}
    )
    indicator = Indicator(
        slug="villages", name_zh="村庄数", name_en="Villages", category="geography", unit=ge
    )
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert refused.value.error_dict["unit_name_en"][0].code == "classifier_needs_english_name"
    indicator.unit_name_en, indicator.unit_name_en_singular = "villages", "village"
    indicator.full_clean()


@pytest.mark.parametrize("model", [Metric, Milestone, Assessment, IndexIndicator])
def test_every_locator_has_an_english_form(curated_data, db, model):
    records = model.objects.exclude(locator="")
    assert records.exists()
    for record in records:
        assert record.locator_en and not CHINESE.search(record.locator_en), record.locator
        with translation.override("en"):
            assert record.locator_display == record.locator_en
        with translation.override("zh-hans"):
            assert record.locator_display == record.locator


def test_english_pages_show_english_units_and_locators(client, curated_data, db):
    explorer = client.get("/en/metrics/").content.decode()
    assert "People benefiting (people)" in explorer
    assert "(人)" not in explorer and "(个)" not in explorer
    case = client.get("/en/cases/douyin-xunren/").content.decode()
    assert "22,859 people" in case
    assert "Part 3 (2) Social assistance: Douyin Missing Person Alerts" in case
    assert "第三部分" not in case.split("<main", 1)[1].split("<q", 1)[0]
