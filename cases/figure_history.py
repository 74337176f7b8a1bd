"""A figure's public history: each edit that changed something a reader sees, as before → after
in the page's language, newest first, with the edits that fixed a reader's report marked.

Edits that changed nothing public (a save without changes, a new slug) are left out. The
history rows come from django-simple-history (`Metric.history`)."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import format_partial_date
from .models import Correction, Metric
from .numbers import format_figure

# Fields read together as one thing a reader sees, each with how to write it.
GROUPED_FIELDS = [
    (gettext_lazy("value"), ("value", "value_high", "unit_id", "qualifier")),
    (gettext_lazy("as of"), ("as_of", "as_of_precision")),
    (gettext_lazy("belongs to"), ("project_id", "company_id", "industry_wide")),
    (gettext_lazy("period"), ("period_start", "period_end")),
]
# Fields shown as they are stored, under their own names.
PLAIN_FIELDS = [
    "label_zh",
    "label_en",
    "original_wording",
    "wording_context",
    "locator",
    "locator_en",
    "note_zh",
    "note_en",
]
YES_NO_FIELDS = ["cumulative", "as_of_inferred"]
RELATED_FIELDS = ["indicator_id", "source_id", "part_of_id", "reported_with_id"]
PUBLIC_FIELDS = [
    *(name for _label, names in GROUPED_FIELDS for name in names),
    *PLAIN_FIELDS,
    *YES_NO_FIELDS,
    *RELATED_FIELDS,
]
# What the history rows are read with, so that writing them out takes no further query.
RELATED = [
    "unit",
    "indicator__unit",
    "source",
    "part_of",
    "project",
    "company",
    "reported_with",
]


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    """One public edit of a figure: when, what changed, whether it fixed a reader's report."""

    date: object
    recorded: bool = False
    corrected: bool = False
    changes: list = field(default_factory=list)


def public_history(figure):
    """`figure`'s public edits, newest first: its first record, then every edit that changed
    what a reader sees or that an accepted reader's report names as its fix."""
    records = list(
        Metric.history.filter(id=figure.pk)
        .select_related(*RELATED)
        .order_by("history_date", "history_id")
    )
    fixes = set(Correction.objects.fixes_of(figure).values_list("fixed_by_id", flat=True))
    entries = []
    previous = None
    for record in records:
        date = timezone.localtime(record.history_date).date()
        corrected = record.history_id in fixes
        if previous is None:
            entries.append(Entry(date=date, recorded=True, corrected=corrected))
        else:
            changes = public_changes(previous, record)
            if changes or corrected:
                entries.append(Entry(date=date, corrected=corrected, changes=changes))
        previous = record
    return entries[::-1]


def changed(before, after, names):
    return any(getattr(before, name) != getattr(after, name) for name in names)


def public_changes(before, after):
    """What a reader would see changed between two history rows of one figure."""
    changes = []
    for label, names in GROUPED_FIELDS:
        if changed(before, after, names):
            changes.append(Change(capfirst(str(label)), *_pair(before, after, names)))
    for name in [*RELATED_FIELDS, *YES_NO_FIELDS, *PLAIN_FIELDS]:
        if changed(before, after, [name]):
            field_name = name.removesuffix("_id")
            label = capfirst(str(Metric._meta.get_field(field_name).verbose_name))
            changes.append(Change(label, describe(before, name), describe(after, name)))
    return changes


def _pair(before, after, names):
    if "value" in names:
        return figure_text(before), figure_text(after)
    if "as_of" in names:
        return as_of_text(before), as_of_text(after)
    if "project_id" in names:
        return owner_text(before), owner_text(after)
    return period_text(before), period_text(after)


NONE = gettext_lazy("none")


def describe(record, name):
    """One field of a history row as a reader reads it."""
    value = getattr(record, name)
    if name in YES_NO_FIELDS:
        return _("yes") if value else _("no")
    if value in (None, ""):
        return str(NONE)
    if name in RELATED_FIELDS:
        related = getattr(record, name.removesuffix("_id"))
        if name == "source_id":
            return str(related.title)
        if name == "part_of_id":
            return f"{related.label} {related.original_wording}"
        return str(related.name)
    return str(value)


def figure_text(record):
    indicator = record.indicator
    unit = indicator.display_unit if record.unit_id == indicator.unit_id else record.unit
    return format_figure(record.value, record.value_high, unit, record.qualifier)


def as_of_text(record):
    return format_partial_date(record.as_of, record.as_of_precision)


def owner_text(record):
    if record.industry_wide:
        return _("industry-wide")
    owner = record.project or record.company
    return str(owner.name) if owner else str(NONE)


def period_text(record):
    if not (record.period_start or record.period_end):
        return str(NONE)
    return f"{record.period_start or '…'} – {record.period_end or '…'}"
