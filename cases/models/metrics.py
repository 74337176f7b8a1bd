"""Outcome figures, each exactly as one document states it, and the queries that select them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import Precision, format_partial_date, validate_precision
from ..numbers import approximate_value, format_figure
from .base import (
    Bilingual,
    Located,
    NaturalKeyModel,
    Translated,
    Versioned,
    edit_history,
    locator_field,
    slug_field,
    slug_url,
)
from .indicators import Indicator, Unit, category_order
from .projects import Project
from .reference import Company, in_group_of
from .search import Searchable, SearchableQuerySet
from .sources import Source


class MetricQuerySet(SearchableQuerySet):
    def traced_over_time(self, *fields):
        """The values of `fields` ({field: value} dicts) that two or more of these figures
        share, each at its own as-of date, breakdowns left out: the groups
        `figure_lists.series_over_time` keeps, found by one GROUP BY instead of loading every
        figure."""
        return (
            self.filter(part_of__isnull=True)
            .order_by()
            .values(*fields)
            .annotate(figures=Count("pk"), dates=Count("as_of", distinct=True))
            .filter(figures__gte=2, dates=F("figures"))
            .values(*fields)
        )

    def per_indicator(self):
        """How many of these figures each indicator has, in the order `for_display` lists
        them: rows of the indicator's id, names and category, `n` figures and `totals` (those
        that are not breakdowns). One pass grouped by the indicator's id (a hash of a few
        dozen groups); DISTINCT only where a filter's join can repeat a figure."""
        distinct = self.query.distinct
        return (
            self.order_by()
            .values("indicator")
            .annotate(
                category=Min("indicator__category"),
                name_zh=Min("indicator__name_zh"),
                name_en=Min("indicator__name_en"),
                n=Count("pk", distinct=distinct),
                totals=Count("pk", distinct=distinct, filter=Q(part_of__isnull=True)),
            )
            .order_by(category_order("category"), "name_en", "indicator")
        )

    def newest_per_indicator(self, count):
        """At most `count` of these figures for each indicator: the newest (by as-of date,
        then slug). The database ranks them (a window over each indicator), so a page that
        shows a few per indicator never loads the thousands a large group reports."""
        return self.annotate(
            newness=Window(
                RowNumber(),
                partition_by=[F("indicator_id")],
                order_by=[F("as_of").desc(), F("slug").asc()],
            )
        ).filter(newness__lte=count)

    def public(self):
        """Figures visitors may see: those of published cases, of companies, of the sector."""
        return self.filter(Q(project__isnull=True) | Q(project__status=Project.Status.PUBLISHED))

    def of_cases_on(self, issues):
        """Figures of cases addressing any of `issues`, by subquery: a case on several of
        them lists each figure once, so no DISTINCT has to sort the selection."""
        return self.filter(project__in=Project.objects.filter(issues__in=issues))

    def owned_by(self, companies):
        """Figures of any of `companies` or, for a group, of one of its subsidiaries
        (`companies` may be `OuterRef("pk")` in a subquery)."""
        return self.filter(in_group_of("company", companies))

    def for_display(self):
        """Figures with what a figure row shows (unit, indicator, source, total), by category
        in its declared order, then indicator (by English name, then id: `per_indicator`
        lists them so), newest first."""
        return (
            self.select_related("unit", "indicator__unit", "source", "part_of")
            .order_by(
                category_order("indicator__category"),
                "indicator__name_en",
                "indicator",
                "-as_of",
                "slug",
            )
            .without_documents()
        )

    def for_listing(self):
        """Public figures with their owner, for pages that list figures of many cases."""
        return (
            self.public()
            .for_display()
            .select_related("project", "company", "reported_with")
            .without_documents()
        )

    def for_page(self):
        """Public figures with everything a figure's own page shows: owner and its group, the
        case it is reported with, its total, and its breakdowns in display order."""
        return (
            self.public()
            .select_related(
                "unit",
                "indicator__unit",
                "source",
                "part_of__unit",
                "part_of__indicator__unit",
                "project__company",
                "company__parent",
                "reported_with",
            )
            .prefetch_related(
                models.Prefetch("parts", queryset=Metric.objects.for_display(), to_attr="part_list")
            )
        )


class Metric(Bilingual, Located, Searchable, NaturalKeyModel, Versioned):
    """An outcome figure, exactly as one document states it."""

    class Qualifier(models.TextChoices):
        EXACT = "", _("exact (no qualifier)")
        CHAO = "超", _("超 — over")
        CHAOGUO = "超过", _("超过 — more than")
        YU = "逾", _("逾 — over")
        YU_TAIL = "余", _("余 — odd (and more)")
        DUO = "多", _("多 — more than")
        YISHANG = "以上", _("以上 — or more")
        JIN = "近", _("近 — nearly")
        JIEJIN = "接近", _("接近 — close to")
        YUE = "约", _("约 — about")
        ZUOYOU = "左右", _("左右 — around")
        LEIJI = "累计", _("累计 — cumulative")

    slug = slug_field()
    project = models.ForeignKey(
        Project,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="metrics",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="metrics",
        help_text=_("Filled from the case when left blank; empty for industry-wide figures."),
    )
    industry_wide = models.BooleanField(
        _("industry-wide context figure"),
        default=False,
        help_text=_("A figure about the whole sector or country, not about one company."),
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="metrics"
    )
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    value = models.DecimalField(
        _("value"),
        max_digits=24,
        decimal_places=4,
        help_text=_("In base units: 1.76万吨 is 17600 with unit 吨."),
    )
    value_high = models.DecimalField(
        _("high value"),
        max_digits=24,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Upper end of a range such as 2%–5%; empty otherwise."),
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="metrics"
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=4, choices=Qualifier.choices, blank=True, default=""
    )
    cumulative = models.BooleanField(
        _("cumulative"), default=False, help_text=_("A running total (累计) rather than a flow.")
    )
    as_of = models.DateField(_("as of"), help_text=_("截至2023年底 is 2023-12-31, precision year."))
    as_of_precision = models.CharField(
        _("as-of precision"), max_length=5, choices=Precision.choices
    )
    as_of_inferred = models.BooleanField(
        _("as-of inferred"),
        default=False,
        help_text=_("The document gives no date (截至目前); the document's date is used."),
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text=_(
            "The total this figure breaks down, e.g. minors reunited is part of all people "
            "reunited. A part is never added to its total or compared with other totals."
        ),
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="metrics"
    )
    locator = models.CharField(
        _("locator"),
        max_length=200,
        help_text=_("Where in the document, e.g. 第三部分（二）社会价值成果, p.20"),
    )
    locator_en = locator_field()
    original_wording = models.CharField(
        _("original wording"),
        max_length=200,
        help_text=_("The figure exactly as written, e.g. 约1.76万吨"),
    )
    wording_context = models.CharField(
        _("wording in context"),
        max_length=300,
        blank=True,
        help_text=_(
            "Where the wording alone occurs more than once in the document: the words around it "
            "as written, enough to occur only once, e.g. 帮助团圆人数达22,859人."
        ),
    )
    reported_with = models.ForeignKey(
        Project,
        verbose_name=_("reported with case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_figures",
        help_text=_(
            "For a company's or group's own figure that the document reports in a case's "
            "chapter: that case. It is shown there as a group-wide result, not as the case's."
        ),
    )
    note_zh = models.TextField(_("editor's note (Chinese)"), blank=True)
    note_en = models.TextField(_("editor's note (English)"), blank=True)

    objects = MetricQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["indicator__category", "-as_of", "slug"]
        # The explorer's table of one indicator reads its figures newest first.
        indexes = [
            models.Index(fields=["indicator", "-as_of", "slug"], name="figure_indicator_as_of"),
            # A company's figures per indicator, newest first, with their case: compare counts
            # and picks its figures from this alone, whatever the size of the company.
            models.Index(
                fields=["company", "indicator", "-as_of", "slug", "project"],
                name="figure_company_indicator",
            ),
            # The home page's sector chart reads the few sector-wide figures among many.
            models.Index(
                fields=["indicator", "unit", "cumulative"],
                condition=Q(industry_wide=True),
                name="figure_sector",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_high__gte=models.F("value")),
                name="metric_high_not_below_low",
                violation_error_message=_("The high value cannot be below the value."),
            ),
            models.CheckConstraint(
                condition=Q(industry_wide=True, project__isnull=True, company__isnull=True)
                | Q(industry_wide=False) & (Q(project__isnull=False) | Q(company__isnull=False)),
                name="metric_owner_or_industry_wide",
                violation_error_message=_(
                    "A figure belongs to a case or a company, or is marked industry-wide "
                    "(and then has neither)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reported_with__isnull=True)
                | Q(project__isnull=True, company__isnull=False),
                name="metric_reported_with_company_figure",
                violation_error_message=_(
                    "Only a company's own figure (one that belongs to no case) is reported with "
                    "a case."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="metric_period_in_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self):
        owner = self.project or self.company
        prefix = owner.name_zh if owner else _("industry")
        return f"{prefix}: {self.label_zh} {self.original_wording}"

    label = Translated()
    note = Translated()

    def get_absolute_url(self):
        return slug_url("cases:figure", self.slug)

    @property
    def figure_display(self):
        """The value exactly as the document gives it, with its qualifier: 超22,859人,
        1403亿元, "140.3 billion yuan"."""
        return format_figure(
            self.value, self.value_high, self.indicator.display_unit, self.qualifier
        )

    @property
    def figure_approximate(self):
        """A rounded reading beside a long exact value (约2.3万人), or "" where none helps."""
        if self.value_high is not None:
            return ""
        return approximate_value(self.value, self.indicator.display_unit)

    @property
    def as_of_display(self):
        return format_partial_date(self.as_of, self.as_of_precision)

    def clean(self):
        errors = {}
        if self.project_id and not self.company_id and not self.industry_wide:
            self.company_id = self.project.company_id
        if self.industry_wide and (self.project_id or self.company_id):
            errors["industry_wide"] = ValidationError(
                _("An industry-wide figure belongs to no case and no company."),
                code="industry_wide_with_owner",
            )
        if not self.industry_wide and not (self.project_id or self.company_id):
            errors["project"] = ValidationError(
                _("Choose the case or company this figure belongs to, or mark it industry-wide."),
                code="owner_missing",
            )
        if self.as_of and self.as_of > timezone.localdate():
            errors["as_of"] = ValidationError(
                _("The as-of date cannot be in the future."), code="as_of_in_future"
            )
        if self.value is not None and self.value_high is not None and self.value_high < self.value:
            errors["value_high"] = ValidationError(
                _("The high value cannot be below the value."), code="high_below_low"
            )
        if self.unit_id and self.unit.is_count:
            for field in ("value", "value_high"):
                amount = getattr(self, field)
                if amount is not None and amount < 0:
                    errors[field] = ValidationError(
                        _("A count cannot be negative."), code="negative_count"
                    )
        if self.indicator_id and self.unit_id and self.indicator.unit_id != self.unit_id:
            errors["unit"] = ValidationError(
                _(
                    "The indicator “%(indicator)s” is counted in %(unit)s. Use that unit, "
                    "or choose an indicator for this unit so unlike figures are never compared."
                ),
                code="unit_not_indicator_unit",
                params={"indicator": self.indicator.name, "unit": self.indicator.unit.symbol},
            )
        if self.reported_with_id and (self.project_id or not self.company_id):
            errors["reported_with"] = ValidationError(
                _(
                    "Only a company's own figure (one that belongs to no case) is reported with "
                    "a case; a case's figure already shows on its page."
                ),
                code="reported_with_case_figure",
            )
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = ValidationError(
                _("The period cannot end before it starts."), code="period_reversed"
            )
        errors.update(self._part_of_errors())
        try:
            validate_precision(self.as_of, self.as_of_precision, "as_of")
        except ValidationError as precision_error:
            errors.setdefault("as_of", precision_error.error_dict["as_of"][0])
        if errors:
            raise ValidationError(errors)

    def _part_of_errors(self):
        """A part shares its total's owner, indicator, as-of and source, and is no larger."""
        total = self.part_of
        if total is None:
            return {}
        if total.pk is not None and total.pk == self.pk:
            message, code = _("A figure cannot be part of itself."), "part_of_self"
        elif total.part_of_id is not None:
            message = _("The total is itself a part of another figure; choose that figure.")
            code = "part_of_part"
        elif self.pk is not None and self.parts.exists():
            message = _("This figure has parts of its own, so it cannot be part of another.")
            code = "part_of_part"
        elif (
            (total.project_id, total.company_id) != (self.project_id, self.company_id)
            or total.indicator_id != self.indicator_id
            or total.as_of != self.as_of
            or total.source_id != self.source_id
        ):
            message = _(
                "A part must have the same case or company, indicator, as-of date and source as "
                "its total."
            )
            code = "part_of_mismatch"
        elif self.value is not None and total.value_high is None and self.value > total.value:
            message, code = _("A part cannot be larger than its total."), "part_exceeds_total"
        else:
            return {}
        return {"part_of": ValidationError(message, code=code)}
