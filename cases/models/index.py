"""The social value impact index (社会价值影响力指数): the framework the 2024 report gives
(four dimensions, fourteen indicators) and the casebook's own assessment of each case on it.

The report publishes the framework, not scores. Each indicator here has a scale of 0 to 2 with
a rule for each level. Some levels follow from data the casebook holds and are derived (see
`cases.impact`); editors assess the rest with their evidence, and an assessment is public only
once a second account with the review permission has confirmed it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from .base import (
    Bilingual,
    Located,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    Translated,
    Versioned,
    edit_history,
    field_error,
    localized,
    locator_field,
    slug_field,
)
from .projects import Project
from .sources import Source

TOP_LEVEL = 2


class IndexDimension(Bilingual, NaturalKeyModel, Versioned):
    """One of the index's four dimensions: mission, execution, finance, communication."""

    slug = slug_field()
    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=20, help_text=_("e.g. 使命"))
    name_en = models.CharField(_("English name"), max_length=40, help_text=_("e.g. Mission"))
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    history = edit_history()

    class Meta:
        verbose_name = _("index dimension")
        verbose_name_plural = _("index dimensions")
        ordering = ["position"]

    def __str__(self):
        return f"{self.name_zh} / {self.name_en}"

    description = Translated()


class IndexIndicatorQuerySet(NaturalKeyQuerySet):
    def in_order(self):
        """Indicators by dimension, then by their place in the report's table."""
        return self.select_related("dimension", "source").order_by(
            "dimension__position", "position"
        )


class IndexIndicator(Bilingual, Located, NaturalKeyModel, Versioned):
    """One of the index's fourteen indicators, with what it looks for and its scale."""

    class Method(models.TextChoices):
        ASSESSED = "assessed", _("assessed by editors, with evidence")
        BUSINESS_FIT = "business_fit", _("derived from the case's mechanism")
        COLLABORATION = "collaboration", _("derived from the named partners and their roles")
        DURATION = "duration", _("derived from the launch date and the latest dated record")
        REGIONAL_SPAN = "regional_span", _("derived from coverage figures and the case texts")
        COVERAGE_LEVELS = "coverage_levels", _("derived from coverage figures")
        FUNDING_DISCLOSED = "funding_disclosed", _("derived from money figures")
        SPENDING_DISCLOSED = "spending_disclosed", _("derived from money figures")
        FOUNDATION_FUNDING = "foundation_funding", _("derived from the named partners")
        WEB_NEWS = "web_news", _("derived from the case's sources")

    slug = slug_field()
    dimension = models.ForeignKey(
        IndexDimension,
        verbose_name=_("dimension"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    position = models.PositiveSmallIntegerField(_("position in the dimension"))
    name_zh = models.CharField(
        _("Chinese name"), max_length=40, help_text=_("As the report writes it, e.g. 项目存续期")
    )
    name_en = models.CharField(_("English name"), max_length=80, help_text=_("e.g. Duration"))
    definition_zh = models.TextField(_("what it looks for (Chinese)"))
    definition_en = models.TextField(_("what it looks for (English)"))
    level_0_zh = models.CharField(_("level 0 rule (Chinese)"), max_length=300)
    level_0_en = models.CharField(_("level 0 rule (English)"), max_length=400)
    level_1_zh = models.CharField(_("level 1 rule (Chinese)"), max_length=300)
    level_1_en = models.CharField(_("level 1 rule (English)"), max_length=400)
    level_2_zh = models.CharField(_("level 2 rule (Chinese)"), max_length=300)
    level_2_en = models.CharField(_("level 2 rule (English)"), max_length=400)
    method = models.CharField(
        _("how it is assessed"), max_length=20, choices=Method.choices, default=Method.ASSESSED
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="index_indicators"
    )
    locator = models.CharField(_("locator"), max_length=200)
    locator_en = locator_field()

    objects = IndexIndicatorQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = _("index indicator")
        verbose_name_plural = _("index indicators")
        ordering = ["dimension__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "position"], name="index_indicator_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name_zh} / {self.name_en}"

    definition = Translated()

    @property
    def is_derived(self):
        return self.method != self.Method.ASSESSED

    def levels(self):
        """(level, its rule in the active language) from 0 to the top level."""
        return [(level, localized(self, f"level_{level}")) for level in range(TOP_LEVEL + 1)]


class AssessmentQuerySet(NaturalKeyQuerySet):
    def confirmed(self):
        """Assessments readers may see: confirmed ones of published cases."""
        return self.filter(
            status=Assessment.Status.CONFIRMED, project__status=Project.Status.PUBLISHED
        )

    def for_scorecards(self):
        """Confirmed assessments with their indicator, dimension and source, in the
        framework's order."""
        return (
            self.confirmed()
            .select_related("indicator__dimension", "source")
            .order_by("indicator__dimension__position", "indicator__position")
        )


def scorecard_prefetch(to_attr="scorecard", levels_only=False):
    """A Prefetch that gives each case its confirmed assessments as `to_attr`; with
    `levels_only`, just their indicator and level, which is all scores need (a ranking of
    thousands of cases reads a few columns of each assessment, not its evidence)."""
    assessments = (
        Assessment.objects.confirmed() if levels_only else Assessment.objects.for_scorecards()
    )
    if levels_only:
        assessments = assessments.order_by().only("pk", "project_id", "indicator_id", "level")
    return Prefetch("assessments", queryset=assessments, to_attr=to_attr)


class Assessment(Located, NaturalKeyModel, Versioned):
    """One case's level on one indicator, with the evidence for it; or "not assessed" (no
    level) when the documents give no evidence either way."""

    natural_key_fields = ("project__slug", "indicator__slug", "status")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed (awaiting review)")
        CONFIRMED = "confirmed", _("confirmed")

    project = models.ForeignKey(
        Project, verbose_name=_("case"), on_delete=models.CASCADE, related_name="assessments"
    )
    indicator = models.ForeignKey(
        IndexIndicator,
        verbose_name=_("index indicator"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        null=True,
        blank=True,
        help_text=_("0, 1 or 2 by the indicator's rules; empty when it is not assessed."),
    )
    evidence_zh = models.TextField(
        _("evidence (Chinese)"),
        help_text=_("Why this level, in our words: what the documents say or do not say."),
    )
    evidence_en = models.TextField(_("evidence (English)"))
    quotation = models.CharField(
        _("quotation"),
        max_length=120,
        blank=True,
        help_text=_("A short passage exactly as the document writes it, e.g. 帮助走失者回家."),
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    locator = models.CharField(_("locator"), max_length=200, blank=True)
    locator_en = locator_field()
    derived = models.BooleanField(
        _("derived"),
        default=False,
        editable=False,
        help_text=_("Computed from the casebook's data rather than assessed by an editor."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = AssessmentQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = _("index assessment")
        verbose_name_plural = _("index assessments")
        ordering = ["project", "indicator__dimension__position", "indicator__position"]
        permissions = [("review_assessment", _("Can confirm index assessments others proposed"))]
        # Scorecards sum the levels of many cases' assessments from this index alone.
        indexes = [
            models.Index(
                fields=["project", "indicator", "status", "level"], name="assessment_levels"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "indicator", "status"],
                name="assessment_one_per_status",
                violation_error_message=_(
                    "This case already has an assessment of this indicator in this state."
                ),
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=TOP_LEVEL),
                name="assessment_level_on_scale",
                violation_error_message=_("A level is 0, 1 or 2."),
            ),
        ]

    def __str__(self):
        return f"{self.project.name_zh}: {self.indicator.name_zh} = {self.level_display}"

    evidence = Translated()

    @property
    def is_assessed(self):
        return self.level is not None

    @property
    def level_display(self):
        return str(_("not assessed")) if self.level is None else f"{self.level}/{TOP_LEVEL}"

    @property
    def rule(self):
        """The indicator's rule for this level, in the active language."""
        if self.level is None:
            return ""
        return localized(self.indicator, f"level_{self.level}")

    def clean(self):
        if self.level is not None and self.level > TOP_LEVEL:
            raise field_error("level", _("A level is 0, 1 or 2."), "level_off_scale")
        if self.indicator_id and self.indicator.is_derived and not self.derived:
            raise field_error(
                "indicator",
                _(
                    "“%(indicator)s” follows from the casebook's data and is derived, never "
                    "typed in: change the data it is derived from instead."
                )
                % {"indicator": self.indicator.name},
                "derived_indicator",
            )
        if not self.evidence_zh.strip() or not self.evidence_en.strip():
            raise ValidationError(
                {
                    field: ValidationError(
                        _("Say why, in both languages: every level carries its evidence."),
                        code="evidence_missing",
                    )
                    for field in ("evidence_zh", "evidence_en")
                    if not getattr(self, field).strip()
                }
            )
        if self.quotation and not self.source_id:
            raise field_error(
                "source", _("Name the document the quotation comes from."), "quotation_source"
            )
        if self.source_id and not self.locator.strip():
            raise field_error(
                "locator", _("Say where in the document, e.g. a section."), "locator_missing"
            )
