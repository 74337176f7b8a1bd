"""How each public record reads in the API: both languages side by side, related records by
their stable slug, and a figure with its whole provenance."""

from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..dates import format_partial_date
from ..models import (
    Assessment,
    Company,
    IndexDimension,
    IndexIndicator,
    Indicator,
    Metric,
    Milestone,
    Partnership,
    Project,
    SocialIssue,
    Source,
)
from ..models.base import split_aliases
from ..spreadsheet import plain_number

LANGUAGES = (("zh", "zh-hans"), ("en", "en"))


def absolute(request, path):
    return request.build_absolute_uri(path) if request else path


def in_both_languages(render):
    """{"zh": …, "en": …}: `render()` once in each language."""
    texts = {}
    for key, language in LANGUAGES:
        with translation.override(language):
            texts[key] = str(render())
    return texts


class BilingualText(serializers.Serializer):
    zh = serializers.CharField()
    en = serializers.CharField()


@extend_schema_field({"type": "string", "format": "decimal", "example": "22859"})
class PlainDecimalField(serializers.Field):
    """A stored decimal as plain text without trailing zeros: "17600", "0.5"."""

    def to_representation(self, value):
        return plain_number(value)


@extend_schema_field({"type": "string", "format": "uri"})
class PageUrlField(serializers.Field):
    """The record's page on the site (in Chinese, the default language) as an absolute URL."""

    def __init__(self, url_name, **kwargs):
        self.url_name = url_name
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        with translation.override("zh-hans"):
            path = reverse(self.url_name, args=[slug])
        return absolute(self.context.get("request"), path)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class AliasesField(serializers.Field):
    """Other names, one per line in the record, as a list."""

    def to_representation(self, text):
        return split_aliases(text)


def slug_of(**kwargs):
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


class PartialDate(serializers.Serializer):
    """A date known to a year, month or day: the stored date stands for the whole period."""

    date = serializers.DateField()
    precision = serializers.CharField(help_text="year, month or day")
    text = BilingualText(help_text="The date as the pages write it.")


def partial_date(value, precision):
    if value is None:
        return None
    return {
        "date": value,
        "precision": precision,
        "text": in_both_languages(lambda: format_partial_date(value, precision)),
    }


class SDGField(serializers.Field):
    def to_representation(self, goals):
        return [goal.number for goal in goals.all()]


class IssueSerializer(serializers.ModelSerializer):
    aliases = AliasesField()
    parent = slug_of(allow_null=True, help_text="The broader issue, if any.")
    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    case_count = serializers.IntegerField(read_only=True, help_text="Published cases.")
    url = PageUrlField("cases:issue")

    class Meta:
        model = SocialIssue
        fields = [
            "slug",
            "name_zh",
            "name_en",
            "aliases",
            "vocabulary",
            "parent",
            "description_zh",
            "description_en",
            "sdgs",
            "case_count",
            "url",
        ]


class CompanySerializer(serializers.ModelSerializer):
    aliases = AliasesField()
    parent = slug_of(allow_null=True, help_text="The group this company belongs to, if any.")
    subsidiaries = slug_of(many=True, help_text="Companies of this group.")
    case_count = serializers.IntegerField(
        read_only=True, help_text="Published cases it leads, a group counting its subsidiaries'."
    )
    partner_case_count = serializers.IntegerField(
        read_only=True, help_text="Published cases it is a partner in."
    )
    url = PageUrlField("cases:company")

    class Meta:
        model = Company
        fields = [
            "slug",
            "name_zh",
            "name_en",
            "aliases",
            "kind",
            "parent",
            "subsidiaries",
            "description_zh",
            "description_en",
            "website",
            "case_count",
            "partner_case_count",
            "url",
        ]


class SourceSerializer(serializers.ModelSerializer):
    published = serializers.SerializerMethodField()
    page = PageUrlField("cases:source")

    class Meta:
        model = Source
        fields = [
            "slug",
            "title_zh",
            "title_en",
            "kind",
            "publisher_zh",
            "publisher_en",
            "published",
            "url",
            "file_name",
            "language",
            "page",
        ]

    @extend_schema_field(PartialDate(allow_null=True))
    def get_published(self, source):
        return partial_date(source.published_on, source.published_precision)


class IndicatorSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="symbol", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "slug",
            "name_zh",
            "name_en",
            "category",
            "unit",
            "unit_name_en",
            "unit_name_en_singular",
            "description_zh",
            "description_en",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(source="project", slug_field="slug", read_only=True)
    happened = serializers.SerializerMethodField()
    source = slug_of(allow_null=True)

    class Meta:
        model = Milestone
        fields = [
            "case",
            "happened",
            "text_zh",
            "text_en",
            "source",
            "locator",
            "locator_en",
            "note_zh",
            "note_en",
        ]

    @extend_schema_field(PartialDate(allow_null=True))
    def get_happened(self, milestone):
        return partial_date(milestone.happened_on, milestone.precision)


class PartnerSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(source="project", slug_field="slug", read_only=True)
    company = slug_of()
    company_zh = serializers.CharField(source="company.name_zh", read_only=True)
    company_en = serializers.CharField(source="company.name_en", read_only=True)

    class Meta:
        model = Partnership
        fields = ["case", "company", "company_zh", "company_en", "role", "role_zh", "role_en"]


class FigureSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(
        source="project", slug_field="slug", read_only=True, allow_null=True
    )
    company = slug_of(allow_null=True, help_text="Null for an industry-wide figure.")
    indicator = slug_of()
    category = serializers.CharField(source="indicator.category", read_only=True)
    value = PlainDecimalField(help_text="In base units: 1.76万吨 is 17600 with unit 吨.")
    value_high = PlainDecimalField(
        allow_null=True, help_text="The upper end of a range; null otherwise."
    )
    unit = serializers.SlugRelatedField(slug_field="symbol", read_only=True)
    display = serializers.SerializerMethodField()
    as_of = serializers.SerializerMethodField()
    part_of = slug_of(
        allow_null=True, help_text="The total this figure is a part of; never add the two."
    )
    source = slug_of()
    reported_with = serializers.SerializerMethodField()

    class Meta:
        model = Metric
        fields = [
            "slug",
            "case",
            "company",
            "industry_wide",
            "indicator",
            "category",
            "label_zh",
            "label_en",
            "value",
            "value_high",
            "unit",
            "qualifier",
            "cumulative",
            "display",
            "as_of",
            "as_of_inferred",
            "period_start",
            "period_end",
            "part_of",
            "source",
            "locator",
            "locator_en",
            "original_wording",
            "wording_context",
            "reported_with",
            "note_zh",
            "note_en",
        ]

    @extend_schema_field(BilingualText)
    def get_display(self, figure):
        """The figure as the pages write it, e.g. 超22,859人 / "over 22,859 people"."""
        return in_both_languages(lambda: figure.figure_display)

    @extend_schema_field(PartialDate)
    def get_as_of(self, figure):
        return partial_date(figure.as_of, figure.as_of_precision)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_reported_with(self, figure):
        case = figure.reported_with
        return case.slug if case and case.is_public else None


class CaseSerializer(serializers.ModelSerializer):
    aliases = AliasesField()
    company = slug_of(help_text="The lead company.")
    group = serializers.SerializerMethodField()
    launched = serializers.SerializerMethodField()
    issues = slug_of(many=True)
    sources = slug_of(many=True)
    figure_count = serializers.IntegerField(read_only=True)
    url = PageUrlField("cases:case")

    class Meta:
        model = Project
        fields = [
            "slug",
            "name_zh",
            "name_en",
            "aliases",
            "company",
            "group",
            "launched",
            "trigger",
            "mechanism",
            "issues",
            "sources",
            "summary_zh",
            "summary_en",
            "goal_zh",
            "goal_en",
            "practice_zh",
            "practice_en",
            "innovation_zh",
            "innovation_en",
            "note_zh",
            "note_en",
            "figure_count",
            "url",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_group(self, case):
        """The lead company's group, if it belongs to one."""
        parent = case.company.parent
        return parent.slug if parent else None

    @extend_schema_field(PartialDate(allow_null=True))
    def get_launched(self, case):
        """Null where the documents give no launch date."""
        return partial_date(case.launched_on, case.launched_precision)


class CaseDetailSerializer(CaseSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    partners = PartnerSerializer(source="partnerships", many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "milestones", "partners"]


class IndexIndicatorSerializer(serializers.ModelSerializer):
    dimension = slug_of()
    source = slug_of()

    class Meta:
        model = IndexIndicator
        fields = [
            "slug",
            "dimension",
            "position",
            "name_zh",
            "name_en",
            "definition_zh",
            "definition_en",
            "level_0_zh",
            "level_0_en",
            "level_1_zh",
            "level_1_en",
            "level_2_zh",
            "level_2_en",
            "method",
            "source",
            "locator",
            "locator_en",
        ]


class IndexDimensionSerializer(serializers.ModelSerializer):
    indicators = IndexIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = IndexDimension
        fields = [
            "slug",
            "position",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "indicators",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    indicator = slug_of()
    dimension = serializers.CharField(source="indicator.dimension.slug", read_only=True)
    source = slug_of(allow_null=True)
    level = serializers.IntegerField(
        allow_null=True, help_text="0, 1 or 2; null where the documents give no evidence."
    )

    class Meta:
        model = Assessment
        fields = [
            "indicator",
            "dimension",
            "level",
            "derived",
            "evidence_zh",
            "evidence_en",
            "quotation",
            "source",
            "locator",
            "locator_en",
        ]


class DimensionScoreSerializer(serializers.Serializer):
    dimension = serializers.CharField(source="dimension.slug")
    score = serializers.FloatField(allow_null=True, help_text="0 to 100; null if none assessed.")
    assessed = serializers.IntegerField()


class ScorecardSerializer(serializers.Serializer):
    case = serializers.CharField(source="case.slug")
    company = serializers.CharField(source="case.company.slug")
    index = serializers.FloatField(
        allow_null=True, help_text="The mean of the dimension scores, equal weights (0 to 100)."
    )
    coverage = serializers.IntegerField(help_text="Indicators assessed.")
    total = serializers.IntegerField(help_text="Indicators in the framework.")
    ranked = serializers.BooleanField(help_text="Whether enough is assessed to rank the case.")
    dimensions = DimensionScoreSerializer(many=True)
    assessments = serializers.SerializerMethodField()

    @extend_schema_field(AssessmentSerializer(many=True))
    def get_assessments(self, card):
        found = [
            assessment
            for dimension in card.dimensions
            for _indicator, assessment in dimension.cells
            if assessment is not None
        ]
        return AssessmentSerializer(found, many=True, context=self.context).data
