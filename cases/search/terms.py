"""What a search string is searched for: its words, each once, short Latin ones left out, and
no more than MAX_TERMS of them. Every word costs a scan of the case, company and issue texts,
so this bounds what one query string can make the database do."""

import unicodedata
from dataclasses import dataclass, field

MAX_TERMS = 5
# A Latin or digit word shorter than this matches nearly every text and narrows nothing; one
# Chinese character (寻, 养) already means something.
MIN_LATIN_LENGTH = 2


def _is_han(char):
    return unicodedata.name(char, "").startswith(("CJK UNIFIED", "CJK COMPATIBILITY"))


@dataclass
class Terms:
    """The words searched for, and the ones left out (too short, or beyond MAX_TERMS)."""

    searched: list = field(default_factory=list)
    too_short: list = field(default_factory=list)
    beyond_limit: list = field(default_factory=list)


def search_terms(text):
    """The words of `text` to search for, each once (case aside)."""
    terms, seen = Terms(), set()
    for word in (text or "").split():
        key = word.casefold()
        if key in seen:
            continue
        seen.add(key)
        if len(word) < MIN_LATIN_LENGTH and not any(_is_han(char) for char in word):
            terms.too_short.append(word)
        elif len(terms.searched) < MAX_TERMS:
            terms.searched.append(word)
        else:
            terms.beyond_limit.append(word)
    return terms
