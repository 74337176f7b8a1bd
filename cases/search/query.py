"""What a reader's words ask the database for.

A search is a list of terms, all of which a record must match. A term is a word as typed
(or a phrase the synonym table knows, such as "missing persons"), and it matches when any
one of its forms does: the word itself or one of its synonyms. A form matches when every
one of its tokens is in the record's document (`cases.search.text`): Chinese pairs exactly,
Latin stems and pinyin as prefixes.

On PostgreSQL the document is also stored as a `tsvector` and the whole search is one
`tsquery`, which a GIN index serves (migration 0012); elsewhere each token is a LIKE on the
stored document, which is space-delimited so that " token " is a whole token and " prefix" a
prefix. Ranking reads the small name documents with LIKE on both.
"""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from .terms import search_terms
from .text import fold, han_tokens, is_han, query_words, stem

# A form keeps at most this many tokens (a long Chinese phrase is found by a spread of its
# pairs), and a term at most this many forms: what one query string can cost stays bounded.
MAX_TOKENS_PER_FORM = 8
MAX_FORMS_PER_TERM = 8
# A synonym phrase is at most this many words long.
MAX_PHRASE_WORDS = 4
# How much a term matched in each part of a record adds to its rank.
NAME_WEIGHT, RELATED_WEIGHT, TEXT_WEIGHT = 4, 2, 1


@dataclass(frozen=True)
class Token:
    text: str
    prefix: bool = False


@dataclass
class Term:
    """One thing the reader asked for, and the forms that satisfy it."""

    words: str
    forms: list = field(default_factory=list)

    @property
    def needles(self):
        """What to highlight: each form's folded Chinese runs and Latin stems."""
        found = set()
        for form in self.forms:
            found.update(form.needles)
        return found


@dataclass
class Form:
    tokens: tuple
    needles: tuple


def form_of(text):
    """The tokens a record must hold to match `text` as one form, and what to highlight:
    each Chinese run, and the Latin stem, or for a phrase ("older people") the stems in order,
    so that "people" alone is not marked."""
    tokens, needles, stems = [], [], []
    for word in query_words(text):
        if is_han(word):
            needles.append(word)
            tokens += [Token(pair) for pair in _spread(sorted(han_tokens(word), key=word.find))]
        elif len(word) > 1:
            stems.append(stem(word))
            tokens.append(Token(stem(word), prefix=True))
    if len(stems) == 1:
        needles.append(stems[0])
    elif stems:
        needles.append(tuple(stems))
    unique = tuple(dict.fromkeys(tokens))[:MAX_TOKENS_PER_FORM]
    return Form(unique, tuple(needles)) if unique else None


def _spread(tokens):
    """A Chinese run's pairs (or its character, when it is one), covering it without
    overlap: 老龄化社会 → 老龄 化社 会 → 老龄, 化社, and 社会 for the last character."""
    pairs = [token for token in tokens if len(token) == 2]
    if not pairs:
        return tokens
    chosen = pairs[::2]
    if len(pairs) % 2 == 0:
        chosen.append(pairs[-1])
    return chosen


def phrase_key(text):
    """How a phrase is recognised in a search: its folded words, Latin ones stemmed, so
    that "Missing Person" and "missing persons" are the same phrase."""
    return tuple(word if is_han(word) else stem(word) for word in query_words(text))


def parse(text, synonyms=()):
    """The terms of a search. `synonyms` is a list of groups, each a list of equivalent
    phrases in either language (`SynonymGroup.phrases`)."""
    pieces = []
    for raw in search_terms(text).searched:
        pieces += [word for word in query_words(raw) if is_han(word) or len(word) > 1]
    groups = {}
    for group in synonyms:
        for phrase in group:
            key = phrase_key(phrase)
            if key:
                groups.setdefault(key, []).append(group)
    keys = [phrase_key(piece)[0] if phrase_key(piece) else piece for piece in pieces]
    terms, position = [], 0
    while position < len(pieces):
        for length in range(min(MAX_PHRASE_WORDS, len(pieces) - position), 0, -1):
            key = tuple(keys[position : position + length])
            if key in groups or length == 1:
                words = " ".join(pieces[position : position + length])
                variants = [words] + [p for group in groups.get(key, []) for p in group]
                forms = [form_of(variant) for variant in dict.fromkeys(variants)]
                forms = [form for form in forms if form][:MAX_FORMS_PER_TERM]
                if forms:
                    terms.append(Term(words, forms))
                position += length
                break
    return terms


@dataclass
class Search:
    """A reader's search, read once: the text as typed and its terms."""

    text: str
    terms: list

    @classmethod
    def read(cls, text):
        """`text` with the curated synonyms (read once per data version)."""
        from ..models import SynonymGroup

        if not any(
            is_han(word) or len(word) > 1
            for raw in search_terms(text).searched
            for word in query_words(raw)
        ):
            return cls(text or "", [])
        return cls(text or "", parse(text, SynonymGroup.objects.phrases()))

    @property
    def needles(self):
        """Everything to highlight: folded Chinese runs and Latin stems of every form."""
        found = set()
        for term in self.terms:
            found |= term.needles
        return found

    def __bool__(self):
        return bool(self.terms)


# Database side ----------------------------------------------------------------------------


# On PostgreSQL each searched table also has this column: the stored document as a `tsvector`,
# generated by the database from `search_tokens` and GIN-indexed (migration 0012). Django does
# not know it as a field; only `TokensMatch` reads it.
VECTOR_COLUMN = "search_vector"


class TokensMatch(Func):
    """PostgreSQL: whether a record's `search_vector` holds what a `tsquery` asks for, which
    the column's GIN index serves."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, tsquery):
        super().__init__(F("search_tokens"), Value(tsquery))

    def as_sql(self, compiler, connection, **extra):
        document, query = self.get_source_expressions()
        document_sql, document_params = compiler.compile(document)
        query_sql, query_params = compiler.compile(query)
        # "table"."search_tokens" → "table"."search_vector": the same row's generated column.
        vector_sql = document_sql.replace('"search_tokens"', f'"{VECTOR_COLUMN}"')
        return f"{vector_sql} @@ CAST({query_sql} AS tsquery)", (*document_params, *query_params)


def document_vector(column_sql):
    """SQL reading a stored document as a `tsvector` of its tokens, kept verbatim."""
    return f"array_to_tsvector(string_to_array(btrim({column_sql}), ' '))"


def _tsquery(terms):
    """The terms as one `tsquery` string; tokens are folded letters, digits and Chinese
    characters only, so quoting them is enough."""

    def token(t):
        return f"'{t.text}'" + (":*" if t.prefix else "")

    def form(f):
        return "(" + " & ".join(token(t) for t in f.tokens) + ")"

    return " & ".join("(" + " | ".join(form(f) for f in term.forms) + ")" for term in terms)


def _like(document, terms):
    condition = Q()
    for term in terms:
        either = Q()
        for form in term.forms:
            every = Q()
            for t in form.tokens:
                needle = f" {t.text}" if t.prefix else f" {t.text} "
                every &= Q(**{f"{document}__contains": needle})
            either |= every
        condition &= either
    return condition


def matching(document, terms, alias):
    """A condition true for records whose `document` field matches every term: on
    PostgreSQL, for the whole document, one indexed `tsquery`; otherwise (and for the small
    name documents that only rank) a LIKE per token."""
    if document == "search_tokens" and connections[alias].vendor == "postgresql":
        return Q(TokensMatch(_tsquery(terms)))
    return _like(document, terms)


def rank(terms, alias, weighted_documents):
    """An expression adding, for each term, the weight of the first of
    `weighted_documents` ((field, weight), best first) it matches in; 1 otherwise."""
    total = Value(0)
    for term in terms:
        whens = [
            When(matching(document, [term], alias), then=Value(weight))
            for document, weight in weighted_documents
        ]
        total = total + Case(*whens, default=Value(TEXT_WEIGHT), output_field=IntegerField())
    return Coalesce(total, Value(0), output_field=IntegerField())


__all__ = ["fold", "parse", "matching", "rank", "Search", "Term", "Form", "Token"]
