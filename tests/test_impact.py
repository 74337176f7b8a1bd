"""Derived index levels: each follows from the casebook's data, moves when the data move, and
its history says why; editors cannot type one in."""

import datetime
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from cases import impact
from cases.models import Assessment, Company, Indicator, Metric, Milestone, Partnership, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(xunren, index_framework):
    """抖音寻人 with no partner, milestone or figure yet, and its derived levels stored."""
    impact.refresh()
    return xunren


def level(case, indicator):
    return Assessment.objects.get(
        project=case, indicator__slug=indicator, derived=True, status="confirmed"
    ).level


def figure(case, indicator_slug, category, unit_symbol, value, kind="count", **fields):
    unit, _ = Unit.objects.get_or_create(
        symbol=unit_symbol, defaults={"name_zh": unit_symbol, "name_en": unit_symbol, "kind": kind}
    )
    indicator, _ = Indicator.objects.get_or_create(
        slug=indicator_slug,
        defaults={
            "name_zh": indicator_slug,
            "name_en": indicator_slug,
            "category": category,
            "unit": unit,
        },
    )
    return Metric.objects.create(
        slug=f"{case.slug}-{indicator_slug}-{value}",
        project=case,
        company=case.company,
        indicator=indicator,
        label_zh="数据",
        value=Decimal(value),
        unit=unit,
        as_of=fields.pop("as_of", datetime.date(2024, 6, 13)),
        as_of_precision="day",
        source=case.sources.get(),
        locator="p. 1",
        original_wording=f"{value}{unit_symbol}",
        **fields,
    )


def test_every_derived_indicator_is_stored_for_every_case(case):
    derived = Assessment.objects.filter(project=case, derived=True, status="confirmed")
    assert derived.count() == 9
    assert all(assessment.evidence_zh and assessment.evidence_en for assessment in derived)


def test_duration_follows_the_latest_dated_record(case):
    # Launched February 2016; with nothing dated after it, under a year.
    assert level(case, "duration") == 0
    Milestone.objects.create(
        project=case, happened_on=datetime.date(2017, 6, 1), precision="month", text_zh="扩展"
    )
    impact.refresh()
    assert level(case, "duration") == 1
    figure(case, "people-reunited", "people", "人", 22859)
    impact.refresh()
    assert level(case, "duration") == 2
    latest = Assessment.objects.get(project=case, indicator__slug="duration", derived=True)
    changes = [record.history_change_reason for record in latest.history.all()]
    assert changes[0].startswith("derived: From February 2016 to the latest dated record")
    assert len(changes) == 3  # created, then moved twice


def test_duration_is_not_assessed_without_any_date(case):
    case.launched_on, case.launched_precision = None, ""
    case.save()
    impact.refresh()
    assert level(case, "duration") is None


def test_collaboration_follows_the_partners_and_their_roles(case):
    assert level(case, "collaboration") == 0
    police = Company.objects.create(
        slug="police", name_zh="公安", name_en="Police", kind="government"
    )
    Partnership.objects.create(project=case, company=police, role="government")
    impact.refresh()
    assert level(case, "collaboration") == 1
    insurer = Company.objects.create(
        slug="insurer", name_zh="保险", name_en="Insurer", kind="insurer"
    )
    Partnership.objects.create(project=case, company=insurer, role="insurer", role_zh="提供保险")
    Partnership.objects.filter(company=police).update(role_zh="协助寻人")
    impact.refresh()
    assert level(case, "collaboration") == 2


def test_foundation_funding_needs_a_foundation_that_funds(case):
    assert level(case, "foundation-funding") == 0
    foundation = Company.objects.create(
        slug="fund", name_zh="基金会", name_en="Foundation", kind="ngo"
    )
    partnership = Partnership.objects.create(project=case, company=foundation, role="implementer")
    impact.refresh()
    assert level(case, "foundation-funding") == 1
    partnership.role = "funder"
    partnership.save()
    impact.refresh()
    assert level(case, "foundation-funding") == 2


def test_money_disclosure_follows_the_money_figures(case):
    assert level(case, "funding-disclosed") == 0
    assert level(case, "spending-disclosed") == 0
    raised = figure(case, "money-raised", "money", "元", 500000, kind="money")
    impact.refresh()
    assert level(case, "funding-disclosed") == 2
    assert level(case, "spending-disclosed") == 0
    figure(case, "money-spent", "money", "元", 300000, kind="money")
    impact.refresh()
    assert level(case, "spending-disclosed") == 1
    figure(case, "money-raised", "money", "元", 200000, kind="money", part_of=raised)
    impact.refresh()
    assert level(case, "spending-disclosed") == 2


def test_every_indicator_a_derivation_reads_is_a_curated_indicator():
    curated = {
        record["fields"]["slug"]
        for path in sorted((settings.BASE_DIR / "fixtures").glob("*.json"))
        for record in json.loads(path.read_text(encoding="utf-8"))
        if record["model"] == "cases.indicator"
    }
    read = set(impact.LEVEL_OF_COVERAGE) | impact.FUNDING_INDICATORS | impact.SPENDING_INDICATORS
    assert read <= curated, sorted(read - curated)


def test_reach_follows_the_coverage_figures(case):
    assert level(case, "regional-span") is None
    assert level(case, "coverage-levels") is None
    figure(case, "cities-covered", "geography", "城", 3)
    impact.refresh()
    assert level(case, "regional-span") == 1
    assert level(case, "coverage-levels") == 1
    figure(case, "provinces-covered", "geography", "省", 31)
    impact.refresh()
    assert level(case, "regional-span") == 2
    assert level(case, "coverage-levels") == 2


def test_business_fit_follows_the_mechanism(case):
    assert level(case, "business-fit") == 2  # built into the product
    for mechanism, expected in [("donation", 0), ("training", 1), ("platform", 2)]:
        case.mechanism = mechanism
        case.save()
        impact.refresh()
        assert level(case, "business-fit") == expected


def test_online_news_follows_the_sources(case, report):
    assert level(case, "web-news") == 1  # only the report
    news = type(report).objects.create(
        slug="news",
        title_zh="新闻",
        title_en="News",
        kind="news",
        published_on=datetime.date(2024, 1, 1),
        published_precision="day",
    )
    case.sources.add(news)
    impact.refresh()
    assert level(case, "web-news") == 2


def test_a_change_to_the_data_refreshes_the_levels_once_it_is_committed(
    case, django_capture_on_commit_callbacks, monkeypatch
):
    refreshed = []
    real_refresh = impact.refresh

    def counting_refresh(cases=None):
        refreshed.append(sorted(case.pk for case in cases))
        real_refresh(cases)

    monkeypatch.setattr(impact, "refresh", counting_refresh)
    police = Company.objects.create(
        slug="police", name_zh="公安", name_en="Police", kind="government"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Partnership.objects.create(project=case, company=police, role="government")
        Partnership.objects.create(
            project=case,
            company=Company.objects.create(slug="x", name_zh="甲", name_en="X", kind="ngo"),
            role="funder",
        )
    assert callbacks, "the refresh waits for the commit"
    assert refreshed == [[case.pk]], "one refresh per transaction, however many records changed"
    assert level(case, "collaboration") == 1
    assert level(case, "foundation-funding") == 2


def test_an_editor_cannot_type_in_a_derived_level(case):
    assessment = Assessment(
        project=case,
        indicator=Assessment._meta.get_field("indicator").related_model.objects.get(
            slug="duration"
        ),
        level=2,
        evidence_zh="猜的",
        evidence_en="A guess",
    )
    with pytest.raises(ValidationError) as caught:
        assessment.full_clean()
    assert "derived_indicator" in {e.code for e in caught.value.error_dict["indicator"]}
