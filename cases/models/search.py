"""What search needs stored: each searchable record's document of tokens (`cases.search`),
and the curated table of synonyms a search also looks for."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..search.query import NAME_WEIGHT, Search, matching, rank
from .base import (
    NaturalKeyModel,
    NaturalKeyQuerySet,
    Versioned,
    edit_history,
    slug_field,
    split_aliases,
)


def _document_field(label, help_text):
    return models.TextField(label, blank=True, default="", editable=False, help_text=help_text)


class Searchable(models.Model):
    """A record found by search: its name's tokens (pinyin included) and all its tokens, kept
    current on save by `cases.search.documents`."""

    search_name_tokens = _document_field(
        _("search tokens of the name"), _("Filled on save from the names and their pinyin.")
    )
    search_tokens = _document_field(
        _("search tokens"), _("Filled on save from every searched text of the record.")
    )

    class Meta:
        abstract = True


# The stored search documents a Searchable record may have (cases.search.documents).
SEARCH_DOCUMENTS = ("search_name_tokens", "search_tokens", "search_related_tokens")


class SearchableQuerySet(NaturalKeyQuerySet):
    # Stored documents best first, with the weight a term matched there adds to the rank.
    ranked_documents = [("search_name_tokens", NAME_WEIGHT)]

    def search(self, text, ranked=False):
        """Records matching every word of `text` (a string, or a `Search` read once per
        request), in either language, as Chinese, pinyin or English words, or as one of their
        synonyms (`cases.search.query`); none when no word can be searched for. `ranked`
        annotates `search_rank`: matches in the name count most."""
        terms = (text if isinstance(text, Search) else Search.read(text)).terms
        if not terms:
            return self.none()
        queryset = self.filter(matching("search_tokens", terms, self.db))
        if ranked:
            queryset = queryset.annotate(search_rank=rank(terms, self.db, self.ranked_documents))
        return queryset

    def without_documents(self):
        """Without the stored search documents, of these records and of those selected with
        them (select_related): a kilobyte or more per row that no page shows, which would
        otherwise widen every row the database sorts and sends."""
        return self.defer(*document_fields(self.model, "", self.query.select_related))


def document_fields(model, prefix, related):
    """The search document fields of `model` and of the related records `related` names
    (a select_related tree, or True for every non-null relation, left alone here), each
    named by its path from the query's model."""
    names = {field.name for field in model._meta.concrete_fields}
    fields = [prefix + name for name in SEARCH_DOCUMENTS if name in names]
    for name, below in related.items() if isinstance(related, dict) else []:
        target = model._meta.get_field(name).related_model
        fields += document_fields(target, f"{prefix}{name}__", below)
    return fields


class SynonymGroupQuerySet(NaturalKeyQuerySet):
    def phrases(self):
        """Every group as a list of its phrases in both languages, read once per data version
        (`cases.caching`)."""
        from ..caching import cached

        return cached(
            "synonyms", compute=lambda: [group.phrases for group in self.order_by("slug")]
        )


class SynonymGroup(NaturalKeyModel, Versioned):
    """Words and phrases a search treats as one: searching for any finds what the others find,
    e.g. elderly, older people, 老年人 and 老龄."""

    slug = slug_field()
    terms_zh = models.TextField(
        _("Chinese words"), blank=True, help_text=_("One per line, e.g. 老年人 and 老龄.")
    )
    terms_en = models.TextField(
        _("English words"),
        blank=True,
        help_text=_("One per line, e.g. elderly and older people; word forms are matched anyway."),
    )
    note = models.CharField(
        _("editor's note"), max_length=300, blank=True, help_text=_("Why these belong together.")
    )

    objects = SynonymGroupQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["slug"]

    def __str__(self):
        return " · ".join(self.phrases)

    @property
    def phrases(self):
        return [*split_aliases(self.terms_zh), *split_aliases(self.terms_en)]
