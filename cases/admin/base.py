"""What every casebook admin shares: edit history with diffs and revert, and forms that
refuse to save over a change someone else saved after the page was opened."""

from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import is_historic

from ..forms import (
    ConflictCheckedForm,
    InlineRowForm,
    RevertForm,
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
