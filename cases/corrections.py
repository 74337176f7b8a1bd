"""Readers' reports of a wrong figure or case: the public form a reader fills in, and the form
editors decide on a report with in the admin."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .figure_history import figure_text
from .forms import ConflictCheckedForm
from .models import Correction, Metric

# The field a person never sees (hidden by the stylesheet, skipped by keyboard and screen
# readers) and a form-filling robot fills in: a report with it filled is dropped quietly.
HONEYPOT = "website"
# Control characters a person does not type; tabs and line breaks are kept.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(value):
    if "\x00" in value:
        raise ValidationError(
            _("The text contains a null character (NUL). Please type or paste it again."),
            code="null_character",
        )
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("The text contains invisible control characters. Please type or paste it again."),
            code="control_character",
        )


TOO_LONG = _("Please keep this to %(limit_value)s characters at most (it has %(show_value)s).")


class ReportForm(forms.ModelForm):
    """A reader's report: what is wrong, optional evidence and an optional e-mail address.
    The figure or case it is about comes with the instance the view passes in."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Correction
        fields = ["what_is_wrong", "evidence", "email"]
        labels = {
            "what_is_wrong": _("What is wrong?"),
            "evidence": _("Evidence (optional)"),
            "email": _("Your e-mail (optional)"),
        }
        help_texts = {
            "what_is_wrong": _(
                "e.g. The report gives 22,859 people on page 20, not 22,589. Up to 2,000 "
                "characters."
            ),
            "evidence": _(
                "A link or the words of a document that show it. Up to 1,000 characters."
            ),
            "email": _("Only if you would like a reply. It is never shown on the site."),
        }
        widgets = {
            "what_is_wrong": forms.Textarea(attrs={"rows": 5}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "what_is_wrong": {
                "required": _("Please say what is wrong."),
                "max_length": TOO_LONG,
            },
            "evidence": {"max_length": TOO_LONG},
            "email": {
                "invalid": _(
                    "This is not an e-mail address we can reply to, e.g. name@example.org."
                ),
                "max_length": TOO_LONG,
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Our own check of NUL and other control characters replaces Django's, which names
        # only NUL.
        for name in self.Meta.fields:
            field = self.fields[name]
            kept = [
                validator
                for validator in field.validators
                if not isinstance(validator, ProhibitNullCharactersValidator)
            ]
            field.validators = [refuse_control_characters, *kept]
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    @property
    def is_from_a_robot(self):
        """Whether the field people never see was filled in."""
        return bool(self.data.get(HONEYPOT, "").strip())


class FixChoiceField(forms.ModelChoiceField):
    """An edit of the figure, named by when, by whom, and the value it gave."""

    def label_from_instance(self, record):
        when = formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
        who = record.history_user.get_username() if record.history_user else _("a script")
        return f"{when} · {who} · {figure_text(record)} · {record.original_wording}"


class CorrectionAdminForm(ConflictCheckedForm):
    """An editor's decision: accepted or declined, a reply note, and for an accepted report
    the edit that fixed it, chosen among the edits of its figure (or, for a case, of the
    case's figures) made since the report came in."""

    fixed_by = FixChoiceField(
        queryset=Metric.history.none(),
        required=False,
        label=_("fixed by the edit"),
        help_text=_(
            "Edits made since the report came in. The figure's public history then says it "
            "was corrected after a reader's report, on that edit's date."
        ),
    )

    class Meta:
        model = Correction
        fields = ["status", "reply_note", "fixed_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        edits = Metric.history.none()
        if report.figure_id:
            edits = Metric.history.filter(id=report.figure_id)
        elif report.case_id:
            edits = Metric.history.filter(project_id=report.case_id)
        if report.created_at:
            edits = edits.filter(history_date__gte=report.created_at)
        self.fields["fixed_by"].queryset = edits.select_related(
            "unit", "indicator__unit", "history_user"
        ).order_by("-history_date", "-history_id")
