"""The admin's edit forms: the models' own rules, plus what only makes sense for a person
editing a record — figures checked against their original wording, and saves refused when
someone else saved the record after the form was opened. The admin supplies each form's
model and fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import Assessment, IndexIndicator, Project, Unit
from .wording import check_figure, unit_spellings

# Which field a disagreement with the original wording is shown on.
WORDING_PROBLEM_FIELDS = {
    "no_number": "original_wording",
    "value_mismatch": "value",
    "range_mismatch": "value_high",
    "unit_mismatch": "unit",
    "qualifier_mismatch": "qualifier",
    "qualifier_missing": "qualifier",
    "cumulative_missing": "cumulative",
}


def wording_errors(figure, spellings):
    """{field: [ValidationError]} for every way `figure`'s value, range, unit and qualifier
    disagree with its original wording (empty when they agree or the wording is missing).
    `spellings` comes from `unit_spellings`; pass it in when checking many figures."""
    if not figure.original_wording or figure.value is None or not figure.unit_id:
        return {}
    errors = {}
    for problem in check_figure(figure, spellings):
        field = WORDING_PROBLEM_FIELDS.get(problem.code, "original_wording")
        errors.setdefault(field, []).append(ValidationError(problem.message, code=problem.code))
    return errors


def current_version(model, pk):
    """The stored save counter of a record, locked until the transaction ends where the
    database can lock rows; None if the record no longer exists."""
    records = model._default_manager.filter(pk=pk)
    if connections[router.db_for_write(model)].in_atomic_block:
        records = records.select_for_update()
    return records.values_list("version", flat=True).first()


def last_change(model, pk):
    """Who saved a record last and when, from its edit history, as words for a message."""
    records = model.history.filter(**{model._meta.pk.attname: pk})
    latest = records.select_related("history_user").first()
    if latest is None:
        return _("someone")
    when = formats.date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
    if latest.history_user is None:
        return _("a script or import, at %(when)s") % {"when": when}
    return _("%(user)s, at %(when)s") % {"user": latest.history_user.get_username(), "when": when}


class ConflictCheckedForm(forms.ModelForm):
    """Carries the save counter the record had when the form was opened, and refuses to
    save if the record has been saved (or deleted) since: the editor reloads instead of
    overwriting. A page's own form is always checked, since the admin saves it even when
    nothing in it changed."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.instance.version

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name != "opened_version"]

    def will_be_saved(self):
        """Whether saving the page saves this form's record."""
        return True

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or not self.will_be_saved():
            return cleaned_data
        model = type(self.instance)
        stored = current_version(model, self.instance.pk)
        if stored is None:
            self.deleted_since_opened(model)
            return cleaned_data
        if cleaned_data.get("opened_version") != stored:
            raise ValidationError(
                _(
                    "This %(record)s was saved by %(who)s, after you opened this page. Your "
                    "changes were not saved, so as not to overwrite theirs. Reload the page "
                    "to see the current version, then make your changes again."
                ),
                code="edit_conflict",
                params={
                    "record": model._meta.verbose_name,
                    "who": last_change(model, self.instance.pk),
                },
            )
        # Saving adds one to the stored counter, whatever version a revert started from.
        self.instance.version = stored
        return cleaned_data

    def deleted_since_opened(self, model):
        raise ValidationError(
            _(
                "This %(record)s was deleted by someone else after you opened this page, "
                "so it was not saved. Reload the page to see the current records."
            ),
            code="edit_conflict_deleted",
            params={"record": model._meta.verbose_name},
        )


class InlineRowForm(ConflictCheckedForm):
    """A row of an inline on the case page (a figure, milestone or partner): checked only
    when it differs from the stored record, since only such rows are saved."""

    def will_be_saved(self):
        return self.has_changed()


class RevertForm(ConflictCheckedForm):
    """An old version, saved as the record's newest. It is checked against the save counter
    the record had when the revert page was opened (django-simple-history reads it from the
    stored record), and a record deleted since is brought back rather than refused."""

    def deleted_since_opened(self, model):
        return None


class ProjectForm(ConflictCheckedForm):
    """A case: published only with what a reader needs, its chosen issues and sources
    included (the model checks the rest, which it can see before they are saved)."""

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status", self.instance.status)
        if status == Project.Status.PUBLISHED:
            chosen = {}
            for name in ("issues", "sources"):
                if name in cleaned_data:
                    chosen[name] = cleaned_data[name]
                elif self.instance.pk is not None:  # a read-only field keeps what is stored
                    chosen[name] = getattr(self.instance, name).all()
            missing = self.instance.missing_to_publish(**chosen)
            for field in chosen:
                if field in missing:
                    self.add_error(
                        field if field in self.fields else None,
                        ValidationError(missing[field], code="required_to_publish"),
                    )
        return cleaned_data


class ProjectRevertForm(RevertForm, ProjectForm):
    """An old version of a case, checked like any edit before it is published again."""


class MetricForm(ConflictCheckedForm):
    """A figure: its value, range, unit and qualifier must say what its original wording
    says, and it must name its source, unit, as-of date and wording."""

    # The admin supplies the model and the fields; these messages are inherited.
    class Meta:
        error_messages = {
            "source": {"required": _("Choose the document this figure comes from.")},
            "locator": {"required": _("Say where in the document the figure is, e.g. a page.")},
            "unit": {"required": _("Choose the unit the figure counts in.")},
            "as_of": {"required": _("Give the date the figure held on (its as-of date).")},
            "as_of_precision": {
                "required": _("Say how precise the as-of date is: year, month or day.")
            },
            "original_wording": {
                "required": _("Copy the figure exactly as the document writes it, e.g. 约1.76万吨.")
            },
            "value": {"required": _("Give the value in base units, e.g. 17600 for 1.76万吨.")},
        }

    def full_clean(self):
        # After the model's own rules, so a negative count or a future date is reported as
        # such rather than as a disagreement with the wording.
        super().full_clean()
        if not self.is_bound or self.errors:
            return
        if not self.has_changed() and (self.instance.pk is not None or self.empty_permitted):
            return
        spellings = unit_spellings(Unit.objects.all())
        for field, errors in wording_errors(self.instance, spellings).items():
            for error in errors:
                self.add_error(field if field in self.fields else None, error)


class MetricRevertForm(RevertForm, MetricForm):
    """An old version of a figure: checked against its wording like any edit."""


class MetricRowForm(InlineRowForm, MetricForm):
    """A figure edited on its case's page."""


class AssessmentForm(ConflictCheckedForm):
    """An editor's assessment of one case on one indicator: only the indicators editors
    assess are offered, a level needs its evidence, and it is a proposal until reviewed."""

    level = forms.TypedChoiceField(
        label=_("level"),
        choices=[("", _("not assessed")), (0, "0"), (1, "1"), (2, "2")],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "indicator" in self.fields:
            self.fields["indicator"].queryset = IndexIndicator.objects.filter(
                method=IndexIndicator.Method.ASSESSED
            ).in_order()

    def clean(self):
        cleaned_data = super().clean()
        project, indicator = cleaned_data.get("project"), cleaned_data.get("indicator")
        if project and indicator:
            # Saving makes a proposal, a new one when a confirmed assessment is changed.
            pending = Assessment.objects.filter(
                project=project, indicator=indicator, status=Assessment.Status.PROPOSED
            ).exclude(pk=self.instance.pk)
            if pending.exists():
                raise ValidationError(
                    _(
                        "A proposal for this case and indicator is already awaiting review. "
                        "Change that one instead."
                    ),
                    code="proposal_pending",
                )
        return cleaned_data
