"""Showing why a record matched: the matched words marked in a name, and the part of a longer
text around the first match.

Matching here mirrors the database's (`cases.search.text`): text is folded character by
character so that a match maps back onto the characters as written (輪椅 is marked where
轮椅 was searched, ｗｈｅｅｌ where wheel was); a Latin word is marked when its stem begins with
a searched stem; in names, Chinese characters are marked when their pinyin or initials begin
with a searched word (qsjh marks 青山计划).

Pure functions: text and the searched needles in, escaped HTML out.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..excerpts import ELLIPSIS, excerpt
from .text import char_readings, fold, is_han, stem

_LATIN = re.compile(r"[a-z0-9]+")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _folded(text):
    """`text` folded, and for each folded character the index of the original one."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for folded_char in fold(char):
            folded.append(folded_char)
            origin.append(index)
    return "".join(folded), origin


def spans(text, needles, pinyin=False):
    """(start, end) ranges of `text` to mark, merged and in order."""
    if not text or not needles:
        return []
    folded, origin = _folded(text)
    found = []
    phrases = [needle for needle in needles if isinstance(needle, tuple)]
    latin = [needle for needle in needles if isinstance(needle, str) and not is_han(needle)]
    for needle in needles:
        if isinstance(needle, str) and is_han(needle):
            start = folded.find(needle)
            while start != -1:
                found.append((start, start + len(needle)))
                start = folded.find(needle, start + 1)
    words = list(_LATIN.finditer(folded))
    for index, match in enumerate(words):
        if any(_begins(match.group(), needle) for needle in latin):
            found.append(match.span())
        for phrase in phrases:
            following = words[index : index + len(phrase)]
            if len(following) == len(phrase) and all(
                _begins(word.group(), needle)
                for word, needle in zip(following, phrase, strict=True)
            ):
                found.append((match.start(), following[-1].end()))
    if pinyin and latin:
        found += _pinyin_spans(folded, latin)
    ranges = sorted((origin[start], origin[end - 1] + 1) for start, end in found)
    merged = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _begins(word, needle):
    """Whether a folded Latin word is a form of the searched stem `needle`."""
    return stem(word).startswith(needle) or word.startswith(needle)


def _pinyin_spans(folded, needles):
    """Runs of Chinese characters whose pinyin, or initials, begin with a needle."""
    found = []
    for run in re.finditer(f"{_HAN_CHAR.pattern}+", folded):
        readings = [reading for _char, reading in char_readings(run.group())]
        for first in range(len(readings)):
            for needle in needles:
                spelled = initials = ""
                for last in range(first, len(readings)):
                    spelled += readings[last]
                    initials += readings[last][:1]
                    if spelled.startswith(needle) or initials == needle:
                        found.append((run.start() + first, run.start() + last + 1))
                        break
                    if not (needle.startswith(spelled) or needle.startswith(initials)):
                        break
    return found


def mark(text, needles, pinyin=False):
    """`text` escaped, with the matched parts in <mark>."""
    text = str(text or "")
    parts, position = [], 0
    for start, end in spans(text, needles, pinyin):
        parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def around_match(text, needles, limit):
    """At most `limit` characters of `text`: its beginning, or where the first match is
    further in, a stretch leading up to and past it, cut at word boundaries; marked."""
    text = " ".join(str(text or "").split())
    found = spans(text, needles)
    if not found or found[0][1] <= limit - len(ELLIPSIS) * 2:
        return mark(excerpt(text, limit), needles)
    start = max(0, found[0][0] - limit // 4)
    # Begin after a space or a punctuation mark shortly before, not inside a word.
    for cut in range(start, max(0, start - 20), -1):
        if cut == 0 or text[cut - 1] in " ，。；：、,;:":
            start = cut
            break
    else:
        start = found[0][0]
    rest = excerpt(text[start:], limit - len(ELLIPSIS))
    return mark(ELLIPSIS + rest, needles)
