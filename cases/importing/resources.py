"""What a row of a cases or figures file holds, and how an imported figure is checked."""

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ValidationError,
)
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader

from ..forms import MetricForm, wording_errors
from ..models import Company, Indicator, Metric, Project, Source, Unit
from ..spreadsheet import FIGURE_VALUE_COLUMNS
from ..wording import unit_spellings
from .cells import BySlug, Day, Moment, Number, SlugList, Text, YesNo


class CaseResource(resources.ModelResource):
    slug = Field("slug", "slug", Text())
    name_zh = Field("name_zh", "name_zh", Text())
    name_en = Field("name_en", "name_en", Text())
    company = Field("company", "company", BySlug(Company))
    status = Field("status", "status", Text())
    launched_on = Field("launched_on", "launched_on", Day())
    launched_precision = Field("launched_precision", "launched_precision", Text())
    mechanism = Field("mechanism", "mechanism", Text())
    trigger = Field("trigger", "trigger", Text())
    issues = Field("issues", "issues", SlugList())
    sources = Field("sources", "sources", SlugList())
    summary_zh = Field("summary_zh", "summary_zh", Text())
    summary_en = Field("summary_en", "summary_en", Text())
    last_edited = Field("updated_at", "last_edited", Moment())

    class Meta:
        model = Project
        fields = [
            "slug",
            "name_zh",
            "name_en",
            "company",
            "status",
            "launched_on",
            "launched_precision",
            "mechanism",
            "trigger",
            "issues",
            "sources",
            "summary_zh",
            "summary_en",
            "last_edited",
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("company").prefetch_related("issues", "sources")


class FiguresBySlug(BaseInstanceLoader):
    """The stored figures a file names, read in one query."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        slugs = set()
        if dataset is not None and "slug" in (dataset.headers or []):
            slugs = {Text().clean(value) for value in dataset["slug"]}
        # Only plausible slugs are looked up: PostgreSQL refuses a query holding a NUL.
        slugs = {slug for slug in slugs if slug.isascii() and "\x00" not in slug}
        figures = resource.get_queryset().filter(slug__in=slugs)
        self.figures = {figure.slug: figure for figure in figures}

    def get_instance(self, row):
        return self.figures.get(Text().clean(row.get("slug")))


FIGURE_COLUMNS = [
    "slug",
    "case",
    "company",
    "industry_wide",
    "reported_with",
    "indicator",
    *FIGURE_VALUE_COLUMNS,
    "source",
    "locator",
    "original_wording",
    "wording_context",
    "note_zh",
    "note_en",
]
REQUIRED_FIGURE_COLUMNS = [
    "slug",
    "indicator",
    "label_zh",
    "value",
    "unit",
    "as_of",
    "as_of_precision",
    "source",
    "locator",
    "original_wording",
]
OWNER_COLUMNS = ["case", "company", "industry_wide"]
RELATED_FIELDS = ["project", "company", "reported_with", "indicator", "unit", "part_of", "source"]
# Metric.clean() states the rules of these constraints itself, with a message on the field at
# fault; leaving them to the database saves a query per constraint and row (with the skipped
# related-record queries, over half of what a preview took). Any other constraint is checked
# as Django would.
STATED_BY_CLEAN = {
    "metric_high_not_below_low",
    "metric_owner_or_industry_wide",
    "metric_reported_with_company_figure",
    "metric_period_in_order",
}
# Fields the wording check reads: when one of them is already wrong, the check would only
# repeat the problem.
WORDING_FIELDS = {"original_wording", "value", "value_high", "unit", "qualifier", "cumulative"}


def choice_message(field, params):
    model_field = Metric._meta.get_field(field)
    values = {
        "value": Truncator(str((params or {}).get("value", ""))).chars(40),
        "choices": ", ".join(key for key, _label in model_field.choices if key),
    }
    if model_field.blank:
        return (
            _("“%(value)s” is not allowed here. Leave the cell empty or use one of: %(choices)s.")
            % values
        )
    return _("“%(value)s” is not allowed here. Use one of: %(choices)s.") % values


class FigureResource(resources.ModelResource):
    slug = Field("slug", "slug", Text())
    case = Field("project", "case", BySlug(Project))
    company = Field("company", "company", BySlug(Company))
    industry_wide = Field("industry_wide", "industry_wide", YesNo())
    reported_with = Field("reported_with", "reported_with", BySlug(Project))
    indicator = Field("indicator", "indicator", BySlug(Indicator, select_related=["unit"]))
    label_zh = Field("label_zh", "label_zh", Text())
    label_en = Field("label_en", "label_en", Text())
    value = Field("value", "value", Number())
    value_high = Field("value_high", "value_high", Number())
    unit = Field("unit", "unit", BySlug(Unit, field="symbol"))
    qualifier = Field("qualifier", "qualifier", Text())
    cumulative = Field("cumulative", "cumulative", YesNo())
    as_of = Field("as_of", "as_of", Day())
    as_of_precision = Field("as_of_precision", "as_of_precision", Text())
    as_of_inferred = Field("as_of_inferred", "as_of_inferred", YesNo())
    period_start = Field("period_start", "period_start", Day())
    period_end = Field("period_end", "period_end", Day())
    part_of = Field("part_of", "part_of", BySlug(Metric, cached=False))
    source = Field("source", "source", BySlug(Source))
    locator = Field("locator", "locator", Text())
    original_wording = Field("original_wording", "original_wording", Text())
    wording_context = Field("wording_context", "wording_context", Text())
    note_zh = Field("note_zh", "note_zh", Text())
    note_en = Field("note_en", "note_en", Text())

    class Meta:
        model = Metric
        fields = FIGURE_COLUMNS
        import_id_fields = ["slug"]
        instance_loader_class = FiguresBySlug
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return Metric.objects.select_related(
            "project", "company", "reported_with", "indicator__unit", "unit", "part_of", "source"
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(
            "project", "company", "reported_with", "indicator", "unit", "part_of", "source"
        )

    @classmethod
    def column_problem(cls, headers):
        """One message naming what is wrong with a file's columns, or None."""
        missing = [column for column in REQUIRED_FIGURE_COLUMNS if column not in headers]
        if not any(column in headers for column in OWNER_COLUMNS):
            missing.append(" / ".join(OWNER_COLUMNS))
        unknown = [
            header or str(_("a column without a header"))
            for header in headers
            if header not in FIGURE_COLUMNS
        ]
        repeated = sorted({header for header in headers if header and headers.count(header) > 1})
        if not (missing or unknown or repeated):
            return None
        parts = []
        if missing:
            parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(
                _("Unknown columns: %(columns)s.")
                % {"columns": ", ".join(Truncator(header).chars(40) for header in unknown)}
            )
        if repeated:
            parts.append(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)})
        parts.append(
            _(
                "A figures file has the columns of a figures export: %(columns)s (the ones "
                "you do not fill may be left out)."
            )
            % {"columns": ", ".join(FIGURE_COLUMNS)}
        )
        return " ".join(str(part) for part in parts)

    def before_import(self, dataset, **kwargs):
        self.spellings = unit_spellings(Unit.objects.all())
        first_row = {}
        self.repeats = {}
        if "slug" in (dataset.headers or []):
            for number, value in enumerate(dataset["slug"], 1):
                slug = Text().clean(value)
                if slug in first_row:
                    self.repeats[number] = first_row[slug]
                elif slug:
                    first_row[slug] = number

    def before_import_row(self, row, **kwargs):
        errors = {}
        for column, value in row.items():
            if isinstance(value, str) and "\x00" in value:
                # PostgreSQL cannot store it, and a query holding it would fail.
                errors[column] = _(
                    "This cell holds an invisible NUL character, which cannot be stored. "
                    "Delete the cell's text and type it again."
                )
        number = kwargs.get("row_number")
        if number in self.repeats:
            errors.setdefault(
                "slug",
                _("This slug is also on row %(row)s; a file can hold each figure only once.")
                % {"row": self.repeats[number]},
            )
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged figures are skipped, compared by stored value (related records by id,
        so that no record is read again for the comparison)."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        names = [
            Metric._meta.get_field(field.attribute).attname for field in self.get_import_fields()
        ]
        return all(getattr(instance, name) == getattr(original, name) for name in names)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A cell that could not be read is reported alone: what the figure's own checks say
        # about the missing value (e.g. "choose a case") would only repeat it.
        errors = {
            field: list(problems) for field, problems in (import_validation_errors or {}).items()
        }
        # Related records were just found by slug, so Django need not query each again; and
        # the slug is unique by construction: it matched this figure or none, and a file may
        # name each figure once.
        found = {name for name in RELATED_FIELDS if getattr(instance, f"{name}_id") is not None}
        try:
            instance.full_clean(
                exclude={*errors, *found}, validate_unique=False, validate_constraints=False
            )
        except ValidationError as invalid:
            for field, problems in invalid.error_dict.items():
                errors.setdefault(field, problems)
        if validate_unique:
            try:
                instance.validate_unique(exclude={*errors, *found, "slug"})
            except ValidationError as invalid:
                invalid.update_error_dict(errors)
        for model, constraints in instance.get_constraints():
            for constraint in constraints:
                if constraint.name in STATED_BY_CLEAN:
                    continue
                try:
                    constraint.validate(model, instance, exclude=set(errors))
                except ValidationError as invalid:
                    invalid.update_error_dict(errors)
        if not WORDING_FIELDS & errors.keys():
            for field, problems in wording_errors(instance, self.spellings).items():
                errors.setdefault(field, []).extend(problems)
        if errors:
            raise ValidationError(self.readable_errors(errors))

    def readable_errors(self, errors):
        """`errors` under the file's column names, with the figure form's wording for empty
        cells and the allowed values for a value that is not one of them."""
        columns = {field.attribute: field.column_name for field in self.get_import_fields()}
        form_messages = MetricForm.Meta.error_messages
        readable = {}
        for field, problems in errors.items():
            column = columns.get(field, field)
            for problem in ValidationError(problems).error_list:
                code = getattr(problem, "code", None)
                if code in ("null", "blank"):
                    message = form_messages.get(field, {}).get(
                        "required", _("This column cannot be empty for a figure.")
                    )
                    problem = ValidationError(message, code="required")
                elif code == "invalid_choice" and field != NON_FIELD_ERRORS:
                    problem = ValidationError(choice_message(field, problem.params), code=code)
                readable.setdefault(column, []).append(problem)
        return readable

    def before_save_instance(self, instance, row, **kwargs):
        # The history names the importing editor even outside a web request.
        instance._history_user = kwargs.get("user")
        file_name = kwargs.get("file_name")
        if file_name:
            reason = _("Imported from %(file)s") % {"file": file_name}
            instance._change_reason = Truncator(str(reason)).chars(100)
