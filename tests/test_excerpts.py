"""Words in templates: summaries shortened for cards and descriptions (cut between words,
never inside a word, a number or a number with its unit) and brackets as each language
writes them."""

import html as html_module

import pytest
from django.utils import translation

from cases.excerpts import excerpt


def test_a_text_that_fits_is_left_whole():
    assert excerpt("Douyin helps families find missing people.", 140) == (
        "Douyin helps families find missing people."
    )


def test_english_is_cut_between_words_with_an_ellipsis():
    text = "Douyin sends location-based alerts about missing people to nearby users."
    shortened = excerpt(text, 30)
    assert shortened == "Douyin sends location-based…"
    assert len(shortened) <= 30


@pytest.mark.parametrize("limit", range(22, 40))
def test_english_never_ends_on_a_number_that_has_lost_its_unit(limit):
    """ "announced 100…" would hide "100 billion yuan"."""
    text = "Alibaba announced 100 billion yuan for rural revitalisation over five years."
    shortened = excerpt(text, limit)
    assert len(shortened) <= limit
    kept = shortened.removesuffix("…")
    assert text.startswith(kept)
    assert not kept.rstrip().endswith(("100", "billion"))
    assert kept.endswith(("announced", "yuan", "for", "rural"))


def test_english_cut_leaves_no_dangling_comma():
    assert excerpt("Volunteers, doctors, teachers and engineers joined in.", 22) == (
        "Volunteers, doctors…"
    )


@pytest.mark.parametrize("limit", range(10, 30))
def test_chinese_never_splits_a_number_or_its_unit(limit):
    text = "阿里巴巴于2021年宣布投入100亿元助力乡村振兴，并在全国派驻乡村特派员"
    shortened = excerpt(text, limit)
    assert len(shortened) <= limit
    kept = shortened.removesuffix("…")
    assert text.startswith(kept)
    for figure in ("2021年", "100亿元"):
        start = text.find(figure)
        assert len(kept) <= start or len(kept) >= start + len(figure), (kept, figure)


def test_chinese_prefers_a_cut_after_punctuation():
    text = "抖音寻人累计帮助团圆22,859人，其中未成年人1711名，老人8275名，遍及全国各地"
    assert excerpt(text, 30) == "抖音寻人累计帮助团圆22,859人…"


def test_chinese_keeps_a_qualified_figure_whole():
    text = "云机房开设特色课程超过1.8万节，覆盖乡村学校"
    kept = excerpt(text, 13).removesuffix("…")
    assert kept in ("云机房开设特色课程超过", "云机房开设特色课程")


def test_a_latin_name_inside_chinese_is_not_split():
    kept = excerpt("腾讯WeMake数字工厂帮助制造企业转型升级", 8).removesuffix("…")
    assert kept == "腾讯"


def test_no_text_gives_an_empty_excerpt():
    assert excerpt(None, 10) == ""
    assert excerpt("", 10) == ""


def test_case_card_summary_uses_the_excerpt(client, casebook, db):
    """The card on /cases/ shows the summary cut at a boundary, not by truncatechars."""
    html = client.get("/en/cases/").content.decode()
    summaries = html.split('class="case-card-summary">')[1:]
    assert summaries
    for summary in summaries:
        text = html_module.unescape(summary.split("</p>")[0])
        assert len(text) <= 140
        if text.endswith("…"):
            assert not text[-2].isdigit()


def test_brackets_are_full_width_after_chinese_and_spaced_in_english():
    from cases.templatetags.words import in_brackets

    with translation.override("zh-hans"):
        assert "抖音集团" + in_brackets("字节跳动") == "抖音集团（字节跳动）"
        assert in_brackets(0) == "（0）"
    with translation.override("en"):
        assert "Douyin Group" + in_brackets("ByteDance") == "Douyin Group (ByteDance)"
    assert in_brackets("") == "" and in_brackets(None) == ""


def test_chinese_figure_details_use_full_width_brackets(client, casebook, db):
    html = client.get("/cases/douyin-xunren/").content.decode()
    assert "帮助团圆人数（覆盖人群）" in html
    assert " (覆盖人群)" not in html and "(文件原文" not in html
