"""The admin of the records cases refer to: units, goals, companies, issues, sources and
indicators, and the synonyms search looks for."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import (
    SDG,
    Company,
    Indicator,
    IssueAlias,
    Project,
    SocialIssue,
    Source,
    SynonymGroup,
    Unit,
)
from .base import (
    BILINGUAL_NAME_SEARCH,
    CasebookAdmin,
    ConflictCheckedInline,
)


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
        """A source that a case, figure, milestone or index assessment cites cannot be
        deleted: those protect their source already; cases cite theirs through a list, which
        would otherwise lose the source silently. The page names what cites it, which is the
        reason, rather than the kinds of record the editor may not delete."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        citing_cases = Project.objects.filter(sources__in=objs).distinct().order_by("name_zh")
        protected = [
            *protected,
            *(_("case: %(case)s") % {"case": case} for case in citing_cases),
        ]
        if protected:
            perms_needed = set()
        return deleted, counts, perms_needed, protected


@admin.register(Indicator)
class IndicatorAdmin(CasebookAdmin):
    list_display = ["name_zh", "name_en", "category", "unit", "slug"]
    list_filter = ["category", "unit"]
    list_select_related = ["unit"]
    search_fields = [*BILINGUAL_NAME_SEARCH]
    autocomplete_fields = ["unit"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(SynonymGroup)
class SynonymGroupAdmin(CasebookAdmin):
    list_display = ["slug", "terms_zh", "terms_en"]
    search_fields = ["slug", "terms_zh", "terms_en", "note"]
    fields = ["slug", "terms_zh", "terms_en", "note"]
