"""Reading figures back out of their original wording (cases.wording)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from cases.wording import check_wording, chinese_number, read_wording

SPELLINGS = {
    "人": "人", "名": "人", "位": "人", "人次": "人次", "个": "个", "城": "城",
    "座城市": "城", "个城市": "城", "%": "%", "元": "元", "吨": "吨", "次": "次",
    "家": "家", "届": "届", "条": "条", "件": "件", "县": "县",
}  # fmt: skip


def unit(symbol):
    return SimpleNamespace(symbol=symbol)


@pytest.mark.parametrize(
    "wording, value, unit_symbol",
    [
        ("22,859人", "22859", "人"),
        ("约1.76万吨", "17600", "吨"),
        ("56.1万亿元", "56100000000000", "元"),
        ("2.64亿", "264000000", ""),
        ("1万余名", "10000", "人"),
        ("180余个", "180", "个"),
        ("二十多个城市", "20", "城"),
        ("四十多家", "40", "家"),
        ("一千多个", "1000", "个"),
        ("超过百万", "1000000", ""),
        ("三届", "3", "届"),
        ("30座城市", "30", "城"),
        ("77.5%", "77.5", "%"),
        ("１２０ 人", "120", "人"),
    ],
)
def test_reads_value_and_unit_from_wording(wording, value, unit_symbol):
    reading = read_wording(wording, SPELLINGS)
    assert reading.value == Decimal(value)
    assert reading.unit_symbol == unit_symbol


def test_person_times_is_read_as_its_own_unit_not_as_people():
    assert read_wording("27万人次", SPELLINGS).unit_symbol == "人次"
    assert read_wording("27万人", SPELLINGS).unit_symbol == "人"


@pytest.mark.parametrize(
    "wording, qualifiers",
    [
        ("超过263万家", {"超过"}),
        ("超291万件", {"超"}),
        ("近5万个", {"近"}),
        ("1万余名", {"余"}),
        ("超1万多人", {"超", "多"}),
        ("44%左右", {"左右"}),
        ("累计约1.76万吨", {"累计", "约"}),
        ("22,859人", set()),
    ],
)
def test_reads_qualifiers_without_mistaking_chao_guo_for_chao(wording, qualifiers):
    assert read_wording(wording, SPELLINGS).qualifiers == qualifiers


def test_reads_a_range_with_its_high_end():
    reading = read_wording("2%-5%", SPELLINGS)
    assert (reading.value, reading.value_high, reading.unit_symbol) == (2, 5, "%")


def test_digits_win_over_chinese_numerals_elsewhere_in_the_wording():
    assert read_wording("第七次普查2.64亿", SPELLINGS).value == Decimal("264000000")


def test_wording_without_a_number_reads_as_none():
    assert read_wording("数万人次", SPELLINGS) is None


@pytest.mark.parametrize(
    "numeral, value", [("十", 10), ("二十三", 23), ("两千", 2000), ("百", 100)]
)
def test_chinese_numerals(numeral, value):
    assert chinese_number(numeral) == value


def check(**overrides):
    figure = {
        "wording": "约1.76万吨",
        "value": Decimal("17600"),
        "value_high": None,
        "unit": unit("吨"),
        "qualifier": "约",
        "cumulative": False,
        "spellings": SPELLINGS,
    }
    figure.update(overrides)
    return [problem.code for problem in check_wording(**figure)]


def test_a_figure_that_matches_its_wording_has_no_problems():
    assert check() == []


def test_value_not_converted_from_wan_is_a_mismatch():
    assert check(value=Decimal("1.76")) == ["value_mismatch"]


def test_unit_that_differs_from_the_wording_is_a_mismatch():
    assert check(wording="27万人次", value=270000, unit=unit("人"), qualifier="") == [
        "unit_mismatch"
    ]


def test_general_classifier_ge_agrees_with_the_noun_it_counts():
    county = {"value": 160, "qualifier": "", "unit": unit("县")}
    assert check(wording="160个国家乡村振兴重点支持县", **county) == []
    assert check(wording="160个国家乡村振兴重点支持村", **county) == ["unit_mismatch"]


def test_qualifier_not_in_the_wording_is_a_mismatch():
    assert check(qualifier="超过") == ["qualifier_mismatch"]


def test_qualifier_in_the_wording_but_not_recorded_is_reported():
    assert check(qualifier="") == ["qualifier_missing"]


def test_wording_saying_leiji_requires_a_cumulative_figure():
    assert check(wording="累计约1.76万吨") == ["cumulative_missing"]
    assert check(wording="累计约1.76万吨", cumulative=True) == []


def test_range_high_end_must_match():
    wording = {"wording": "2%-5%", "value": 2, "unit": unit("%"), "qualifier": ""}
    assert check(**wording, value_high=5) == []
    assert check(**wording, value_high=None) == ["range_mismatch"]
    assert check(**wording, value_high=6) == ["range_mismatch"]


def test_wording_with_no_number_is_reported():
    assert check(wording="数万人次") == ["no_number"]
