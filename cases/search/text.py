"""How text becomes searchable tokens, the same way for a stored document and for what a
reader types, so the two always meet:

- NFKC folds full-width letters and digits (ＡＢＣ１２３) into half-width ones, OpenCC's t2s
  turns traditional characters into simplified ones (document 003 is traditional), and
  case is folded;
- Chinese is cut into single characters and overlapping pairs (养老院 → 养 老 院 养老 老院), so
  a word of any length is found as the pairs it is made of, two-character words included;
- Latin words are stemmed with the Snowball English stemmer (wheelchairs → wheelchair,
  volunteering and volunteer → volunt) and matched as prefixes;
- names also get their pinyin from each character on (美团青山计划 → meituanqingshanjihua,
  qingshanjihua, shanjihua …) and their initials likewise (mtqsjh, qsjh …), so `qingshan`,
  `qing shan jihua` and `qsjh` find 青山计划.

Pure functions, no database.
"""

import re
import unicodedata
from functools import lru_cache

# Han ideographs: the unified blocks and extension A, and compatibility ideographs.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{HAN}]+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(f"[{HAN}]+|[a-z0-9]+")
# A pinyin syllable written with its tone as a digit (qing1, lv4): the digit is dropped.
_TONE_NUMBERED = re.compile(r"^(?:[a-z]+[1-5])+[a-z]*$")
# A stored pinyin or initials token is at most this long, so a long name cannot bloat the
# document; a reader's pinyin rarely runs past a name's first few syllables.
MAX_PINYIN = 40


@lru_cache(maxsize=1)
def _to_simplified():
    # Imported here: OpenCC loads its dictionaries on first use, not at every process start.
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def fold(text):
    """`text` as it is searched: half-width, simplified, lower case, tone marks removed
    (qīngshān → qingshan, lǜ → lv as pypinyin writes it)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _to_simplified().convert(text).casefold()
    decomposed = unicodedata.normalize("NFKD", text).replace("u\u0308", "v")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


@lru_cache(maxsize=65536)
def stem(word):
    """The stem of a folded Latin word; numbers and pinyin with tone digits kept readable."""
    if _TONE_NUMBERED.match(word) and not word.isdigit():
        word = re.sub(r"[1-5]", "", word)
    if word.isdigit():
        return word
    return _stemmer().stemWord(word)


def han_tokens(run):
    """A run of Chinese characters as its characters and overlapping pairs."""
    return {*run, *(run[i : i + 2] for i in range(len(run) - 1))}


def text_tokens(text):
    """The tokens of a text: Chinese characters and pairs, stemmed Latin words."""
    tokens = set()
    for match in _TOKEN.finditer(fold(text)):
        word = match.group()
        if _HAN_RUN.fullmatch(word):
            tokens |= han_tokens(word)
        else:
            tokens.add(stem(word))
    return tokens


def char_readings(text):
    """(character, its toneless pinyin) for each Chinese character of `text`, folded."""
    from pypinyin import Style, lazy_pinyin

    chars = [char for char in fold(text) if _HAN_RUN.fullmatch(char)]
    if not chars:
        return []
    return list(zip(chars, lazy_pinyin("".join(chars), style=Style.NORMAL), strict=False))


def name_tokens(name):
    """A name's text tokens and, for its Chinese part, pinyin and initials from each
    character on: 青山计划 → qingshanjihua shanjihua jihua hua, qsjh sjh jh h."""
    tokens = text_tokens(name)
    readings = [reading for _char, reading in char_readings(name) if reading.isalpha()]
    for start in range(len(readings)):
        rest = readings[start:]
        tokens.add("".join(rest)[:MAX_PINYIN])
        tokens.add("".join(reading[0] for reading in rest)[:MAX_PINYIN])
    return tokens


def document(tokens):
    """Tokens as stored: sorted, space-separated, with a space at each end so that a token is
    found as " token " and a prefix as " prefix"."""
    return f" {' '.join(sorted(tokens))} " if tokens else ""


def query_words(text):
    """What a reader typed, as folded words: Chinese runs and Latin words, in order."""
    return [match.group() for match in _TOKEN.finditer(fold(text))]


def is_han(word):
    return bool(_HAN_RUN.fullmatch(word))
