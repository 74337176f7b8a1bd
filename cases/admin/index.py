"""The admin of the social value impact index: editors propose assessments and a reviewer
confirms them."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..forms import (
    AssessmentForm,
)
from ..models import Assessment, IndexDimension, IndexIndicator
from .base import (
    CasebookAdmin,
)


@admin.register(Assessment)
class AssessmentAdmin(CasebookAdmin):
    """Index assessments: editors propose, a second account with the review permission
    confirms; only confirmed assessments are public. Derived ones are read-only here: they
    follow the data they are derived from."""

    form = AssessmentForm
    list_display = [
        "project",
        "indicator",
        "level_display",
        "status",
        "derived",
        "proposed_by",
        "reviewed_by",
    ]
    list_filter = ["status", "derived", "indicator__dimension", "indicator"]
    list_select_related = ["project", "indicator", "proposed_by", "reviewed_by"]
    search_fields = [
        "project__slug",
        "project__name_zh",
        "project__name_en",
        "indicator__name_zh",
        "indicator__name_en",
        "evidence_zh",
        "evidence_en",
    ]
    autocomplete_fields = ["project", "source"]
    readonly_fields = ["status", "derived", "proposed_by", "reviewed_by"]
    actions = ["confirm"]
    fieldsets = [
        (None, {"fields": ["project", "indicator", "level"]}),
        (
            _("Evidence"),
            {
                "fields": [
                    "evidence_zh",
                    "evidence_en",
                    "quotation",
                    "source",
                    ("locator", "locator_en"),
                ]
            },
        ),
        (_("Review"), {"fields": ["status", "derived", "proposed_by", "reviewed_by"]}),
    ]

    @admin.display(description=_("level"))
    def level_display(self, assessment):
        return assessment.level_display

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.derived:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        """Editors withdraw proposals; a confirmed assessment is replaced by confirming a new
        proposal, or removed by a superuser."""
        if obj is not None and (obj.derived or obj.status == Assessment.Status.CONFIRMED):
            return request.user.is_superuser and not obj.derived
        return super().has_delete_permission(request, obj)

    def has_review_permission(self, request):
        return request.user.has_perm("cases.review_assessment")

    def save_model(self, request, obj, form, change):
        if change and obj.status == Assessment.Status.CONFIRMED:
            # The confirmed assessment stays public until the change is reviewed.
            obj.pk = None
            obj._state.adding = True
            obj.version = 1
        obj.status = Assessment.Status.PROPOSED
        obj.proposed_by = request.user
        obj.reviewed_by = None
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Confirm the selected proposals"), permissions=["review"])
    def confirm(self, request, queryset):
        """Each proposal replaces the case's confirmed assessment of its indicator. Nobody
        confirms their own proposal."""
        confirmed, refused = 0, []
        for proposal in queryset.select_related("project", "indicator"):
            if proposal.status != Assessment.Status.PROPOSED:
                refused.append(_("%(assessment)s is not a proposal.") % {"assessment": proposal})
            elif proposal.proposed_by_id == request.user.pk:
                refused.append(
                    _("%(assessment)s is your own proposal; another reviewer confirms it.")
                    % {"assessment": proposal}
                )
            else:
                with transaction.atomic():
                    replaced = Assessment.objects.filter(
                        project=proposal.project_id,
                        indicator=proposal.indicator_id,
                        status=Assessment.Status.CONFIRMED,
                    )
                    for old in replaced:
                        old._history_user = request.user
                        old._change_reason = "replaced by a confirmed proposal"
                        old.delete()
                    proposal.status = Assessment.Status.CONFIRMED
                    proposal.reviewed_by = request.user
                    proposal._history_user = request.user
                    proposal._change_reason = "confirmed"
                    proposal.save()
                    self.log_change(request, proposal, [{"changed": {"fields": ["status"]}}])
                confirmed += 1
        if confirmed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d assessment is confirmed and now public.",
                    "%(count)d assessments are confirmed and now public.",
                    confirmed,
                )
                % {"count": confirmed},
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)


@admin.register(IndexDimension)
class IndexDimensionAdmin(CasebookAdmin):
    list_display = ["position", "name_zh", "name_en"]


@admin.register(IndexIndicator)
class IndexIndicatorAdmin(CasebookAdmin):
    list_display = ["name_zh", "name_en", "dimension", "method"]
    list_filter = ["dimension", "method"]
    list_select_related = ["dimension"]
