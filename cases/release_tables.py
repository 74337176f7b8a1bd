"""What a data release holds: one table per kind of public record, each with its Frictionless
table schema and its rows as CSV cells.

Public data only, as the pages show it: published cases (and what belongs to them), public
figures (`Metric.objects.public()`), confirmed assessments. Records are named by their slugs
(natural keys), never by database ids, so a release reads the same from any deployment.
Column titles and descriptions come from the models' own verbose names and help texts, in
English and (through the interface's translation) in Chinese, so they are written once.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from . import release_rows as rows
from .models import (
    SDG,
    Assessment,
    Company,
    IndexDimension,
    IndexIndicator,
    Indicator,
    Metric,
    Milestone,
    Partnership,
    Project,
    SocialIssue,
    Source,
    Unit,
)
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


CASE = ref("case", "project", "case (slug)", "案例（标识）", required=True)
SOURCE = ref("source", "source", "source (slug)", "来源（标识）")


# The case texts after the summary, each in Chinese and English.
CASE_TEXTS = ["goal", "practice", "innovation", "note"]


TABLES = [
    Table(
        "sources",
        "Source documents",
        "来源文献",
        columns(
            Source,
            SLUG,
            req("title_zh"),
            req("title_en"),
            req("kind"),
            "publisher_zh",
            "publisher_en",
            date("published_on", required=True),
            req("published_precision"),
            "url",
            "file_name",
            req("language"),
        ),
        ["slug"],
        rows.source_rows,
    ),
    Table(
        "units",
        "Units",
        "单位",
        columns(
            Unit,
            req("symbol", unique=True),
            req("name_zh"),
            req("name_en"),
            "name_en_singular",
            req("kind"),
        ),
        ["symbol"],
        rows.unit_rows,
    ),
    Table(
        "sdgs",
        "Sustainable Development Goals",
        "可持续发展目标",
        columns(SDG, whole("number", 1, 17, unique=True), req("name_zh"), req("name_en")),
        ["number"],
        rows.sdg_rows,
    ),
    Table(
        "companies",
        "Companies and organisations",
        "企业与机构",
        columns(
            Company,
            SLUG,
            req("name_zh"),
            req("name_en"),
            "aliases",
            ref("parent", "parent", "group (slug)", "所属集团（标识）"),
            req("kind"),
            "description_zh",
            "description_en",
            "website",
        ),
        ["slug"],
        rows.company_rows,
        [(["parent"], "companies", ["slug"])],
    ),
    Table(
        "issues",
        "Social issues",
        "社会议题",
        columns(
            SocialIssue,
            SLUG,
            req("name_zh"),
            req("name_en"),
            "aliases",
            req("vocabulary"),
            ref("parent", "parent", "broader issue (slug)", "上级议题（标识）"),
            "description_zh",
            "description_en",
        ),
        ["slug"],
        rows.issue_rows,
        [(["parent"], "issues", ["slug"])],
    ),
    Table(
        "issue_sdgs",
        "Issues and their SDGs",
        "议题对应的可持续发展目标",
        columns(
            SocialIssue,
            ref("issue", "slug", "issue (slug)", "议题（标识）", required=True),
            ("sdg", "sdgs", {"type": "integer", "required": True, "minimum": 1, "maximum": 17}),
        ),
        ["issue", "sdg"],
        rows.issue_sdg_rows,
        [(["issue"], "issues", ["slug"]), (["sdg"], "sdgs", ["number"])],
    ),
    Table(
        "cases",
        "Cases",
        "案例",
        columns(
            Project,
            SLUG,
            req("name_zh"),
            req("name_en"),
            "aliases",
            ref("company", "company", "lead company (slug)", "主导企业（标识）", required=True),
            date("launched_on"),
            "launched_precision",
            "trigger",
            req("mechanism"),
            req("summary_zh"),
            req("summary_en"),
            *[f"{text}_{language}" for text in CASE_TEXTS for language in ("zh", "en")],
        ),
        ["slug"],
        rows.case_rows,
        [(["company"], "companies", ["slug"])],
    ),
    Table(
        "case_issues",
        "Cases and the issues they address",
        "案例与社会议题",
        columns(
            Project,
            ref("case", "slug", "case (slug)", "案例（标识）", required=True),
            ref("issue", "issues", "issue (slug)", "议题（标识）", required=True),
        ),
        ["case", "issue"],
        rows.case_issue_rows,
        [(["case"], "cases", ["slug"]), (["issue"], "issues", ["slug"])],
    ),
    Table(
        "case_sources",
        "Cases and the documents they are based on",
        "案例与来源文献",
        columns(
            Project,
            ref("case", "slug", "case (slug)", "案例（标识）", required=True),
            ref("source", "sources", "source (slug)", "来源（标识）", required=True),
        ),
        ["case", "source"],
        rows.case_source_rows,
        [(["case"], "cases", ["slug"]), (["source"], "sources", ["slug"])],
    ),
    Table(
        "indicators",
        "Figure indicators",
        "数据指标",
        columns(
            Indicator,
            SLUG,
            req("name_zh"),
            req("name_en"),
            req("category"),
            ref("unit", "unit", "unit (symbol)", "单位（符号）", required=True),
            "description_zh",
            "description_en",
            "unit_name_en",
            "unit_name_en_singular",
        ),
        ["slug"],
        rows.indicator_rows,
        [(["unit"], "units", ["symbol"])],
    ),
    Table(
        "figures",
        "Figures, with their provenance",
        "数据及其出处",
        columns(
            Metric,
            SLUG,
            ref("case", "project", "case (slug)", "案例（标识）"),
            ref("company", "company", "company (slug)", "企业（标识）"),
            flag("industry_wide"),
            req("indicator"),
            req("label_zh"),
            "label_en",
            req("value", type="number"),
            ("value_high", "value_high", {"type": "number"}),
            req("unit"),
            "qualifier",
            flag("cumulative"),
            date("as_of", required=True),
            req("as_of_precision"),
            flag("as_of_inferred"),
            ref("part_of", "part_of", "part of (figure slug)", "所属总数（数据标识）"),
            date("period_start"),
            date("period_end"),
            req("source"),
            req("locator"),
            "locator_en",
            req("original_wording"),
            "wording_context",
            ref(
                "reported_with", "reported_with", "reported with case (slug)", "随案例报告（标识）"
            ),
            "note_zh",
            "note_en",
        ),
        ["slug"],
        rows.figure_rows,
        [
            (["case"], "cases", ["slug"]),
            (["company"], "companies", ["slug"]),
            (["indicator"], "indicators", ["slug"]),
            (["unit"], "units", ["symbol"]),
            (["part_of"], "figures", ["slug"]),
            (["source"], "sources", ["slug"]),
            (["reported_with"], "cases", ["slug"]),
        ],
    ),
    Table(
        "milestones",
        "Milestones",
        "大事记",
        columns(
            Milestone,
            CASE,
            date("happened_on", required=True),
            req("precision"),
            req("text_zh"),
            "text_en",
            SOURCE,
            "locator",
            "locator_en",
            "note_zh",
            "note_en",
        ),
        ["case", "happened_on", "text_zh"],
        rows.milestone_rows,
        [(["case"], "cases", ["slug"]), (["source"], "sources", ["slug"])],
    ),
    Table(
        "partners",
        "Partners in cases and their roles",
        "案例合作方及其角色",
        columns(
            Partnership,
            CASE,
            ref("partner", "company", "partner (slug)", "合作方（标识）", required=True),
            req("role"),
            "role_zh",
            "role_en",
        ),
        ["case", "partner"],
        rows.partner_rows,
        [(["case"], "cases", ["slug"]), (["partner"], "companies", ["slug"])],
    ),
    Table(
        "index_dimensions",
        "Impact index: dimensions",
        "影响力指数：维度",
        columns(
            IndexDimension,
            SLUG,
            whole("position", 1, unique=True),
            req("name_zh"),
            req("name_en"),
            "description_zh",
            "description_en",
        ),
        ["slug"],
        rows.dimension_rows,
    ),
    Table(
        "index_indicators",
        "Impact index: indicators and their levels",
        "影响力指数：指标及评级规则",
        columns(
            IndexIndicator,
            SLUG,
            req("dimension"),
            whole("position", 1),
            req("name_zh"),
            req("name_en"),
            req("definition_zh"),
            req("definition_en"),
            *[req(f"level_{level}_{language}") for level in range(3) for language in ("zh", "en")],
            req("method"),
            req("source"),
            req("locator"),
            "locator_en",
        ),
        ["slug"],
        rows.index_indicator_rows,
        [(["dimension"], "index_dimensions", ["slug"]), (["source"], "sources", ["slug"])],
    ),
    Table(
        "assessments",
        "Impact index: confirmed assessments of cases",
        "影响力指数：已确认的案例评估",
        columns(
            Assessment,
            CASE,
            ref(
                "indicator",
                "indicator",
                "index indicator (slug)",
                "指数指标（标识）",
                required=True,
            ),
            whole("level", 0, 2, required=False),
            flag("derived"),
            req("evidence_zh"),
            req("evidence_en"),
            "quotation",
            SOURCE,
            "locator",
            "locator_en",
        ),
        ["case", "indicator"],
        rows.assessment_rows,
        [
            (["case"], "cases", ["slug"]),
            (["indicator"], "index_indicators", ["slug"]),
            (["source"], "sources", ["slug"]),
        ],
    ),
]
TABLES_BY_NAME = {table.name: table for table in TABLES}
