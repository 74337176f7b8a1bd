"""Every model's text form and natural key, and the bilingual accessors."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from cases.models import (
    SDG,
    Company,
    Indicator,
    Metric,
    Milestone,
    Partnership,
    Project,
    SocialIssue,
    Source,
    Unit,
)
from cases.models.base import slug_url


@pytest.fixture
def ministry(db):
    return Company.objects.create(
        slug="mca-social-affairs",
        name_zh="民政部社会事务司",
        name_en="Department of Social Affairs, Ministry of Civil Affairs",
        kind="government",
    )


@pytest.fixture
def everything(metric, ministry, report):
    """One record of every model."""
    Partnership.objects.create(project=metric.project, company=ministry, role="government")
    Milestone.objects.create(
        project=metric.project,
        happened_on=datetime.date(2016, 7, 1),
        precision="month",
        text_zh="与民政部签署合作协议",
        text_en="Agreement signed with the ministry",
        source=report,
    )
    return metric


MODELS = [Unit, Company, SDG, SocialIssue, Project, Partnership, Milestone, Metric]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_natural_key_finds_the_same_record(everything, model):
    for record in model.objects.all():
        assert model.objects.get_by_natural_key(*record.natural_key()) == record


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_str_names_the_record(everything, model):
    for record in model.objects.all():
        assert str(record)
        assert "object (" not in str(record)


def test_str_forms_read_as_expected(everything):
    assert str(Company.objects.get(slug="douyin-group")) == "抖音集团 / Douyin Group"
    assert str(SDG.objects.get()) == "SDG 1: No Poverty"
    assert str(Unit.objects.get()) == "人 (people)"
    assert str(everything) == "抖音寻人: 累计帮助团圆人数 22,859人"
    assert str(Partnership.objects.get()).startswith("抖音寻人 — 民政部社会事务司")
    assert str(Milestone.objects.get()) == "抖音寻人 2016年7月: 与民政部签署合作协议"


def test_industry_wide_figure_is_named_as_such(metric_fields):
    metric_fields.pop("project")
    figure = Metric(**metric_fields, industry_wide=True)
    with translation.override("en"):
        assert str(figure) == "industry: 累计帮助团圆人数 22,859人"


CURATED = [f"cases.{model.__name__}" for model in [Unit, SDG, Company, SocialIssue, Source]] + [
    f"cases.{model.__name__}" for model in [Project, Partnership, Milestone, Indicator, Metric]
]


def test_dump_with_natural_keys_loads_back_identically(everything, tmp_path):
    """Dump with slugs instead of ids, empty every table, load: the same data comes back."""
    dump = tmp_path / "dump.json"

    def dumped():
        call_command(
            "dumpdata",
            *CURATED,
            natural_foreign=True,
            natural_primary=True,
            output=str(dump),
        )
        return json.loads(dump.read_text(encoding="utf-8"))

    before = dumped()
    for model in [Metric, Milestone, Partnership, Project, Indicator, Source, SocialIssue]:
        model.objects.all().delete()
    for model in [SDG, Company, Unit]:
        model.objects.all().delete()
    assert not Metric.objects.exists()

    call_command("loaddata", str(dump), verbosity=0)

    assert dumped() == before
    assert Metric.objects.get().project.partnerships.get().company.slug == "mca-social-affairs"


def test_english_name_falls_back_to_chinese_when_missing(douyin):
    douyin.name_en = ""
    with translation.override("en"):
        assert douyin.name == "抖音集团"
    douyin.name_en = "Douyin Group"
    with translation.override("en"):
        assert douyin.name == "Douyin Group"
    with translation.override("zh-hans"):
        assert douyin.name == "抖音集团"


def test_a_units_other_spellings_are_one_per_line_longest_first(people):
    people.aliases = "名\n\n  位 \n个人"
    assert people.spellings[0] == "个人"
    assert sorted(people.spellings) == sorted(["个人", "人", "名", "位"])


def test_published_queryset_leaves_out_drafts(xunren, douyin):
    Project.objects.create(
        slug="draft-case", name_zh="草稿", name_en="Draft", company=douyin, mechanism="other"
    )
    assert list(Project.objects.published()) == [xunren]


def test_metric_display_follows_language(metric):
    with translation.override("zh-hans"):
        assert metric.figure_display == "22,859人"
        assert metric.as_of_display == "2024年6月13日"
    with translation.override("en"):
        assert metric.figure_display == "22,859 people"
        assert metric.as_of_display == "13 June 2024"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", ["cases:case", "cases:company", "cases:figure", "cases:source"])
def test_a_records_address_is_the_one_django_reverses(name, language):
    """`slug_url` reverses each URL once and fills in the slug: the same address as
    `reverse` in either language and under a script prefix, and an error for a slug the URL
    cannot take."""
    with translation.override(language):
        for slug in ["douyin-xunren", "a_b-9", "x"]:
            assert slug_url(name, slug) == reverse(name, args=[slug])
        set_script_prefix("/casebook/")
        try:
            assert slug_url(name, "x") == reverse(name, args=["x"])
            assert slug_url(name, "x").startswith("/casebook/")
        finally:
            set_script_prefix("/")
        with pytest.raises(NoReverseMatch):
            slug_url(name, "not/a slug")


def test_a_choice_is_displayed_in_the_active_language():
    company = Company(kind=Company.Kind.NGO)
    with translation.override("en"):
        assert company.get_kind_display() == "NGO or foundation"
    with translation.override("zh-hans"):
        assert company.get_kind_display() == str(Company.Kind.NGO.label)
        assert company.get_kind_display() != "NGO or foundation"
    assert Company(kind="not-a-kind").get_kind_display() == "not-a-kind"
