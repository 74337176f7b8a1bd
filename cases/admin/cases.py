"""The admin of cases with their partners, milestones and figures, publishing, and the figure
spreadsheets."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..forms import (
    MetricForm,
    MetricRevertForm,
    MetricRowForm,
    ProjectForm,
    ProjectRevertForm,
)
from ..importing import CaseExportMixin, FigureImportExportMixin
from ..models import (
    Metric,
    Milestone,
    Partnership,
    Project,
    SocialIssue,
)
from .base import (
    BILINGUAL_NAME_SEARCH,
    PART_CHANGES_SHOWN,
    CasebookAdmin,
    ConflictCheckedInline,
)

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
    (
        _("Provenance"),
        {"fields": ["source", ("locator", "locator_en"), "original_wording", "wording_context"]},
    ),
    (_("Editor's note"), {"fields": ["note_zh", "note_en"]}),
]


class PartnershipInline(ConflictCheckedInline, admin.TabularInline):
    model = Partnership
    fk_name = "project"
    extra = 0
    autocomplete_fields = ["company"]


class MilestoneInline(ConflictCheckedInline, admin.StackedInline):
    model = Milestone
    extra = 0
    autocomplete_fields = ["source"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("happened_on", "precision"),
                    ("text_zh", "text_en"),
                    ("source", "locator", "locator_en"),
                    ("note_zh", "note_en"),
                ]
            },
        )
    ]


class MetricInline(ConflictCheckedInline, admin.StackedInline):
    model = Metric
    fk_name = "project"
    form = MetricRowForm
    extra = 0
    fieldsets = METRIC_FIELDSETS
    autocomplete_fields = ["indicator", "unit", "source", "part_of"]
    show_change_link = True


class LaunchYearFilter(admin.SimpleListFilter):
    title = _("launch year")
    parameter_name = "launched"

    def lookups(self, request, model_admin):
        years = Project.objects.filter(launched_on__isnull=False).dates(
            "launched_on", "year", order="DESC"
        )
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        value = self.value()
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            return queryset.none()
        return queryset.filter(launched_on__year=int(value))


class HasFiguresFilter(admin.SimpleListFilter):
    title = _("has figures")
    parameter_name = "has_figures"

    def lookups(self, request, model_admin):
        return [("yes", _("with figures")), ("no", _("without figures"))]

    def queryset(self, request, queryset):
        with_figures = Exists(Metric.objects.filter(project=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(with_figures)
        if self.value() == "no":
            return queryset.filter(~with_figures)
        return queryset


@admin.register(Project)
class ProjectAdmin(CaseExportMixin, CasebookAdmin):
    form = ProjectForm
    revert_form = ProjectRevertForm
    list_display = [
        "name_zh",
        "name_en",
        "company",
        "issue_names",
        "figure_count",
        "status",
        "updated_at",
    ]
    list_filter = [
        "status",
        "issues",
        ("company", admin.RelatedOnlyFieldListFilter),
        LaunchYearFilter,
        HasFiguresFilter,
        "mechanism",
        "trigger",
    ]
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
    actions = ["publish", "unpublish"]
    object_history_template = "admin/cases/project/object_history.html"
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
        return (
            super()
            .get_queryset(request)
            .annotate(figure_count=Count("metrics"))
            .prefetch_related(Prefetch("issues", queryset=SocialIssue.objects.order_by("name_zh")))
        )

    def history_view(self, request, object_id, extra_context=None):
        """The case's own history, then the latest changes to its figures, milestones and
        partners — an inline edit is recorded on the row it changed."""
        changes = []
        for model in (Metric, Milestone, Partnership):
            records = (
                model.history.filter(project_id=object_id, history_user__isnull=False)
                .select_related("history_user")
                .order_by("-history_date")[:PART_CHANGES_SHOWN]
            )
            for change in records:
                change.kind = capfirst(model._meta.verbose_name)
                change.record = change.instance
                change.history_url = reverse(
                    f"admin:cases_{model._meta.model_name}_history", args=[change.id]
                )
                changes.append(change)
        changes.sort(key=lambda change: change.history_date, reverse=True)
        context = {"part_changes": changes[:PART_CHANGES_SHOWN], **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if not self.has_publish_permission(request):
            return [*readonly, "status"]
        return readonly

    def has_publish_permission(self, request):
        return request.user.has_perm("cases.publish_project")

    @admin.display(description=_("figures"), ordering="figure_count")
    def figure_count(self, project):
        return project.figure_count

    @admin.display(description=_("social issues"))
    def issue_names(self, project):
        return "、".join(issue.name_zh for issue in project.issues.all())

    @admin.action(description=_("Publish the selected cases"), permissions=["publish"])
    def publish(self, request, queryset):
        self.change_status(request, queryset, Project.Status.PUBLISHED)

    @admin.action(description=_("Return the selected cases to draft"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self.change_status(request, queryset, Project.Status.DRAFT)

    def change_status(self, request, queryset, status):
        """Each case is validated as its form would be (a published case needs its company,
        both summaries, an issue and a source) and saved on its own, so history records who
        changed it. Cases that fail are named and left as they were."""
        changed, refused = [], []
        for case in queryset.exclude(status=status):
            case.status = status
            try:
                case.full_clean()
                problems = case.publishable_errors() if status == Project.Status.PUBLISHED else []
            except ValidationError as error:
                problems = error.messages
            if problems:
                refused.append(f"{case.name_zh}: {' '.join(str(p) for p in problems)}")
                continue
            case._history_user = request.user
            case._change_reason = str(status.label)
            case.save()
            self.log_change(request, case, [{"changed": {"fields": ["status"]}}])
            changed.append(case)
        if changed:
            message = ngettext(
                "%(count)d case is now %(status)s.",
                "%(count)d cases are now %(status)s.",
                len(changed),
            ) % {"count": len(changed), "status": status.label}
            self.message_user(request, message, messages.SUCCESS)
        for reason in refused:
            self.message_user(
                request, _("Not changed: %(reason)s") % {"reason": reason}, messages.ERROR
            )
        if not changed and not refused:
            self.message_user(
                request,
                _("The selected cases were already %(status)s.") % {"status": status.label},
                messages.INFO,
            )


@admin.register(Partnership)
class PartnershipAdmin(CasebookAdmin):
    list_display = ["project", "company", "role"]
    list_filter = ["role"]
    list_select_related = ["project", "company"]
    search_fields = ["project__name_zh", "project__name_en", "company__name_zh", "company__name_en"]
    autocomplete_fields = ["project", "company"]


@admin.register(Milestone)
class MilestoneAdmin(CasebookAdmin):
    list_display = ["project", "happened_on", "precision", "text_zh"]
    list_select_related = ["project"]
    search_fields = ["text_zh", "text_en", "project__name_zh", "project__name_en"]
    autocomplete_fields = ["project", "source"]
    date_hierarchy = "happened_on"


@admin.register(Metric)
class MetricAdmin(FigureImportExportMixin, CasebookAdmin):
    form = MetricForm
    revert_form = MetricRevertForm
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
    autocomplete_fields = [
        "project",
        "company",
        "reported_with",
        "indicator",
        "unit",
        "source",
        "part_of",
    ]
    fieldsets = [
        (None, {"fields": ["project", "company", "industry_wide", "reported_with"]}),
        *METRIC_FIELDSETS,
    ]
