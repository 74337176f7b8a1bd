"""Short excerpts of longer texts (a case card's summary, a page description) that never cut
a word or a figure in two: "announced 100…" would hide "100 billion yuan", and 投入100…
would hide 100亿元. English is cut between words, Chinese after punctuation where one is
near enough, otherwise between characters outside any number and its unit.

Pure functions: text in, text out.
"""

import re

ELLIPSIS = "…"

# A cut after punctuation is preferred when it keeps at least this share of the room.
PUNCTUATION_SHARE = 0.6
CHINESE_PUNCTUATION = "，。；：、！？）》」』”,;:!?)"
# Left off the end of an excerpt, before the ellipsis: separators and opening marks.
_SEPARATORS = "，。；：、！？,;:!? "
_OPENINGS = "“（《「『(["
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# Measure words that belong to the number before them: 100亿元, 22,859人, 1.76万吨, 5G.
_CHINESE_UNITS = (
    "人次|小时|个月|万亿|人|户|元|个|家|吨|场|所|件|项|条|次|笔|台|款|节|届|城|县|省|亩|分|年|岁|"
    "月|周|级|倍|名|位|辆|座|天|日|号|期|批|类|种|例|篇|套|张|本|米|公里"
)
# Spans a Chinese cut must not fall inside: a figure with its multiplier, qualifier and unit
# (超1.8万节, 40多家, 2%–5%, 三十余个), or a run of Latin letters and digits (WeMake, 5G).
_UNBREAKABLE_CHINESE = re.compile(
    r"(?:[0-9０-９][0-9０-９,.，．]*[0-9０-９]|[0-9０-９]|[零〇一二两三四五六七八九十百千]+)"
    r"(?:万亿|亿|万|千|百)?[余多]?"
    r"(?:[%％‰]|(?:" + _CHINESE_UNITS + r"))?"
    r"(?:[-–—~～至](?:[0-9０-９][0-9０-９,.]*)(?:万亿|亿|万)?[%％]?(?:" + _CHINESE_UNITS + r")?)?"
    r"|[A-Za-z0-9][A-Za-z0-9+&'’.-]*[A-Za-z0-9+]|[A-Za-z0-9]"
)
# English words that must not end an excerpt: a number would lose its scale and unit.
_NUMBER_WORD = re.compile(r"[\d(]|^(?:thousand|million|billion|trillion|per|over|about)$", re.I)


def is_mostly_chinese(text):
    """Whether `text` reads as Chinese: more Chinese characters than Latin words."""
    return len(_CJK.findall(text)) > len(_LATIN_WORD.findall(text))


def excerpt(text, limit):
    """`text` cut to at most `limit` characters (ellipsis included) at a word boundary, never
    inside a word, a number or a number with its unit; whole when it fits."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    room = max(limit - len(ELLIPSIS), 1)
    kept = _chinese_prefix(text, room) if is_mostly_chinese(text) else _english_prefix(text, room)
    return kept + ELLIPSIS


def _english_prefix(text, room):
    """The longest run of whole words within `room`, not ending on a number."""
    words = text[: room + 1].split(" ")
    if len(text) > room and not text[room].isspace():
        words = words[:-1]
    words = [word for word in words if word]
    while words and _NUMBER_WORD.search(words[-1].strip(",;:.")):
        words.pop()
    if not words:
        return _chinese_prefix(text, room)
    return " ".join(words).rstrip(",;:—–-( ")


def _chinese_prefix(text, room):
    """`text` up to a cut within `room`: after punctuation if one is late enough, otherwise at
    the last character boundary outside every figure and Latin word."""
    protected = [match.span() for match in _UNBREAKABLE_CHINESE.finditer(text)]

    def inside(cut):
        return any(start < cut < end for start, end in protected)

    for cut in range(room, int(room * PUNCTUATION_SHARE) - 1, -1):
        if text[cut - 1] in CHINESE_PUNCTUATION and not inside(cut):
            return text[:cut].rstrip(_SEPARATORS)
    for cut in range(room, 0, -1):
        if not inside(cut):
            kept = text[:cut].rstrip(_SEPARATORS + _OPENINGS)
            if kept:
                return kept
    return text[:room]
