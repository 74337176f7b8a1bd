"""The queue of readers' reports: editors read each one, accept or decline it with a reply
note, and link an accepted report to the edit that fixed the figure."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..corrections import CorrectionAdminForm
from ..models import Correction
from .base import CasebookAdmin


@admin.register(Correction)
class CorrectionAdmin(CasebookAdmin):
    """Reports come from readers; the reader's own words and e-mail are shown as sent and
    cannot be changed."""

    form = CorrectionAdminForm
    list_display = ["created_at", "subject_display", "summary", "status", "decided_at"]
    list_display_links = ["created_at", "subject_display"]
    list_filter = ["status"]
    show_facets = admin.ShowFacets.ALWAYS
    list_select_related = ["figure__project", "figure__company", "case"]
    search_fields = [
        "what_is_wrong",
        "figure__slug",
        "figure__label_zh",
        "figure__label_en",
        "case__slug",
        "case__name_zh",
        "case__name_en",
    ]
    ordering = ["-created_at", "-pk"]
    autocomplete_fields = ["figure", "case"]
    readonly_fields = [
        "subject_links",
        "what_is_wrong",
        "evidence",
        "email",
        "created_at",
        "decided_at",
    ]
    fieldsets = [
        (
            _("The report"),
            {"fields": ["subject_links", "what_is_wrong", "evidence", "email", "created_at"]},
        ),
        (_("Decision"), {"fields": ["status", "reply_note", "fixed_by", "decided_at"]}),
    ]

    @admin.display(description=_("about"))
    def subject_display(self, report):
        return report.subject

    @admin.display(description=_("what is wrong"))
    def summary(self, report):
        return Truncator(report.what_is_wrong).chars(80)

    @admin.display(description=_("about"))
    def subject_links(self, report):
        """The public page the report is about, and where an editor fixes it."""
        if report.figure_id:
            edit = reverse("admin:cases_metric_change", args=[report.figure_id])
        else:
            edit = reverse("admin:cases_project_change", args=[report.case_id])
        return format_html(
            '{} · <a href="{}">{}</a> · <a href="{}">{}</a>',
            report.subject,
            report.subject.get_absolute_url(),
            _("public page"),
            edit,
            _("edit in the admin"),
        )

    def has_add_permission(self, request):
        """Readers send reports from the site; a superuser may record one that came another
        way (a letter, a call)."""
        return request.user.is_superuser

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = ["figure", "case", "what_is_wrong", "evidence", "email"]
            return [(_("The report"), {"fields": fields})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def changelist_view(self, request, extra_context=None):
        new = Correction.objects.new().count()
        title = _("Readers' reports (%(count)s new)") % {"count": new}
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            decided = obj.status != Correction.Status.NEW
            obj.decided_at = timezone.now() if decided else None
        super().save_model(request, obj, form, change)
