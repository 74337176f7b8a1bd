"""Figures shown as the documents give them: 22,859人 and 1403亿元 in Chinese, 22,859 people
and 140.3 billion yuan in English. Values are stored exactly in base units; a headline never
rounds. A scale word (万, 亿 / million, billion) is used only where it keeps the value exact,
and a rounded reading (约2.3万人) is offered beside a long exact value, never instead of it."""

from decimal import ROUND_HALF_UP, Decimal

from .dates import is_chinese
from .spreadsheet import plain_number

# (smallest value shown with the word, divisor, word); charts scale their axes with these.
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
# English writes thousands in full (17,600 tonnes), so exact values use only these words.
ENGLISH_EXACT_SCALES = ENGLISH_SCALES[:-1]
# Documents write 1.76万 and 4.75亿: a scale word is used when it leaves at most this many
# decimals, so 22,859 stays 22,859 rather than becoming 2.2859万.
EXACT_SCALE_DECIMALS = 2
# A rounded reading keeps two significant digits (22,859 → 约2.3万) …
APPROXIMATE_DIGITS = 2
# … and is offered only where it helps: for a value of at least 万 in Chinese (readers count
# in 万) or a million in English, written out with at least four significant digits. So
# 22,859人 gets 约2.3万人 but 22,859 people nothing; 17,600 and 1,711 never do.
APPROXIMATE_FROM_CHINESE = Decimal(10) ** 4
APPROXIMATE_FROM_ENGLISH = Decimal(10) ** 6
APPROXIMATE_MIN_DIGITS = 4


def _significant_digits(value):
    """How many significant digits `value` has: 22859 → 5, 17600 → 3, 0.05 → 1."""
    digits = Decimal(value).normalize().as_tuple().digits
    return len("".join(map(str, digits)).strip("0")) or 1


def exact_number(value, language=None):
    """The number exactly, with the largest scale word that keeps it exact and at least 1:
    ('1403', '亿') or ('140.3', 'billion'); ('22,859', '') where no word does."""
    value = Decimal(value)
    scales = CHINESE_SCALES if is_chinese(language) else ENGLISH_EXACT_SCALES
    step = Decimal(1).scaleb(-EXACT_SCALE_DECIMALS)
    for _threshold, divisor, word in scales:
        if abs(value) < divisor:
            continue
        scaled = value / divisor
        if scaled == scaled.quantize(step):
            return plain_number(scaled), word
    return plain_number(value, grouped=True), ""


def _round_to_digits(value, digits):
    """`value` rounded to `digits` significant digits: 22859 → 23000, 196632 → 200000."""
    value = Decimal(value)
    if value == 0:
        return value
    exponent = value.adjusted() - digits + 1
    return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def _with_unit(number, scale, unit, chinese, singular=False):
    """`number` and its scale word joined with the unit as each language writes it."""
    if unit is None:
        return f"{number}{scale}" if chinese else " ".join(filter(None, [number, scale]))
    if unit.is_percent:
        return f"{number}{scale}%" if chinese else " ".join(filter(None, [number, scale])) + "%"
    if chinese:
        return f"{number}{scale}{unit.symbol}"
    name = unit.name_en_singular if (singular and unit.name_en_singular) else unit.name_en
    return " ".join(filter(None, [number, scale, name]))


def format_value(value, unit=None, language=None):
    """`value` (base units) exactly, with its unit in the given or active language.

    `unit` is anything with `symbol`, `name_en`, `name_en_singular` and `is_percent`
    (a `cases.models.Unit`), or None for a bare number.
    """
    if value is None:
        return ""
    number, scale = exact_number(value, language)
    return _with_unit(number, scale, unit, is_chinese(language), Decimal(value) == 1)


def approximate_value(value, unit=None, language=None):
    """A rounded reading of a long exact value (22,859人 → 约2.3万人, 1,234,567 people →
    "about 1.2 million people"), or "" where the exact value reads easily as it is."""
    if value is None:
        return ""
    value = Decimal(value)
    chinese = is_chinese(language)
    _number, scale = exact_number(value, language)
    smallest = APPROXIMATE_FROM_CHINESE if chinese else APPROXIMATE_FROM_ENGLISH
    if scale or abs(value) < smallest or _significant_digits(value) < APPROXIMATE_MIN_DIGITS:
        return ""
    shown = format_value(_round_to_digits(value, APPROXIMATE_DIGITS), unit, language)
    return f"约{shown}" if chinese else f"about {shown}"


def format_range(low, high, unit=None, language=None):
    """A range such as 2%–5%; a single value when there is no high end."""
    if high is None:
        return format_value(low, unit, language)
    return f"{format_value(low, unit, language)}–{format_value(high, unit, language)}"


# Where each qualifier goes in Chinese: before the figure (超2万人), between the number and
# the unit (2万余人, after a round number) or after it (2万人以上, 4年多); and in English.
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
    """A figure as a reader says it, qualifier included: 超22,859人, 2万余人 or
    "over 22,859 people"."""
    shown = format_range(low, high, unit, language)
    if not qualifier or low is None:
        return shown
    if is_chinese(language):
        if qualifier in CHINESE_INFIX_QUALIFIERS and high is None and unit and not unit.is_percent:
            number, scale = exact_number(low, language)
            # 余/多 follow a round number (四十多家, 2万余人) but the measure word after any
            # other (四年多): “4多年” is not Chinese.
            if scale or number.endswith("0"):
                return f"{number}{scale}{qualifier}{unit.symbol}"
            return f"{shown}{qualifier}"
        if qualifier in CHINESE_INFIX_QUALIFIERS | CHINESE_SUFFIX_QUALIFIERS:
            return f"{shown}{qualifier}"
        return f"{qualifier}{shown}"
    before, after = ENGLISH_QUALIFIERS.get(qualifier, ("", ""))
    return " ".join(filter(None, [before, shown, after]))
