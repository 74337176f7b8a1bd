"""Figures formatted the way each language counts."""

from decimal import Decimal

import pytest

from cases.models import Unit
from cases.numbers import format_figure, format_range, format_value

PEOPLE = Unit(symbol="人", name_zh="人", name_en="people", name_en_singular="person", kind="count")
TONNES = Unit(symbol="吨", name_zh="吨", name_en="tonnes", name_en_singular="tonne", kind="mass")
YUAN = Unit(symbol="元", name_zh="元", name_en="yuan", kind="money")
PERCENT = Unit(symbol="%", name_zh="%", name_en="per cent", kind="percent")


@pytest.mark.parametrize(
    ("value", "unit", "chinese", "english"),
    [
        ("22859", PEOPLE, "2.29万人", "22.9 thousand people"),
        ("196632", PEOPLE, "19.7万人", "197 thousand people"),
        ("17600", TONNES, "1.76万吨", "17.6 thousand tonnes"),
        ("140300000000", YUAN, "1403亿元", "140 billion yuan"),
        ("56100000000000", YUAN, "56.1万亿元", "56.1 trillion yuan"),
        ("2910000", None, "291万", "2.91 million"),
        ("1711", PEOPLE, "1,711人", "1,711 people"),
        ("1", PEOPLE, "1人", "1 person"),
        ("0.01", YUAN, "0.01元", "0.01 yuan"),
        ("77.5", PERCENT, "77.5%", "77.5%"),
        ("999999", PEOPLE, "100万人", "1 million people"),
        ("9999", PEOPLE, "9,999人", "9,999 people"),
        ("-22859", None, "-2.29万", "-22.9 thousand"),
    ],
)
def test_formats_value_per_language(value, unit, chinese, english):
    assert format_value(Decimal(value), unit, "zh-hans") == chinese
    assert format_value(Decimal(value), unit, "en") == english


def test_formats_range_with_both_ends():
    assert format_range(Decimal(2), Decimal(5), PERCENT, "zh-hans") == "2%–5%"
    assert format_range(Decimal(2), None, PERCENT, "en") == "2%"


def test_missing_value_shows_nothing():
    assert format_value(None, PEOPLE, "en") == ""


@pytest.mark.parametrize(
    ("qualifier", "high", "chinese", "english"),
    [
        ("", None, "2.29万人", "22.9 thousand people"),
        ("超", None, "超2.29万人", "over 22.9 thousand people"),
        ("余", None, "2.29万余人", "over 22.9 thousand people"),
        ("以上", None, "2.29万人以上", "22.9 thousand people or more"),
        ("约", None, "约2.29万人", "about 22.9 thousand people"),
        ("左右", None, "2.29万人左右", "around 22.9 thousand people"),
        ("多", "30000", "2.29万人–3万人多", "more than 22.9 thousand people–30 thousand people"),
    ],
)
def test_figures_put_the_qualifier_where_each_language_does(qualifier, high, chinese, english):
    high = Decimal(high) if high else None
    assert format_figure(Decimal("22859"), high, PEOPLE, qualifier, "zh-hans") == chinese
    assert format_figure(Decimal("22859"), high, PEOPLE, qualifier, "en") == english


def test_a_percentage_keeps_its_qualifier_outside_the_sign():
    assert format_figure(Decimal("90"), None, PERCENT, "余", "zh-hans") == "90%余"
    assert format_figure(Decimal("90"), None, PERCENT, "超", "en") == "over 90%"
