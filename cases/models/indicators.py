"""What figures measure and count in: the units figures are counted in, and the indicators
that make figures from different companies comparable."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils.translation import gettext_lazy as _

from .base import (
    Bilingual,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    Translated,
    Versioned,
    edit_history,
    slug_field,
    split_aliases,
)


class Unit(Bilingual, NaturalKeyModel, Versioned):
    """A unit a figure is counted in. 人 and 人次 are different units and never added up."""

    natural_key_fields = ("symbol",)

    class Kind(models.TextChoices):
        COUNT = "count", _("count")
        MONEY = "money", _("money")
        MASS = "mass", _("mass")
        AREA = "area", _("area")
        PERCENT = "percent", _("percentage")
        SCORE = "score", _("score or index")
        OTHER = "other", _("other")

    symbol = models.CharField(
        _("symbol"),
        max_length=20,
        unique=True,
        help_text=_("As the documents write it, e.g. 人, 人次, 元, 吨, %."),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=40, help_text=_("e.g. 人次"))
    name_en = models.CharField(
        _("English name"), max_length=60, help_text=_("Plural form, e.g. person-times, people")
    )
    name_en_singular = models.CharField(
        _("English singular"), max_length=60, blank=True, help_text=_("e.g. person")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    aliases = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "Other measure words documents use for this unit, one per line "
            "(e.g. 名 and 位 for 人, 座城市 for 城). Used to check original wordings."
        ),
    )

    history = edit_history()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "symbol"]

    def __str__(self):
        return f"{self.symbol} ({self.name_en})"

    @property
    def spellings(self):
        """The symbol and every other spelling of this unit, longest first."""
        return sorted({self.symbol, *split_aliases(self.aliases)}, key=len, reverse=True)

    @property
    def is_percent(self):
        return self.kind == self.Kind.PERCENT

    @property
    def is_count(self):
        return self.kind == self.Kind.COUNT


def category_order(path="category"):
    """An ordering expression for the indicator category at `path`: people reached, money,
    organisations served … in the order `Indicator.Category` declares them, not by stored key."""
    keys = Indicator.Category.values
    return Case(
        *(When(**{path: key}, then=Value(rank)) for rank, key in enumerate(keys)),
        default=Value(len(keys)),
    )


# Measure words that say nothing of what was counted: an indicator counted in one names its
# own English unit (families, classes …), never "units".
GENERAL_CLASSIFIERS = {"个"}


class NamedUnit:
    """A unit as one indicator names it in English: the 户 of 5G users are subscriber
    accounts, not households. Everything else is the unit's own."""

    name = Translated()

    def __init__(self, unit, name_en, name_en_singular):
        self.unit, self.name_en, self.name_en_singular = unit, name_en, name_en_singular

    def __getattr__(self, attribute):
        return getattr(self.unit, attribute)


class IndicatorQuerySet(NaturalKeyQuerySet):
    def in_category_order(self):
        """Indicators by category, in the declared order of categories, then by English name."""
        return self.order_by(category_order(), "name_en")

    def with_public_figures(self):
        """Indicators that some public figure measures."""
        from .metrics import Metric

        return self.filter(Exists(Metric.objects.public().filter(indicator=OuterRef("pk"))))


class Indicator(Bilingual, NaturalKeyModel, Versioned):
    """What a figure measures, so figures from different companies can be compared."""

    class Category(models.TextChoices):
        PEOPLE = "people", _("people reached")
        MONEY = "money", _("money")
        ORGANISATIONS = "organisations", _("organisations served")
        GEOGRAPHY = "geography", _("geographic coverage")
        ENVIRONMENT = "environment", _("environment")
        ENGAGEMENT = "engagement", _("engagement")
        OTHER = "other", _("other")
        # Numbers readers quote that are not outcomes (a donation per order, the oldest person
        # found, how fast an appeal was filled): shown with their case, never charted against
        # other companies' figures nor added up.
        KEY_FACTS = "key_facts", _("key facts")

    slug = slug_field()
    name_zh = models.CharField(_("Chinese name"), max_length=100, help_text=_("e.g. 帮助团圆人数"))
    name_en = models.CharField(
        _("English name"), max_length=160, help_text=_("e.g. People reunited with families")
    )
    category = models.CharField(_("category"), max_length=15, choices=Category.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("canonical unit"), on_delete=models.PROTECT, related_name="indicators"
    )
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    unit_name_en = models.CharField(
        _("English name of the unit here"),
        max_length=60,
        blank=True,
        help_text=_(
            "Only where the unit means something narrower for this indicator, e.g. subscriber "
            "accounts for the 户 of 5G users (elsewhere 户 are households)."
        ),
    )
    unit_name_en_singular = models.CharField(
        _("English singular of the unit here"),
        max_length=60,
        blank=True,
        help_text=_("e.g. subscriber account"),
    )

    objects = IndicatorQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["category", "name_en"]

    def __str__(self):
        return f"{self.name_zh} / {self.name_en} ({self.unit.symbol})"

    @property
    def display_unit(self):
        """The unit as figures of this indicator are read: its own English name where set."""
        if not self.unit_name_en:
            return self.unit
        return NamedUnit(self.unit, self.unit_name_en, self.unit_name_en_singular)

    @property
    def unit_label(self):
        """The unit as a heading names it: 人 in Chinese, people (or this indicator's own
        word, such as families for 个) in English."""
        return self.display_unit.name

    def clean(self):
        if self.unit_id and self.unit.symbol in GENERAL_CLASSIFIERS and not self.unit_name_en:
            raise ValidationError(
                {
                    "unit_name_en": ValidationError(
                        _(
                            "%(unit)s counts anything: say in English what this indicator "
                            "counts, e.g. families or classes."
                        ),
                        code="classifier_needs_english_name",
                        params={"unit": self.unit.symbol},
                    )
                }
            )

    @property
    def is_key_fact(self):
        """A number readers quote about how a programme works, never charted or summed."""
        return self.category == self.Category.KEY_FACTS
