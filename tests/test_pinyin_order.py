"""Chinese names sort in pinyin order, from a key stored on every save (fixtures' raw saves
included), not in code-point order, which put quoted names such as “游戏+”模式 first."""

import importlib
import json

import pytest
from django.apps import apps
from django.core.management import call_command

from cases.models import Company, Project, SocialIssue
from cases.models.base import pinyin_sort_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("抖音寻人", "douyinxunren"),
        ("“游戏+”模式", "youximoshi"),
        ("“小修小补”便民修补小店地图", "xiaoxiuxiaobubianminxiubuxiaodianditu"),
        ("123轻松筹公益盛典", "123qingsongchougongyishengdian"),
        ("腾讯WeMake数字工厂", "tengxunwemakeshuzigongchang"),
        ("", ""),
    ],
)
def test_sort_key_is_toneless_pinyin_without_quotes_or_punctuation(name, key):
    assert pinyin_sort_key(name) == key


def test_sort_key_orders_names_as_a_chinese_reader_expects():
    names = ["乡村特派员", "“游戏+”模式", "阿里巴巴", "抖音寻人", "蚂蚁森林"]
    assert sorted(names, key=pinyin_sort_key) == [
        "阿里巴巴",
        "抖音寻人",
        "蚂蚁森林",
        "乡村特派员",
        "“游戏+”模式",
    ]


def test_saving_a_record_stores_its_sort_key(db):
    company = Company.objects.create(
        slug="meituan", name_zh="美团", name_en="Meituan", kind="internet"
    )
    assert Company.objects.get(pk=company.pk).name_sort == "meituan"
    company.name_zh = "“美团”"
    company.save()
    assert Company.objects.get(pk=company.pk).name_sort == "meituan"


def test_loading_a_fixture_raw_stores_the_sort_key(db, tmp_path):
    """loaddata saves raw, skipping save(); the key is still filled."""
    fixture = tmp_path / "issue.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "cases.socialissue",
                    "fields": {
                        "slug": "green-consumption",
                        "name_zh": "绿色消费",
                        "name_en": "Green",
                    },
                }
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    call_command("loaddata", str(fixture), verbosity=0)
    assert SocialIssue.objects.get(slug="green-consumption").name_sort == "lvsexiaofei"


def test_the_migration_fills_keys_of_existing_rows(casebook, db):
    Project.objects.update(name_sort="")
    migration = importlib.import_module("cases.migrations.0010_pinyin_sort_keys_english_locators")
    migration.fill_name_sort(apps, None)
    project = Project.objects.get(slug="douyin-xunren")
    assert project.name_sort == "douyinxunren"
    assert not Project.objects.filter(name_sort="").exists()


def test_curated_cases_are_loaded_with_their_sort_keys(curated_data, db):
    assert not Project.objects.filter(name_sort="").exists()
    assert not Company.objects.filter(name_sort="").exists()
    assert Project.objects.get(slug="boke-game-plus").name_sort == "youximoshi"


def _card_names(html):
    return [
        part.split(">", 1)[1].split("<", 1)[0]
        for part in html.split('class="case-card-title"><a href=')[1:]
    ]


def test_case_list_in_chinese_is_in_pinyin_order(client, curated_data, db):
    names = _card_names(client.get("/cases/?sort=name").content.decode())
    expected = sorted(
        Project.objects.published().values_list("name_zh", flat=True), key=pinyin_sort_key
    )
    assert names == expected[: len(names)]
    assert not names[2].startswith("“"), "quoted names no longer lead the list"


def test_case_list_in_english_stays_alphabetical(client, curated_data, db):
    names = _card_names(client.get("/en/cases/?sort=name").content.decode())
    assert names == sorted(names)


def test_companies_and_issues_order_by_pinyin_in_chinese(curated_data, db):
    for model in (Company, SocialIssue):
        keys = list(
            model.objects.in_name_order(language="zh-hans").values_list("name_sort", flat=True)
        )
        assert keys == sorted(keys)
        names = list(model.objects.in_name_order(language="en").values_list("name_en", flat=True))
        assert names == sorted(names)
