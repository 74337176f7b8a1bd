from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import (
    SDG,
    Company,
    Indicator,
    Metric,
    Milestone,
    Partnership,
    Project,
    SocialIssue,
    Source,
    Unit,
)

BILINGUAL_NAME_SEARCH = ["slug", "name_zh", "name_en"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["symbol", "name_zh", "name_en", "kind"]
    list_filter = ["kind"]
    search_fields = ["symbol", "name_zh", "name_en", "aliases"]


@admin.register(SDG)
class SDGAdmin(admin.ModelAdmin):
    list_display = ["number", "name_zh", "name_en", "colour"]
    search_fields = ["name_zh", "name_en", "=number"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "kind", "parent", "slug"]
    list_filter = ["kind", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = [*BILINGUAL_NAME_SEARCH, "aliases"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name_en"]}
    fieldsets = [
        (None, {"fields": ["name_zh", "name_en", "slug", "aliases", "kind", "parent", "website"]}),
        (_("Description"), {"fields": ["description_zh", "description_en"]}),
    ]


@admin.register(SocialIssue)
class SocialIssueAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "vocabulary", "parent", "slug"]
    list_filter = ["vocabulary", "sdgs"]
    list_select_related = ["parent"]
    search_fields = [*BILINGUAL_NAME_SEARCH, "aliases"]
    autocomplete_fields = ["parent", "sdgs"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title_zh", "kind", "publisher_zh", "published_on", "file_name"]
    list_filter = ["kind", "language"]
    search_fields = ["slug", "title_zh", "title_en", "publisher_zh", "publisher_en", "file_name"]
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "published_on"


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "name_en", "category", "unit", "slug"]
    list_filter = ["category", "unit"]
    list_select_related = ["unit"]
    search_fields = [*BILINGUAL_NAME_SEARCH]
    autocomplete_fields = ["unit"]
    prepopulated_fields = {"slug": ["name_en"]}


METRIC_FIELDSETS = [
    (None, {"fields": ["slug", "indicator", "label_zh", "label_en"]}),
    (
        _("Figure"),
        {
            "fields": [
                ("value", "value_high", "unit"),
                ("qualifier", "cumulative"),
                ("as_of", "as_of_precision", "as_of_inferred"),
                ("period_start", "period_end"),
                "part_of",
            ]
        },
    ),
    (_("Provenance"), {"fields": ["source", "locator", "original_wording"]}),
    (_("Editor's note"), {"fields": ["note_zh", "note_en"]}),
]


class PartnershipInline(admin.TabularInline):
    model = Partnership
    fk_name = "project"
    extra = 0
    autocomplete_fields = ["company"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    autocomplete_fields = ["source"]


class MetricInline(admin.StackedInline):
    model = Metric
    extra = 0
    fieldsets = METRIC_FIELDSETS
    autocomplete_fields = ["indicator", "unit", "source", "part_of"]
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "name_zh",
        "name_en",
        "company",
        "launched_on",
        "figure_count",
        "status",
        "updated_at",
    ]
    list_filter = ["status", "issues", "trigger", "mechanism", "company__kind"]
    list_select_related = ["company"]
    search_fields = [
        *BILINGUAL_NAME_SEARCH,
        "aliases",
        "company__name_zh",
        "company__name_en",
        "company__aliases",
    ]
    autocomplete_fields = ["company", "issues", "sources"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PartnershipInline, MilestoneInline, MetricInline]
    fieldsets = [
        (None, {"fields": ["name_zh", "name_en", "slug", "aliases", "status"]}),
        (
            _("Who and what"),
            {
                "fields": [
                    "company",
                    "issues",
                    ("launched_on", "launched_precision"),
                    ("trigger", "mechanism"),
                    "sources",
                ]
            },
        ),
        (_("Summary"), {"fields": ["summary_zh", "summary_en"]}),
        (_("Goal"), {"fields": ["goal_zh", "goal_en"]}),
        (_("Practice"), {"fields": ["practice_zh", "practice_en"]}),
        (_("Innovation"), {"fields": ["innovation_zh", "innovation_en"]}),
        (_("Editor's note"), {"fields": ["note_zh", "note_en"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(figure_count=Count("metrics"))

    @admin.display(description=_("figures"), ordering="figure_count")
    def figure_count(self, project):
        return project.figure_count


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["project", "company", "role"]
    list_filter = ["role"]
    list_select_related = ["project", "company"]
    search_fields = ["project__name_zh", "project__name_en", "company__name_zh", "company__name_en"]
    autocomplete_fields = ["project", "company"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["project", "happened_on", "precision", "text_zh"]
    list_select_related = ["project"]
    search_fields = ["text_zh", "text_en", "project__name_zh", "project__name_en"]
    autocomplete_fields = ["project", "source"]
    date_hierarchy = "happened_on"


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = [
        "label_zh",
        "project",
        "company",
        "original_wording",
        "as_of",
        "indicator",
        "source",
    ]
    list_filter = ["industry_wide", "indicator__category", "cumulative", "as_of_inferred", "source"]
    list_select_related = ["project", "company", "indicator__unit", "source"]
    search_fields = [
        "slug",
        "label_zh",
        "label_en",
        "original_wording",
        "project__name_zh",
        "project__name_en",
        "company__name_zh",
        "company__name_en",
    ]
    autocomplete_fields = ["project", "company", "indicator", "unit", "source", "part_of"]
    fieldsets = [
        (None, {"fields": ["project", "company", "industry_wide"]}),
        *METRIC_FIELDSETS,
    ]
