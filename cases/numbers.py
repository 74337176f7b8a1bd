"""Figures shown the way each language counts: 2.29万人 in Chinese, 22.9 thousand people
in English. Values are stored exactly in base units; only the display rounds (to three
significant digits, never dropping whole digits)."""

from decimal import ROUND_HALF_UP, Decimal

from .dates import is_chinese
from .spreadsheet import plain_number

# (smallest value shown with the word, divisor, word); below 10,000 numbers are shown whole.
CHINESE_SCALES = [
    (Decimal(10) ** 12, Decimal(10) ** 12, "万亿"),
    (Decimal(10) ** 8, Decimal(10) ** 8, "亿"),
    (Decimal(10) ** 4, Decimal(10) ** 4, "万"),
]
ENGLISH_SCALES = [
    (Decimal(10) ** 12, Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, Decimal(10) ** 6, "million"),
    (Decimal(10) ** 4, Decimal(10) ** 3, "thousand"),
]
SIGNIFICANT_DIGITS = 3


def _round_significant(value):
    """Round to three significant digits but keep every digit before the decimal point."""
    whole_digits = len(str(int(abs(value)))) if abs(value) >= 1 else 1
    places = max(0, SIGNIFICANT_DIGITS - whole_digits)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _rounded_magnitude(value):
    """|value| rounded to three significant digits: 999,999 becomes 1,000,000."""
    size = abs(value)
    if size < 1:
        return size
    return round(size, SIGNIFICANT_DIGITS - len(str(int(size))))


def scaled_number(value, language=None):
    """The number alone, scaled to 万/亿/万亿 or thousand/million/…: ('2.29', '万')."""
    value = Decimal(value)
    scales = CHINESE_SCALES if is_chinese(language) else ENGLISH_SCALES
    # Choose the word by the rounded value, so 999,999 reads "1 million", not "1000 thousand".
    magnitude = _rounded_magnitude(value)
    smallest_scaled = scales[-1][0]
    for threshold, divisor, word in scales:
        if magnitude >= threshold and abs(value) >= smallest_scaled:
            return plain_number(_round_significant(value / divisor)), word
    return plain_number(value, grouped=True), ""


def format_value(value, unit=None, language=None):
    """`value` (base units) with its unit in the given or active language.

    `unit` is anything with `symbol`, `name_en`, `name_en_singular` and `is_percent`
    (a `cases.models.Unit`), or None for a bare number.
    """
    if value is None:
        return ""
    chinese = is_chinese(language)
    number, scale = scaled_number(value, language)
    if unit is None:
        return f"{number}{scale}" if chinese else " ".join(filter(None, [number, scale]))
    if unit.is_percent:
        return f"{number}{scale}%" if chinese else " ".join(filter(None, [number, scale])) + "%"
    if chinese:
        return f"{number}{scale}{unit.symbol}"
    name = (
        unit.name_en_singular if (Decimal(value) == 1 and unit.name_en_singular) else unit.name_en
    )
    return " ".join(filter(None, [number, scale, name]))


def format_range(low, high, unit=None, language=None):
    """A range such as 2%–5%; a single value when there is no high end."""
    if high is None:
        return format_value(low, unit, language)
    return f"{format_value(low, unit, language)}–{format_value(high, unit, language)}"


# Where each qualifier goes in Chinese: before the figure (超2万人), between the number and
# the unit (2万余人) or after it (2万人以上); and the English words for it.
CHINESE_INFIX_QUALIFIERS = {"余", "多"}
CHINESE_SUFFIX_QUALIFIERS = {"以上", "左右"}
ENGLISH_QUALIFIERS = {
    "超": ("over", ""),
    "超过": ("more than", ""),
    "逾": ("over", ""),
    "余": ("over", ""),
    "多": ("more than", ""),
    "以上": ("", "or more"),
    "近": ("nearly", ""),
    "接近": ("close to", ""),
    "约": ("about", ""),
    "左右": ("around", ""),
    "累计": ("a total of", ""),
}


def format_figure(low, high=None, unit=None, qualifier="", language=None):
    """A figure as a reader says it, qualifier included: 超2.29万人, 2万余人 or
    "over 22.9 thousand people"."""
    shown = format_range(low, high, unit, language)
    if not qualifier or low is None:
        return shown
    if is_chinese(language):
        if qualifier in CHINESE_INFIX_QUALIFIERS and high is None and unit and not unit.is_percent:
            number, scale = scaled_number(low, language)
            return f"{number}{scale}{qualifier}{unit.symbol}"
        if qualifier in CHINESE_INFIX_QUALIFIERS | CHINESE_SUFFIX_QUALIFIERS:
            return f"{shown}{qualifier}"
        return f"{qualifier}{shown}"
    before, after = ENGLISH_QUALIFIERS.get(qualifier, ("", ""))
    return " ".join(filter(None, [before, shown, after]))
