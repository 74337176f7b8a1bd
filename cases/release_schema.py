"""How the tables of a data release (`cases.release_tables`) are declared and written: a Table
of Columns, each column a Frictionless table-schema field documented by the model field it
holds (its verbose name and help text, in English and, through the interface's translation,
in Chinese); how a value becomes a CSV cell; and shorthands for the column specs the tables
list, `columns(Source, SLUG, req("title_zh"), date("published_on") …)`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from .spreadsheet import plain_number, spreadsheet_safe


@dataclass(frozen=True)
class Column:
    """One column: its name in the CSV, the model field it documents, and its type."""

    name: str
    model: type
    model_field: str
    type: str = "string"
    required: bool = False
    unique: bool = False
    minimum: int | None = None
    maximum: int | None = None
    # Titles where the model field's verbose name would mislead (a foreign key's slug …).
    title_en: str = ""
    title_zh: str = ""

    def _model_field(self):
        return self.model._meta.get_field(self.model_field)

    def enum(self):
        choices = getattr(self._model_field(), "choices", None) or []
        return [key for key, _label in choices if key != ""]

    def schema(self):
        """The column as a Frictionless table-schema field, titled in both languages."""
        model_field = self._model_field()
        texts = {}
        for language, suffix in (("en", ""), ("zh-hans", "_zh")):
            with translation.override(language):
                texts[f"title{suffix}"] = str(
                    (self.title_zh if suffix else self.title_en) or model_field.verbose_name
                )
                texts[f"description{suffix}"] = str(model_field.help_text or "")
        described = {"name": self.name, "type": self.type, **texts}
        if not described["description"]:
            del described["description"], described["description_zh"]
        if self.type == "date":
            described["format"] = "default"
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum():
            constraints["enum"] = self.enum()
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True)
class Table:
    """A resource of the package: a CSV file, its schema and how its rows are read."""

    name: str
    title_en: str
    title_zh: str
    columns: list
    primary_key: list
    rows: object  # a function of the table giving one dict of Python values per row, in order
    foreign_keys: list = field(default_factory=list)  # (columns, table, its columns)

    @property
    def path(self):
        return f"{self.name}.csv"

    @property
    def header(self):
        return [column.name for column in self.columns]

    def schema(self):
        return {
            "fields": [column.schema() for column in self.columns],
            "missingValues": [""],
            "primaryKey": self.primary_key,
            "foreignKeys": [
                {"fields": local, "reference": {"resource": table, "fields": remote}}
                for local, table, remote in self.foreign_keys
            ],
        }

    def cells(self):
        """Every row as CSV cells, in the header's order."""
        kinds = [column.type for column in self.columns]
        return [
            [cell(row[name], kind) for name, kind in zip(self.header, kinds, strict=True)]
            for row in self.rows(self)
        ]


def cell(value, kind):
    """A value as a CSV cell: numbers plain (22859, never 2.2859E+4), dates in ISO form,
    booleans true/false, text kept from running as a spreadsheet formula, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if kind in ("integer", "number"):
        return str(value)
    return spreadsheet_safe(value)


def columns(model, *specs):
    """Columns of `model`: each spec a field name, or (name, model field, options)."""
    made = []
    for spec in specs:
        if isinstance(spec, str):
            spec = (spec, spec, {})
        name, model_field, options = spec
        made.append(Column(name, model, model_field, **options))
    return made


SLUG = ("slug", "slug", {"required": True, "unique": True})


def req(name, **options):
    """A column every row fills."""
    return (name, name, {"required": True, **options})


def date(name, required=False):
    return (name, name, {"type": "date", "required": required})


def flag(name):
    return (name, name, {"type": "boolean", "required": True})


def whole(name, minimum=None, maximum=None, required=True, unique=False):
    options = {"type": "integer", "required": required, "unique": unique}
    return (name, name, {**options, "minimum": minimum, "maximum": maximum})


def ref(name, model_field, title_en, title_zh, required=False):
    """A column naming another table's record by its key (a slug, a unit's symbol …)."""
    return (name, model_field, {"required": required, "title_en": title_en, "title_zh": title_zh})
