"""Figures shown exactly as documents give them, in the way each language writes them."""

from decimal import Decimal

import pytest

from cases.models import Unit
from cases.numbers import approximate_value, format_figure, format_range, format_value

PEOPLE = Unit(symbol="人", name_zh="人", name_en="people", name_en_singular="person", kind="count")
TONNES = Unit(symbol="吨", name_zh="吨", name_en="tonnes", name_en_singular="tonne", kind="mass")
YUAN = Unit(symbol="元", name_zh="元", name_en="yuan", kind="money")
PERCENT = Unit(symbol="%", name_zh="%", name_en="per cent", kind="percent")
UNITS = Unit(symbol="个", name_zh="个", name_en="units", kind="count")
YEARS = Unit(symbol="年", name_zh="年", name_en="years", name_en_singular="year", kind="other")


@pytest.mark.parametrize(
    ("value", "unit", "chinese", "english"),
    [
        ("22859", PEOPLE, "22,859人", "22,859 people"),
        ("196632", PEOPLE, "196,632人", "196,632 people"),
        ("17600", TONNES, "1.76万吨", "17,600 tonnes"),
        ("140300000000", YUAN, "1403亿元", "140.3 billion yuan"),
        ("56100000000000", YUAN, "56.1万亿元", "56.1 trillion yuan"),
        ("475000000", None, "4.75亿", "475 million"),
        ("2910000", None, "291万", "2.91 million"),
        ("30000000", None, "3000万", "30 million"),
        ("1711", PEOPLE, "1,711人", "1,711 people"),
        ("1", PEOPLE, "1人", "1 person"),
        ("0.01", YUAN, "0.01元", "0.01 yuan"),
        ("77.5", PERCENT, "77.5%", "77.5%"),
        ("999999", PEOPLE, "999,999人", "999,999 people"),
        ("9999", PEOPLE, "9,999人", "9,999 people"),
        ("-22859", None, "-22,859", "-22,859"),
    ],
)
def test_headline_shows_the_exact_value_as_documents_write_it(value, unit, chinese, english):
    """A scale word only where the value stays exact: 1403亿 but 22,859, never 2.29万."""
    assert format_value(Decimal(value), unit, "zh-hans") == chinese
    assert format_value(Decimal(value), unit, "en") == english


def test_headline_never_rounds_a_value_with_many_digits():
    assert format_value(Decimal("1234567"), PEOPLE, "zh-hans") == "1,234,567人"
    assert format_value(Decimal("1234567"), PEOPLE, "en") == "1,234,567 people"
    assert format_value(Decimal("12345"), TONNES, "zh-hans") == "12,345吨"


@pytest.mark.parametrize(
    ("value", "chinese", "english"),
    [
        ("22859", "约2.3万人", ""),
        ("196632", "约20万人", ""),
        ("1234567", "约120万人", "about 1.2 million people"),
        ("12873", "约1.3万人", ""),
        ("1711", "", ""),
        ("17600", "", ""),
        ("30000", "", ""),
        ("2910000", "", ""),
    ],
)
def test_rounded_reading_only_beside_a_long_exact_value(value, chinese, english):
    """约2.3万人 helps a Chinese reader with 22,859人; "22,859 people" needs no help."""
    assert approximate_value(Decimal(value), PEOPLE, "zh-hans") == chinese
    assert approximate_value(Decimal(value), PEOPLE, "en") == english


def test_no_rounded_reading_for_a_missing_value():
    assert approximate_value(None, PEOPLE, "zh-hans") == ""


def test_formats_range_with_both_ends():
    assert format_range(Decimal(2), Decimal(5), PERCENT, "zh-hans") == "2%–5%"
    assert format_range(Decimal(2), None, PERCENT, "en") == "2%"


def test_missing_value_shows_nothing():
    assert format_value(None, PEOPLE, "en") == ""


@pytest.mark.parametrize(
    ("qualifier", "high", "chinese", "english"),
    [
        ("", None, "22,859人", "22,859 people"),
        ("超", None, "超22,859人", "over 22,859 people"),
        ("余", None, "22,859人余", "over 22,859 people"),
        ("以上", None, "22,859人以上", "22,859 people or more"),
        ("约", None, "约22,859人", "about 22,859 people"),
        ("左右", None, "22,859人左右", "around 22,859 people"),
        ("多", "30000", "22,859人–3万人多", "more than 22,859 people–30,000 people"),
    ],
)
def test_figures_put_the_qualifier_where_each_language_does(qualifier, high, chinese, english):
    high = Decimal(high) if high else None
    assert format_figure(Decimal("22859"), high, PEOPLE, qualifier, "zh-hans") == chinese
    assert format_figure(Decimal("22859"), high, PEOPLE, qualifier, "en") == english


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "chinese"),
    [
        ("20000", "余", PEOPLE, "2万余人"),
        ("180", "余", UNITS, "180余个"),
        ("40", "多", UNITS, "40多个"),
        ("4", "多", YEARS, "4年多"),
        ("2", "余", YEARS, "2年余"),
    ],
)
def test_yu_and_duo_follow_a_round_number_but_the_unit_after_any_other(
    value, qualifier, unit, chinese
):
    """四十多家 and 2万余人, but 四年多: “4多年” is not Chinese."""
    assert format_figure(Decimal(value), None, unit, qualifier, "zh-hans") == chinese


def test_a_percentage_keeps_its_qualifier_outside_the_sign():
    assert format_figure(Decimal("90"), None, PERCENT, "余", "zh-hans") == "90%余"
    assert format_figure(Decimal("90"), None, PERCENT, "超", "en") == "over 90%"
