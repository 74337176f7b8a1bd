"""Cases (projects), their partners and their milestones."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..dates import Precision, format_partial_date, validate_precision
from ..search.query import NAME_WEIGHT, RELATED_WEIGHT
from .base import (
    Bilingual,
    Located,
    NameOrderedQuerySet,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    PinyinSorted,
    Translated,
    Versioned,
    edit_history,
    field_error,
    locator_field,
    name_order,
    slug_field,
    slug_url,
)
from .reference import Company, SocialIssue, count_of, group_of, in_group_of
from .search import Searchable, SearchableQuerySet
from .sources import Source


class ProjectQuerySet(SearchableQuerySet, NameOrderedQuerySet):
    # A term found in a case's name ranks it above one found in its company's or issues'
    # names, which ranks it above one found only in its texts (`search`).
    ranked_documents = [
        ("search_name_tokens", NAME_WEIGHT),
        ("search_related_tokens", RELATED_WEIGHT),
    ]

    def published(self):
        """Cases visitors may see."""
        return self.filter(status=Project.Status.PUBLISHED)

    def led_by(self, companies):
        """Cases led by any of `companies` or, for a group, by one of its subsidiaries
        (`companies` may be `OuterRef("pk")` in a subquery)."""
        return self.filter(in_group_of("company", companies))

    def headline_counts(self):
        """Published cases, the companies leading them (a group with its subsidiaries counted
        once), the issues they address and their public figures, for the home page."""
        from .metrics import Metric

        counts = self.published().aggregate(
            cases=Count("pk", distinct=True),
            companies=Count(group_of("company"), distinct=True),
            issues=Count("issues", distinct=True),
        )
        counts["figures"] = Metric.objects.public().count()
        return counts

    def launch_year_counts(self):
        """{launch year: number of published cases launched that year}, with the number of
        those whose launch date is unknown under None."""
        rows = self.published().order_by().values_list("launched_on__year").annotate(n=Count("pk"))
        return dict(rows)

    def coverage_pairs(self):
        """(group or independent company id, issue id, cases) for published cases: how many
        cases of each company address each issue, a subsidiary's counted for its group."""
        return list(
            self.published()
            .filter(issues__isnull=False)
            .order_by()
            .values_list(group_of("company"), "issues")
            .annotate(n=Count("pk", distinct=True))
        )

    def with_figure_counts(self):
        """Annotate `figure_count`, the number of figures of each case: a subquery per row
        (served by the figures' case index), so that a page of 20 counts the figures of its 20
        cases only, and the list's count needs no join with the figures."""
        from .metrics import Metric

        if "figure_count" in self.query.annotations:
            return self
        return self.annotate(figure_count=count_of(Metric.objects.filter(project=OuterRef("pk"))))

    def ordered_by(self, key, language=None):
        """Order by one of the list's sort keys: name, launched, -launched, -figures, or
        relevance after a ranked `search` (best match, then latest launch); names in pinyin
        order in Chinese."""
        names = name_order(language)
        if key == "relevance" and "search_rank" in self.query.annotations:
            return self.order_by(
                "-search_rank", models.F("launched_on").desc(nulls_last=True), *names
            )
        if key == "launched":
            return self.order_by(models.F("launched_on").asc(nulls_last=True), *names)
        if key == "-launched":
            return self.order_by(models.F("launched_on").desc(nulls_last=True), *names)
        if key == "-figures":
            return self.with_figure_counts().order_by("-figure_count", *names)
        return self.in_name_order(language=language)

    def for_list(self):
        """Published cases with what a list row shows: company, group, issues, figure count."""
        return (
            self.published()
            .select_related("company__parent")
            .prefetch_related(Prefetch("issues", queryset=SocialIssue.objects.in_name_order()))
            .with_figure_counts()
            .without_documents()
        )

    def for_comparison(self):
        """Published cases with their issues (by name), latest launch first."""
        return (
            self.published()
            .prefetch_related(Prefetch("issues", queryset=SocialIssue.objects.in_name_order()))
            .order_by(models.F("launched_on").desc(nulls_last=True), "pk")
        )

    def for_detail(self, include_drafts=False):
        """Published cases (drafts too for a staff preview) with everything the case page
        shows, in a fixed number of queries."""
        from .metrics import Metric

        return (
            (self if include_drafts else self.published())
            .select_related("company__parent")
            .prefetch_related(
                Prefetch("issues", queryset=SocialIssue.objects.prefetch_related("sdgs")),
                Prefetch(
                    "partnerships",
                    queryset=Partnership.objects.select_related("company").order_by(
                        "role", "company__name_en"
                    ),
                ),
                Prefetch(
                    "milestones",
                    queryset=Milestone.objects.select_related("source").order_by(
                        "happened_on", "pk"
                    ),
                ),
                Prefetch("metrics", queryset=Metric.objects.for_display()),
                Prefetch(
                    "reported_figures",
                    queryset=Metric.objects.for_display().select_related("company"),
                ),
                "sources",
            )
        )

    def related_to(self, project, limit=5):
        """Other published cases sharing an issue with `project`, most shared issues first."""
        return (
            self.published()
            .exclude(pk=project.pk)
            .filter(issues__in=project.issues.all())
            .annotate(shared_issues=Count("issues", distinct=True))
            .select_related("company")
            .order_by("-shared_issues", "-launched_on", *name_order())[:limit]
        )


class Project(Bilingual, PinyinSorted, Searchable, NaturalKeyModel, Versioned):
    """A case: one corporate social-innovation programme."""

    class Trigger(models.TextChoices):
        PLANNED = "planned", _("planned")
        INCIDENTAL = "incidental", _("incidental (born of an incident)")

    class Mechanism(models.TextChoices):
        PRODUCT = "product", _("built into a product or service")
        PLATFORM = "platform", _("platform mobilisation")
        DONATION = "donation", _("donation or fund")
        SOCIAL_ENTERPRISE = "social_enterprise", _("social enterprise")
        PARTNERSHIP = "partnership", _("cross-sector partnership")
        TRAINING = "training", _("training and capacity building")
        RESEARCH = "research", _("research, awards and standards")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    slug = slug_field()
    name_zh = models.CharField(_("Chinese name"), max_length=120, help_text=_("e.g. 抖音寻人"))
    name_en = models.CharField(
        _("English name"), max_length=200, help_text=_("e.g. Douyin Missing Persons Alerts")
    )
    aliases = models.TextField(
        _("aliases"), blank=True, help_text=_("Other names in either language, one per line.")
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("lead company"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    partners = models.ManyToManyField(
        Company,
        verbose_name=_("partners"),
        through="Partnership",
        blank=True,
        related_name="partner_projects",
    )
    issues = models.ManyToManyField(
        SocialIssue, verbose_name=_("social issues"), blank=True, related_name="projects"
    )
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="projects",
        help_text=_("Documents the case description is based on."),
    )
    launched_on = models.DateField(_("launch date"), null=True, blank=True)
    launched_precision = models.CharField(
        _("launch date precision"), max_length=5, choices=Precision.choices, blank=True
    )
    trigger = models.CharField(
        _("trigger"),
        max_length=12,
        choices=Trigger.choices,
        blank=True,
        help_text=_("Planned programme, or one that grew out of an incident."),
    )
    mechanism = models.CharField(_("mechanism"), max_length=20, choices=Mechanism.choices)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    goal_zh = models.TextField(_("goal (Chinese)"), blank=True)
    goal_en = models.TextField(_("goal (English)"), blank=True)
    practice_zh = models.TextField(_("practice (Chinese)"), blank=True)
    practice_en = models.TextField(_("practice (English)"), blank=True)
    innovation_zh = models.TextField(_("innovation (Chinese)"), blank=True)
    innovation_en = models.TextField(_("innovation (English)"), blank=True)
    note_zh = models.TextField(
        _("editor's note (Chinese)"),
        blank=True,
        help_text=_("What the sources leave uncertain, e.g. a missing launch date."),
    )
    note_en = models.TextField(_("editor's note (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last edited"), default=timezone.now, editable=False)
    search_related_tokens = models.TextField(
        _("search tokens of the company and issues"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Filled on save from the names of the lead company, its group and the issues."),
    )

    objects = ProjectQuerySet.as_manager()
    history = edit_history(
        excluded_fields=["updated_at", "name_sort"], m2m_fields=[issues, sources]
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["name_en"]
        permissions = [("publish_project", _("Can publish and unpublish cases"))]
        # Every public list reads published cases only, by name (pinyin) or by launch; counts
        # of published cases per company read the third alone (no row of the wide table).
        indexes = [
            models.Index(fields=["status", "name_sort"], name="case_status_name"),
            models.Index(fields=["status", "launched_on"], name="case_status_launched"),
            models.Index(fields=["status", "company", "id"], name="case_status_company"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(launched_on__isnull=True, launched_precision="")
                | Q(launched_on__isnull=False) & ~Q(launched_precision=""),
                name="project_launch_date_has_precision",
                violation_error_message=_("A launch date needs its precision, and vice versa."),
            ),
        ]

    def __str__(self):
        return f"{self.name_zh} / {self.name_en}"

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("cases:case", self.slug)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def goals(self):
        """The SDGs of the case's issues, each once, by number (from prefetched issues)."""
        goals = {goal.number: goal for issue in self.issues.all() for goal in issue.sdgs.all()}
        return [goals[number] for number in sorted(goals)]

    summary = Translated()
    goal = Translated()
    practice = Translated()
    innovation = Translated()
    note = Translated()

    @property
    def launched_display(self):
        return format_partial_date(self.launched_on, self.launched_precision)

    def clean(self):
        if bool(self.launched_on) != bool(self.launched_precision):
            raise field_error(
                "launched_precision",
                _("A launch date needs its precision, and vice versa."),
                "precision_missing",
            )
        validate_precision(self.launched_on, self.launched_precision, "launched_on")
        if self.status == self.Status.PUBLISHED:
            missing = self.missing_to_publish()
            if missing:
                raise ValidationError(
                    {
                        field: ValidationError(message, code="required_to_publish")
                        for field, message in missing.items()
                    }
                )

    def missing_to_publish(self, issues=None, sources=None):
        """{field: message} for what a reader needs that this case lacks: a lead company, both
        summaries, and at least one issue and one source (a launch date may be unknown).

        Issues and sources are saved after the case itself, so they are checked only when
        given: a form's choices, or the stored ones for a saved case (`publishable_errors`)."""
        missing = {}
        if not self.company_id:
            missing["company"] = _("A published case needs its lead company.")
        if not self.summary_zh.strip():
            missing["summary_zh"] = _("A published case needs a Chinese summary.")
        if not self.summary_en.strip():
            missing["summary_en"] = _("A published case needs an English summary.")
        if issues is not None and not issues:
            missing["issues"] = _("A published case needs at least one social issue.")
        if sources is not None and not sources:
            missing["sources"] = _("A published case needs at least one source document.")
        return missing

    def publishable_errors(self):
        """The messages saying why this saved case cannot be published, its stored issues and
        sources included; empty when it can."""
        missing = self.missing_to_publish(self.issues.all(), self.sources.all())
        return list(missing.values())


class PartnershipQuerySet(NaturalKeyQuerySet):
    def in_published_cases(self):
        """Partnerships in cases visitors may see, with the case, by its English name."""
        return (
            self.filter(project__status=Project.Status.PUBLISHED)
            .select_related("project")
            .order_by("project__name_en")
        )


class Partnership(NaturalKeyModel, Versioned):
    """A partner organisation in a case and the role it plays."""

    natural_key_fields = ("project__slug", "company__slug")

    class Role(models.TextChoices):
        CO_INITIATOR = "co_initiator", _("co-initiator")
        GOVERNMENT = "government", _("government guidance or support")
        IMPLEMENTER = "implementer", _("delivery partner")
        FUNDER = "funder", _("funder or donor")
        TECHNOLOGY = "technology", _("technology partner")
        INSURER = "insurer", _("insurer")
        ACADEMIC = "academic", _("research or academic partner")
        OTHER = "other", _("other")

    project = models.ForeignKey(
        Project, verbose_name=_("case"), on_delete=models.CASCADE, related_name="partnerships"
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    role_zh = models.CharField(
        _("role in detail (Chinese)"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 提供免费意外险保障"),
    )
    role_en = models.CharField(_("role in detail (English)"), max_length=300, blank=True)

    objects = PartnershipQuerySet.as_manager()
    history = edit_history()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["project", "role", "company"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "company"], name="partnership_unique_per_project"
            ),
        ]

    def __str__(self):
        return f"{self.project.name_zh} — {self.company.name_zh} ({self.get_role_display()})"

    # The partner's role in the active language's words (`role` itself is the kind of role).
    role_detail = Translated("role")

    def clean(self):
        if self.project_id and self.company_id and self.project.company_id == self.company_id:
            raise field_error(
                "company",
                _("The lead company is not listed again as its own partner."),
                "partner_is_lead",
            )


class Milestone(Bilingual, Located, NaturalKeyModel, Versioned):
    """A dated step in a case's history."""

    natural_key_fields = ("project__slug", "happened_on", "text_zh")

    project = models.ForeignKey(
        Project, verbose_name=_("case"), on_delete=models.CASCADE, related_name="milestones"
    )
    happened_on = models.DateField(_("date"))
    precision = models.CharField(_("date precision"), max_length=5, choices=Precision.choices)
    text_zh = models.CharField(_("what happened (Chinese)"), max_length=300)
    text_en = models.CharField(_("what happened (English)"), max_length=500, blank=True)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    locator = models.CharField(_("locator"), max_length=200, blank=True)
    locator_en = locator_field()
    note_zh = models.TextField(
        _("editor's note (Chinese)"),
        blank=True,
        help_text=_(
            "Needed for a milestone before the case's launch year: why it belongs to the case, "
            "e.g. the founder's experience that led to it."
        ),
    )
    note_en = models.TextField(_("editor's note (English)"), blank=True)

    history = edit_history()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "happened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "happened_on", "text_zh"], name="milestone_unique"
            ),
        ]

    def __str__(self):
        return f"{self.project.name_zh} {self.date_display}: {self.text_zh}"

    text = Translated()
    note = Translated()

    @property
    def date_display(self):
        return format_partial_date(self.happened_on, self.precision)

    @property
    def before_launch(self):
        """Whether this happened in a year before the case's launch year (background)."""
        launched = self.project.launched_on if self.project_id else None
        return bool(launched and self.happened_on and self.happened_on.year < launched.year)

    def clean(self):
        validate_precision(self.happened_on, self.precision, "happened_on")
        if self.before_launch and not self.note_zh.strip():
            raise field_error(
                "note_zh",
                _(
                    "This milestone is dated %(year)s, before the case's launch in %(launch)s. "
                    "Check the date, or say in the note why it belongs to the case."
                )
                % {"year": self.happened_on.year, "launch": self.project.launched_on.year},
                "milestone_before_launch",
            )
