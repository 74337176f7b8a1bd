"""Who and what cases are about: organisations and their groups, social issues and the other
names documents give them, and the SDGs."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .base import (
    Bilingual,
    NameOrderedQuerySet,
    NaturalKeyModel,
    PinyinSorted,
    Translated,
    Versioned,
    edit_history,
    ranked,
    refuse_parent_cycle,
    slug_field,
    slug_url,
)
from .search import Searchable, SearchableQuerySet


def count_of(queryset):
    """A subquery counting `queryset`'s rows, 0 when there are none."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def published_cases():
    from .projects import Project

    return Project.objects.published()


def public_figures():
    from .metrics import Metric

    return Metric.objects.public()


def in_group_of(path, companies):
    """The rule "a group includes its subsidiaries" as a filter: the company at `path` is one of
    `companies` or a subsidiary of one of them. `companies` is a list or queryset of companies,
    or `OuterRef("pk")` for the company of an outer query."""
    if isinstance(companies, F):
        return Q(**{path: companies}) | Q(**{f"{path}__parent": companies})
    # The members as a small subquery, so the database looks them up by the indexed company
    # column instead of joining every row to its company to test the parent.
    if not isinstance(companies, models.QuerySet):
        companies = [getattr(company, "pk", company) for company in companies]
    members = Company.objects.filter(Q(pk__in=companies) | Q(parent__in=companies))
    return Q(**{f"{path}__in": members.values("pk")})


def group_of(path):
    """The group of the company at `path`: its parent, or the company itself when it belongs
    to none (for counting a group once with its subsidiaries)."""
    return Coalesce(f"{path}__parent", path)


# The companies page lists this many of a partner's cases; its own page lists them all.
PARTNERSHIPS_SHOWN = 5


class CompanyQuerySet(SearchableQuerySet, NameOrderedQuerySet):
    def with_led_case_counts(self, cases=None):
        """Annotate `case_count`: how many of `cases` (by default every published case) each
        company leads, a group counting its subsidiaries' too."""
        cases = published_cases() if cases is None else cases
        # The cases it leads itself plus those its subsidiaries lead (a case has one lead
        # company, so none is counted twice): two subqueries each served by an index, where
        # one `company = x OR company.parent = x` would read every case once per company.
        return self.annotate(
            case_count=count_of(cases.filter(company=OuterRef("pk")))
            + count_of(cases.filter(company__parent=OuterRef("pk")))
        )

    @staticmethod
    def led_case_counts(cases):
        """{company id: how many of `cases` it leads}, a group counting its subsidiaries' too,
        from one pass over `cases` grouped by lead company (where `with_led_case_counts`
        counts once per company: the same rule, for when `cases` is costly to repeat)."""
        counts = {}
        rows = (
            cases.order_by()
            .values_list("company", "company__parent")
            .annotate(n=models.Count("pk", distinct=True))
        )
        for company, parent, n in rows:
            counts[company] = counts.get(company, 0) + n
            if parent is not None:
                counts[parent] = counts.get(parent, 0) + n
        return counts

    def with_case_counts(self):
        """Annotate `case_count` (published cases it leads, a group counting its subsidiaries')
        and `partner_case_count` (published cases it is a partner in)."""
        return self.with_led_case_counts().annotate(
            partner_case_count=count_of(
                published_cases().filter(partnerships__company=OuterRef("pk"))
            ),
        )

    def for_comparison(self):
        """Companies with their group and subsidiaries, as compare's columns need them."""
        return self.select_related("parent").prefetch_related("subsidiaries")

    def with_public_figures(self):
        """Companies owning public figures, a group also when only its subsidiaries do. Each
        company's EXISTS follows the index on the figures' owner and stops at the first; the
        groups are the parents of those (never a scan of every figure, nor a join from each
        figure to its owner's parent)."""
        owning = Exists(public_figures().filter(company=OuterRef("pk")))
        owners = Company.objects.filter(owning, parent__isnull=False)
        return self.filter(owning | Q(pk__in=owners.values("parent")))

    def directory(self):
        """The companies page in one pass: every organisation with its case counts, read once
        and sorted into those leading published cases (groups and independents, most cases
        first, each with `leading_subsidiaries`), partners leading none (by name, each with
        its first PARTNERSHIPS_SHOWN partnerships in published cases), and the others (by
        name). Four queries, each one pass, whatever the number of companies."""
        from .projects import Partnership

        led = self.led_case_counts(published_cases())
        partnered = dict(
            Partnership.objects.in_published_cases()
            .order_by()
            .values_list("company")
            .annotate(n=models.Count("project", distinct=True))
        )
        everyone = list(self.select_related("parent").in_name_order().without_documents())
        for company in everyone:
            company.case_count = led.get(company.pk, 0)
            company.partner_case_count = partnered.get(company.pk, 0)
        subsidiaries = {}
        for company in everyone:
            if company.parent_id and company.case_count:
                subsidiaries.setdefault(company.parent_id, []).append(company)
        leading = [c for c in everyone if c.parent_id is None and c.case_count]
        leading.sort(key=lambda company: -company.case_count)  # stable: names stay in order
        for company in leading:
            company.leading_subsidiaries = subsidiaries.get(company.pk, [])
        partners = [c for c in everyone if not c.case_count and c.partner_case_count]
        models.prefetch_related_objects(
            partners,
            models.Prefetch(
                "partnerships",
                queryset=Partnership.objects.in_published_cases()[:PARTNERSHIPS_SHOWN],
                to_attr="shown_partnerships",
            ),
        )
        others = [c for c in everyone if not c.case_count and not c.partner_case_count]
        return leading, partners, others

    def partners_in_cases(self):
        """Organisations that lead no published case but partner in some, by name, each with
        its partnerships in published cases prefetched."""
        from .projects import Partnership

        return (
            self.with_case_counts()
            .filter(case_count=0, partner_case_count__gt=0)
            .prefetch_related(
                models.Prefetch("partnerships", queryset=Partnership.objects.in_published_cases())
            )
            .in_name_order()
        )

    def named_only(self):
        """Organisations in no published case, neither leading nor partnering (a figure's
        owner or a pledge's signatory, say), by name."""
        return self.with_case_counts().filter(case_count=0, partner_case_count=0).in_name_order()


class Company(Bilingual, PinyinSorted, Searchable, NaturalKeyModel, Versioned):
    """An organisation: a company, its group, or a partner body (ministry, foundation …)."""

    class Kind(models.TextChoices):
        INTERNET = "internet", _("internet company")
        ENTERPRISE = "enterprise", _("other enterprise")
        SOCIAL_ENTERPRISE = "social_enterprise", _("social enterprise")
        GOVERNMENT = "government", _("government body")
        NGO = "ngo", _("NGO or foundation")
        INSURER = "insurer", _("insurer")
        RESEARCH = "research", _("research body or university")
        MEDIA = "media", _("media")
        ASSOCIATION = "association", _("industry association")
        OTHER = "other", _("other")

    slug = slug_field()
    name_zh = models.CharField(_("Chinese name"), max_length=120, help_text=_("e.g. 字节跳动"))
    name_en = models.CharField(_("English name"), max_length=160, help_text=_("e.g. ByteDance"))
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Other names in either language, one per line, e.g. 阿里 or Alibaba Group."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        help_text=_("The group this company belongs to, e.g. 高德 belongs to 阿里巴巴."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = CompanyQuerySet.as_manager()

    history = edit_history(excluded_fields=["name_sort"])

    class Meta:
        verbose_name = _("company or organisation")
        verbose_name_plural = _("companies and organisations")
        ordering = ["name_en"]

    def __str__(self):
        return f"{self.name_zh} / {self.name_en}"

    def get_absolute_url(self):
        return slug_url("cases:company", self.slug)

    description = Translated()

    @property
    def group(self):
        """The group this company belongs to, or the company itself when it belongs to none."""
        return self.parent or self

    def member_ids(self):
        """The ids of this company and its subsidiaries: what a group's figures and cases
        include (from prefetched `subsidiaries`)."""
        return {self.pk, *(subsidiary.pk for subsidiary in self.subsidiaries.all())}

    @staticmethod
    def active_in(cases):
        """The groups (or independent companies) leading `cases`, with how many each leads,
        most first. Works on loaded cases with `company__parent` selected."""
        return ranked(case.company.group for case in cases)

    @property
    def is_business(self):
        """A company (as opposed to a government body, NGO or university partner)."""
        return self.kind in BUSINESS_KINDS

    def clean(self):
        refuse_parent_cycle(
            self, _("A company cannot belong to itself, directly or through a group.")
        )


BUSINESS_KINDS = {
    Company.Kind.INTERNET,
    Company.Kind.ENTERPRISE,
    Company.Kind.SOCIAL_ENTERPRISE,
    Company.Kind.INSURER,
}


class SDG(Bilingual, NaturalKeyModel, Versioned):
    """One of the 17 UN Sustainable Development Goals."""

    natural_key_fields = ("number",)

    number = models.PositiveSmallIntegerField(
        _("number"),
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(17)],
        help_text=_("1 to 17, e.g. 1 for No Poverty."),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=60, help_text=_("e.g. 无贫穷"))
    name_en = models.CharField(_("English name"), max_length=80, help_text=_("e.g. No Poverty"))
    colour = models.CharField(
        _("colour"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}\Z", _("A hex colour such as #E5243B."))],
        help_text=_("The goal's official colour, e.g. #E5243B."),
    )

    history = edit_history()

    class Meta:
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17), name="sdg_number_1_to_17"
            ),
        ]

    def __str__(self):
        return f"SDG {self.number}: {self.name_en}"


class SocialIssueQuerySet(SearchableQuerySet, NameOrderedQuerySet):
    def with_case_counts(self):
        """Annotate `case_count`, the number of published cases addressing each issue (one
        join and GROUP BY: a count per issue would read each issue's cases again)."""
        from .projects import Project

        return self.annotate(
            case_count=Count("projects", filter=Q(projects__status=Project.Status.PUBLISHED))
        )

    def addressed_by(self, cases):
        """The issues `cases` (a queryset) address, each with `addressing`, how many of them
        address it: most first, then by English name. One GROUP BY, however many cases."""
        return (
            self.filter(projects__in=cases.order_by().values("pk"))
            .annotate(addressing=Count("projects"))
            .order_by("-addressing", "name_en")
            .without_documents()
        )

    def for_list(self):
        """Issues with case counts, broader issue, SDGs and other names, most cases first."""
        return (
            self.with_case_counts()
            .select_related("parent")
            .prefetch_related("sdgs", "other_names")
            .in_name_order("-case_count")
            .without_documents()
        )

    def for_detail(self):
        """Issues with what an issue page shows: broader issue, SDGs and other names."""
        return self.select_related("parent").prefetch_related("sdgs", "other_names")

    def with_public_figures(self):
        """Issues of published cases that have public figures."""
        return self.filter(Exists(public_figures().filter(project__issues=OuterRef("pk"))))


class SocialIssue(Bilingual, PinyinSorted, Searchable, NaturalKeyModel, Versioned):
    """A social concern cases address, e.g. rural revitalisation or ageing."""

    class Vocabulary(models.TextChoices):
        CHAPTER = "chapter", _("report case chapters")
        TABLE = "table", _("report table of innovation projects")
        CASEBOOK = "casebook", _("casebook")

    slug = slug_field()
    name_zh = models.CharField(_("Chinese name"), max_length=60, help_text=_("e.g. 乡村振兴"))
    name_en = models.CharField(
        _("English name"), max_length=100, help_text=_("e.g. Rural revitalisation")
    )
    aliases = models.TextField(_("aliases"), blank=True, help_text=_("One per line."))
    vocabulary = models.CharField(
        _("vocabulary"),
        max_length=10,
        choices=Vocabulary.choices,
        default=Vocabulary.CASEBOOK,
        help_text=_("Which list of issue names this one comes from."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The broader issue this one belongs to, possibly from the other vocabulary."),
    )
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sdgs = models.ManyToManyField(
        SDG, verbose_name=_("related SDGs"), blank=True, related_name="issues"
    )

    objects = SocialIssueQuerySet.as_manager()

    history = edit_history(excluded_fields=["name_sort"])

    class Meta:
        verbose_name = _("social issue")
        verbose_name_plural = _("social issues")
        ordering = ["name_en"]

    def __str__(self):
        return f"{self.name_zh} / {self.name_en}"

    def get_absolute_url(self):
        return slug_url("cases:issue", self.slug)

    description = Translated()

    def clean(self):
        refuse_parent_cycle(self, _("An issue cannot be broader than itself."))


class IssueAlias(Bilingual, NaturalKeyModel, Versioned):
    """Another name a document gives an issue, e.g. the report's table of innovation projects
    calls ageing society 老年社会. Readers find the issue by it, see it as "also called", and
    its slug (the issue's former one, where it had its own page) leads to the issue."""

    issue = models.ForeignKey(
        SocialIssue,
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="other_names",
    )
    slug = slug_field()
    name_zh = models.CharField(_("Chinese name"), max_length=60, help_text=_("e.g. 老年社会"))
    name_en = models.CharField(
        _("English name"), max_length=100, help_text=_("e.g. Elderly society")
    )
    vocabulary = models.CharField(
        _("vocabulary"),
        max_length=10,
        choices=SocialIssue.Vocabulary.choices,
        help_text=_("Which list of issue names this name comes from."),
    )

    history = edit_history()

    class Meta:
        verbose_name = _("other issue name")
        verbose_name_plural = _("other issue names")
        ordering = ["issue", "name_en"]

    def __str__(self):
        return f"{self.name_zh} / {self.name_en} → {self.issue.name_zh}"

    def get_absolute_url(self):
        return self.issue.get_absolute_url()
