"""The documents figures and case texts are taken from."""

from django.db import models
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _

from ..dates import Precision, format_partial_date, validate_precision
from .base import (
    Bilingual,
    NaturalKeyModel,
    Translated,
    Versioned,
    edit_history,
    slug_field,
    slug_url,
)
from .reference import count_of, public_figures, published_cases
from .search import Searchable, SearchableQuerySet


class SourceQuerySet(SearchableQuerySet):
    def for_list(self):
        """Documents with `figure_count` (public figures citing each) and `case_count`."""
        return self.annotate(
            figure_count=count_of(public_figures().filter(source=OuterRef("pk"))),
            case_count=count_of(published_cases().filter(sources=OuterRef("pk"))),
        ).without_documents()

    def curated(self):
        """The documents the casebook was curated from: those whose text file is on record."""
        return self.exclude(file_name="")


class Source(Bilingual, Searchable, NaturalKeyModel, Versioned):
    """A document figures and case texts are taken from."""

    class Kind(models.TextChoices):
        REPORT = "report", _("report")
        NEWS = "news", _("news article")
        COMPANY_REPORT = "company_report", _("company report")
        OTHER = "other", _("other")

    class Language(models.TextChoices):
        CHINESE = "zh-hans", _("Chinese, simplified script")
        TRADITIONAL_CHINESE = "zh-hant", _("Chinese, traditional script")
        ENGLISH = "en", _("English")

    slug = slug_field()
    title_zh = models.CharField(
        _("Chinese title"), max_length=300, help_text=_("e.g. 互联网企业社会创新观察报告 2024")
    )
    title_en = models.CharField(_("English title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    publisher_zh = models.CharField(_("publisher (Chinese)"), max_length=200, blank=True)
    publisher_en = models.CharField(_("publisher (English)"), max_length=200, blank=True)
    published_on = models.DateField(_("publication date"))
    published_precision = models.CharField(
        _("publication date precision"), max_length=5, choices=Precision.choices
    )
    url = models.URLField(_("URL"), blank=True, max_length=500)
    file_name = models.CharField(
        _("file name"),
        max_length=200,
        blank=True,
        help_text=_(
            "The document file this record was curated from, e.g. 002_968845a14dee4877.txt"
        ),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.CHINESE
    )

    objects = SourceQuerySet.as_manager()

    history = edit_history()

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["-published_on", "slug"]

    def __str__(self):
        return self.title_zh

    def get_absolute_url(self):
        return slug_url("cases:source", self.slug)

    title = Translated()
    publisher = Translated()

    @property
    def text_language(self):
        """The document's language and script as an HTML lang attribute: zh-Hans, zh-Hant, en."""
        return {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}.get(self.language, self.language)

    @property
    def published_display(self):
        return format_partial_date(self.published_on, self.published_precision)

    def clean(self):
        validate_precision(self.published_on, self.published_precision, "published_on")
