"""The admin where editors keep the casebook current.

Every model keeps an edit history with diffs and revert (django-simple-history), and every
edit form refuses to save over a change someone else saved after it was opened. Roles come
from the "editors" and "viewers" groups (see migration 0005)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import is_historic

from .forms import (
    ConflictCheckedForm,
    InlineRowForm,
    MetricForm,
    MetricRevertForm,
    MetricRowForm,
    ProjectForm,
    ProjectRevertForm,
    RevertForm,
)
from .importing import CaseExportMixin, FigureImportExportMixin
from .models import (
    SDG,
    Company,
    Indicator,
    IssueAlias,
    Metric,
    Milestone,
    Partnership,
    Project,
    SocialIssue,
    Source,
    Unit,
)

BILINGUAL_NAME_SEARCH = ["slug", "name_zh", "name_en"]
VERSION_FIELD = "opened_version"
PART_CHANGES_SHOWN = 30


def placed_version_field(fieldsets, can_save):
    """`fieldsets` with the hidden save-counter field in the first fieldset when the form can
    be saved, and nowhere when it is read-only (a viewer would see it as an empty row)."""
    if can_save == (VERSION_FIELD in flatten_fieldsets(fieldsets)):
        return fieldsets
    placed = []
    for index, (title, options) in enumerate(fieldsets):
        fields = [field for field in options.get("fields", []) if field != VERSION_FIELD]
        if can_save and index == 0:
            fields.append(VERSION_FIELD)
        placed.append((title, {**options, "fields": fields}))
    return placed


class SaveCounterFieldsets:
    """Forms that can be saved carry the record's save counter; read-only ones do not."""

    def get_fieldsets(self, request, obj=None):
        can_save = obj is not None and self.has_change_permission(request, obj)
        return placed_version_field(super().get_fieldsets(request, obj), can_save)


class ConflictCheckedInline(SaveCounterFieldsets):
    """Inline rows carry their save counter too, so a figure changed elsewhere since the case
    page was opened is not overwritten."""

    form = InlineRowForm


class CasebookAdmin(SaveCounterFieldsets, SimpleHistoryAdmin):
    """History with diffs and revert for every record, and edit-conflict checks: `form` edits
    the current record, `revert_form` saves an old version as the newest."""

    form = ConflictCheckedForm
    revert_form = RevertForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and is_historic(obj):
            kwargs.setdefault("form", self.revert_form)
        return super().get_form(request, obj, change=change, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Viewers may look at an old version; only those who may change the record revert."""
        if request.method == "POST":
            record = self.get_object(request, object_id)
            if not self.has_change_permission(request, record):
                raise PermissionDenied
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Unit)
class UnitAdmin(CasebookAdmin):
    list_display = ["symbol", "name_zh", "name_en", "kind"]
    list_filter = ["kind"]
    search_fields = ["symbol", "name_zh", "name_en", "aliases"]


@admin.register(SDG)
class SDGAdmin(CasebookAdmin):
    list_display = ["number", "name_zh", "name_en", "colour"]
    search_fields = ["name_zh", "name_en", "=number"]


@admin.register(Company)
class CompanyAdmin(CasebookAdmin):
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


class IssueAliasInline(ConflictCheckedInline, admin.TabularInline):
    model = IssueAlias
    extra = 0
    fields = ["name_zh", "name_en", "vocabulary", "slug"]


@admin.register(SocialIssue)
class SocialIssueAdmin(CasebookAdmin):
    inlines = [IssueAliasInline]
    list_display = ["name_zh", "name_en", "vocabulary", "parent", "slug"]
    list_filter = ["vocabulary", "sdgs"]
    list_select_related = ["parent"]
    search_fields = [
        *BILINGUAL_NAME_SEARCH,
        "aliases",
        "other_names__name_zh",
        "other_names__name_en",
        "other_names__slug",
    ]
    autocomplete_fields = ["parent", "sdgs"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Source)
class SourceAdmin(CasebookAdmin):
    list_display = ["title_zh", "kind", "publisher_zh", "published_on", "file_name"]
    list_filter = ["kind", "language"]
    search_fields = ["slug", "title_zh", "title_en", "publisher_zh", "publisher_en", "file_name"]
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "published_on"

    def get_deleted_objects(self, objs, request):
        """A source that a case, figure or milestone cites cannot be deleted: figures and
        milestones protect their source already; cases cite theirs through a list, which
        would otherwise lose the source silently."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        citing_cases = Project.objects.filter(sources__in=objs).distinct().order_by("name_zh")
        protected = [
            *protected,
            *(_("case: %(case)s") % {"case": case} for case in citing_cases),
        ]
        return deleted, counts, perms_needed, protected


@admin.register(Indicator)
class IndicatorAdmin(CasebookAdmin):
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
    (_("Provenance"), {"fields": ["source", "locator", "original_wording", "wording_context"]}),
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
                    ("source", "locator"),
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
