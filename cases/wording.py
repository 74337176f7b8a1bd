"""Reading a figure back out of the words a document uses for it.

A figure is stored as a plain number in base units (1.76万吨 → 17600 吨) next to its
original wording (``约1.76万吨``). The functions here re-derive the number, the range, the
qualifiers and the unit word from that wording, so the stored value can be checked against
what the document says — by ``verify_sources`` and by the admin's figure form.

Pure functions: no database access. Units are passed in as ``{spelling: symbol}`` maps.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .spreadsheet import plain_number

#: Words written before or after a number that make it approximate or a lower bound.
#: Longest first, so 超过 is read as 超过 and not as 超.
QUALIFIER_WORDS = ("超过", "接近", "以上", "左右", "累计", "超", "逾", "余", "多", "近", "约")
MULTIPLIERS = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
CHINESE_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
CHINESE_POWERS = {"十": 10, "百": 100, "千": 1000}
RANGE_MARKS = "-–—~～至到"
GENERAL_CLASSIFIER = "个"

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千]+"
_TAIL = r"(?P<mark1>[余多])?(?P<multiplier>万亿|亿|万)?(?P<mark2>[余多])?"
_NUMBER = re.compile(rf"(?P<number>{_ARABIC}|{_CHINESE}){_TAIL}")
_ARABIC_NUMBER = re.compile(rf"(?P<number>{_ARABIC}){_TAIL}")


def normalise(text):
    """Fold full-width forms and drop all whitespace, so layout never hides a match."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def chinese_number(numeral):
    """二十 → 20, 一千 → 1000, 百 → 100, 四十 → 40, 三 → 3. Returns None if malformed."""
    total, digit = 0, None
    for char in numeral:
        if char in CHINESE_DIGITS:
            if digit is not None:
                return None
            digit = CHINESE_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * CHINESE_POWERS[char]
            digit = None
    return Decimal(total + (digit or 0))


def _number_value(token):
    if token[0].isdigit():
        return Decimal(token.replace(",", ""))
    return chinese_number(token)


@dataclass
class Reading:
    """What a wording says: value (and high end of a range), qualifiers and unit word."""

    value: Decimal
    value_high: Decimal | None = None
    qualifiers: set = field(default_factory=set)
    unit_word: str = ""
    unit_symbol: str = ""
    after_unit: str = ""


def find_qualifiers(text):
    """The qualifier words in ``text``, each match consumed so 超过 does not also count as 超."""
    found = set()
    for word in QUALIFIER_WORDS:
        if word in text:
            found.add(word)
            text = text.replace(word, "|")
    return found


def _unit_at(text, spellings):
    """The longest unit spelling ``text`` starts with, as (spelling, symbol), or ("", "")."""
    for spelling in sorted(spellings, key=len, reverse=True):
        if text.startswith(spelling):
            return spelling, spellings[spelling]
    return "", ""


def read_wording(wording, spellings):
    """Read a figure's wording. ``spellings`` maps every unit spelling to its unit symbol.

    Returns a :class:`Reading`, or None when the wording holds no number.
    """
    text = normalise(wording)
    # Digits win over numerals: in 第七次…2.64亿 the figure is 2.64亿, not 七.
    match = _ARABIC_NUMBER.search(text) or _NUMBER.search(text)
    if not match:
        return None
    value = _number_value(match["number"])
    if value is None:
        return None
    if match["multiplier"]:
        value *= MULTIPLIERS[match["multiplier"]]
    rest = text[match.end() :]
    unit_word, unit_symbol = _unit_at(rest, spellings)
    rest = rest[len(unit_word) :]
    reading = Reading(value=value, unit_word=unit_word, unit_symbol=unit_symbol, after_unit=rest)
    if rest[:1] and rest[0] in RANGE_MARKS:
        high = _NUMBER.match(rest, 1)
        if high and _number_value(high["number"]) is not None:
            reading.value_high = _number_value(high["number"]) * MULTIPLIERS.get(
                high["multiplier"] or "", Decimal(1)
            )
            after_high = rest[high.end() :]
            if not reading.unit_word:
                reading.unit_word, reading.unit_symbol = _unit_at(after_high, spellings)
    reading.qualifiers = find_qualifiers(text[: match.start()] + text[match.end() :])
    for mark in (match["mark1"], match["mark2"]):
        if mark:
            reading.qualifiers.add(mark)
    return reading


@dataclass
class Problem:
    """One way a figure disagrees with its document, with a stable code."""

    code: str
    message: str

    def __str__(self):
        return self.message


def unit_spellings(units):
    """Map every spelling of every unit to its symbol: {"名": "人", "人次": "人次" …}."""
    spellings = {}
    for unit in units:
        for spelling in unit.spellings:
            spellings.setdefault(spelling, unit.symbol)
    return spellings


def _same(a, b):
    return a is not None and b is not None and Decimal(a).compare(Decimal(b)) == 0


def check_wording(*, wording, value, value_high, unit, qualifier, cumulative, spellings):
    """Problems between a figure's stored fields and its original wording (empty if none)."""
    reading = read_wording(wording, spellings)
    if reading is None:
        return [Problem("no_number", _("The original wording “%s” holds no number.") % wording)]
    problems = []
    try:
        stored = Decimal(value)
    except (InvalidOperation, TypeError):
        stored = None
    if not _same(stored, reading.value):
        problems.append(
            Problem(
                "value_mismatch",
                _("The wording “%(wording)s” reads as %(read)s, but the value is %(value)s.")
                % {
                    "wording": wording,
                    "read": plain_number(reading.value),
                    "value": plain_number(value),
                },
            )
        )
    stored_high = None if value_high in (None, "") else value_high
    is_range = reading.value_high is not None or stored_high is not None
    if is_range and not _same(stored_high, reading.value_high):
        read_high = _("none") if reading.value_high is None else plain_number(reading.value_high)
        problems.append(
            Problem(
                "range_mismatch",
                _(
                    "The wording “%(wording)s” gives the range's high end as %(read)s, "
                    "but the high value is %(value)s."
                )
                % {
                    "wording": wording,
                    "read": read_high,
                    "value": _("none") if stored_high is None else plain_number(stored_high),
                },
            )
        )
    if reading.unit_symbol and unit is not None and not _unit_agrees(reading, unit):
        problems.append(
            Problem(
                "unit_mismatch",
                _("The wording “%(wording)s” counts in %(read)s, but the unit is %(unit)s.")
                % {"wording": wording, "read": reading.unit_symbol, "unit": unit.symbol},
            )
        )
    problems.extend(_qualifier_problems(wording, reading.qualifiers, qualifier, cumulative))
    return problems


def check_figure(figure, spellings):
    """``check_wording`` on a figure's own fields (a Metric, or anything with the same names)."""
    return check_wording(
        wording=figure.original_wording,
        value=figure.value,
        value_high=figure.value_high,
        unit=figure.unit,
        qualifier=figure.qualifier,
        cumulative=figure.cumulative,
        spellings=spellings,
    )


def _unit_agrees(reading, unit):
    """The wording's unit word is the unit, or the general classifier 个 with the unit's noun
    later on: 160个国家乡村振兴重点支持县 counts 县."""
    if reading.unit_symbol == unit.symbol:
        return True
    return reading.unit_symbol == GENERAL_CLASSIFIER and unit.symbol in reading.after_unit


def _qualifier_problems(wording, found, qualifier, cumulative):
    problems = []
    says_cumulative = "累计" in found
    found = found - {"累计"}
    if qualifier == "累计":
        if not says_cumulative:
            problems.append(
                Problem(
                    "qualifier_mismatch",
                    _("The qualifier is 累计 but the wording “%s” does not say 累计.") % wording,
                )
            )
    elif qualifier and qualifier not in found:
        problems.append(
            Problem(
                "qualifier_mismatch",
                _("The qualifier is %(qualifier)s but the wording “%(wording)s” does not say it.")
                % {"qualifier": qualifier, "wording": wording},
            )
        )
    elif not qualifier and found:
        problems.append(
            Problem(
                "qualifier_missing",
                _("The wording “%(wording)s” says %(words)s, but no qualifier is recorded.")
                % {"wording": wording, "words": "、".join(sorted(found))},
            )
        )
    if says_cumulative and not cumulative:
        problems.append(
            Problem(
                "cumulative_missing",
                _("The wording “%s” says 累计, but the figure is not marked cumulative.") % wording,
            )
        )
    return problems


# A number continues through these: 79个 holds 9个, 十三个 holds 三个; and through a point or a
# thousands comma between digits: 8,275名 holds 5名, but “2023年,832个县” holds 832个县 itself.
_NUMBER_CHARACTERS = set("0123456789零〇一二两三四五六七八九十百千万亿")
_SEPARATORS = set(".,")


def _continues_number(text, index, step):
    """Whether the character at `index` (looking away from a match by `step`) carries a
    number on: a numeral, or a point or comma followed by a digit."""
    if not 0 <= index < len(text):
        return False
    if text[index] in _NUMBER_CHARACTERS:
        return True
    beyond = index + step
    return text[index] in _SEPARATORS and 0 <= beyond < len(text) and text[beyond].isdigit()


def standalone_positions(text, wording):
    """Where `wording` stands in `text` on its own: every start position that is not inside a
    longer number (9个 inside 79个, 5名 inside 8,275名). Both normalised."""
    positions, start = [], text.find(wording)
    while start != -1:
        end = start + len(wording)
        inside = (wording[0] in _NUMBER_CHARACTERS and _continues_number(text, start - 1, -1)) or (
            wording[-1] in _NUMBER_CHARACTERS and _continues_number(text, end, 1)
        )
        if not inside:
            positions.append(start)
        start = text.find(wording, start + 1)
    return positions


def anchor_problem(text, wording, context=""):
    """Why `wording` (with the words around it, `context`, where given) does not point to
    exactly one place in the document `text`; None when it does. All three normalised."""
    if context:
        if wording not in context or not standalone_positions(context, wording):
            return _("the wording “%(wording)s” is not in its context “%(context)s”") % {
                "wording": wording,
                "context": context,
            }
        found = text.count(context)
        if found != 1:
            return _("its context “%(context)s” occurs %(count)s times in the document") % {
                "context": context,
                "count": found,
            }
        in_context = standalone_positions(context, wording)
        if len(in_context) > 1:
            return _("the wording “%(wording)s” occurs more than once in its context") % {
                "wording": wording
            }
        # A context that starts or ends with the wording does not show what stands beyond it:
        # 9个 with the context 9个区域 is inside 79个区域 all the same.
        if text.find(context) + in_context[0] not in standalone_positions(text, wording):
            return _(
                "the wording “%(wording)s” appears only inside a longer number in the document"
            ) % {"wording": wording}
        return None
    found = standalone_positions(text, wording)
    if not found:
        if wording in text:
            return _(
                "the wording “%(wording)s” appears only inside a longer number in the document"
            ) % {"wording": wording}
        return _("the wording “%(wording)s” does not appear in the document") % {"wording": wording}
    if len(found) > 1:
        return _(
            "the wording “%(wording)s” occurs %(count)s times in the document; give the words "
            "around it (wording in context) so that it points to one place"
        ) % {"wording": wording, "count": len(found)}
    return None
