"""The API's documentation in its OpenAPI schema: what each operation returns, what each
parameter means with an example, and the errors every list can answer with."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)

from ..filters import SEARCH_MAX_LENGTH, YEAR_RANGE
from . import serializers as s

ERRORS = {
    400: OpenApiResponse(
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        description=(
            "A parameter was not understood: each named parameter with its messages, in the "
            "language of Accept-Language (Chinese by default, English with `en`)."
        ),
        examples=[
            OpenApiExample("Unknown issue", value={"issue": ["There is no issue “no-such-issue”."]})
        ],
    ),
    404: OpenApiResponse(
        {"type": "object", "properties": {"detail": {"type": "string"}}},
        description="No such record, or no such page of results.",
    ),
    429: OpenApiResponse(
        {"type": "object", "properties": {"detail": {"type": "string"}}},
        description="Too many requests from this address; try again after `Retry-After` s.",
    ),
}

LANGUAGE = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The language of error messages: zh-hans (default) or en. Records always "
    "carry both languages.",
    examples=[OpenApiExample("English", value="en")],
)
FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="json (default) or csv (UTF-8 with a byte-order mark, one row per record, "
    "nested fields as dotted columns). `Accept: text/csv` does the same.",
    examples=[OpenApiExample("CSV", value="csv")],
)
PAGE = [
    OpenApiParameter(
        "page",
        OpenApiTypes.INT,
        description="Page number, from 1; one past the last is a 404.",
        examples=[OpenApiExample("First page", value=1)],
    ),
    OpenApiParameter(
        "page_size",
        OpenApiTypes.INT,
        description="Records per page, 1 to 500 (default 50; other values give the default).",
        examples=[OpenApiExample("A hundred", value=100)],
    ),
]


def many(name, description, example):
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string"}},
        explode=True,
        description=description + " Repeat the parameter for any of several.",
        examples=[OpenApiExample(example, value=[example])],
    )


def year(name, description, example):
    return OpenApiParameter(
        name,
        {"type": "integer", "minimum": YEAR_RANGE[0], "maximum": YEAR_RANGE[1]},
        description=description,
        examples=[OpenApiExample(str(example), value=example)],
    )


def search_parameter(description):
    return OpenApiParameter(
        "q",
        {"type": "string", "maxLength": SEARCH_MAX_LENGTH},
        description=description,
        examples=[
            OpenApiExample("Chinese", value="寻人"),
            OpenApiExample("Pinyin initials", value="qsjh"),
            OpenApiExample("English", value="wheelchairs"),
        ],
    )


CASE_FILTERS = [
    many(
        "issue",
        "Cases addressing this social issue (its slug; a former slug still works).",
        "ageing-society",
    ),
    many(
        "company",
        "Cases led by this company or, for a group, by one of its subsidiaries.",
        "tencent",
    ),
    many("sdg", "Cases whose issues serve this Sustainable Development Goal (1 to 17).", "3"),
    year("launched_from", "Cases launched in or after this year.", 2018),
    year("launched_to", "Cases launched in or before this year (not before launched_from).", 2023),
    many("trigger", "What set the case going.", "planned"),
    many("mechanism", "How the case works.", "platform"),
    search_parameter(
        "Words the case's names, texts, company or issues contain, in Chinese, pinyin or "
        "English, or a synonym of them; every word must match. At most 100 characters. "
        "Results come best match first unless `sort` says otherwise."
    ),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=["relevance", "name", "launched", "-launched", "-figures"],
        description="Order: best match first (the default with `q`), by name (the default "
        "otherwise), by launch date (undated last), by figures.",
        examples=[OpenApiExample("Newest first", value="-launched")],
    ),
]

FIGURE_FILTERS = [
    many("category", "Figures of this kind.", "people"),
    many("indicator", "Figures of this indicator (its slug).", "route-plans"),
    many("company", "Figures of this company or, for a group, of its subsidiaries.", "tencent"),
    many("issue", "Figures of cases addressing this social issue.", "ageing-society"),
    year("as_of_from", "Figures that held in or after this year.", 2020),
    year("as_of_to", "Figures that held in or before this year.", 2023),
    search_parameter(
        "Words the figure's label, indicator, case, owner or original wording contain, in "
        "Chinese, pinyin or English, or a synonym of them; every word must match."
    ),
    OpenApiParameter(
        "scope",
        OpenApiTypes.STR,
        enum=["companies", "industry"],
        description="companies' and cases' figures, or industry-wide context figures.",
        examples=[OpenApiExample("Companies", value="companies")],
    ),
]

SLUG = OpenApiParameter(
    "slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The record's stable identifier.",
)


def documented(
    operation, serializer, tag, plural, single=None, filters=(), slug_example=None, detail=None
):
    """extend_schema_view for a list (and, given `single`, a detail) operation."""
    common = [FORMAT, LANGUAGE]
    operations = {
        "list": extend_schema(
            operation_id=f"{operation}_list",
            tags=[tag],
            summary=f"List {plural}",
            parameters=[*filters, *PAGE, *common],
            responses={200: serializer(many=True), **ERRORS},
        )
    }
    if single:
        slug = OpenApiParameter(
            "slug",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="The record's stable identifier (lower-case letters, digits, hyphens).",
            examples=[OpenApiExample(slug_example, value=slug_example)],
        )
        operations["retrieve"] = extend_schema(
            operation_id=f"{operation}_retrieve",
            tags=[tag],
            summary=f"One {single}",
            parameters=[slug, *common],
            responses={200: detail or serializer, **ERRORS},
        )
    return extend_schema_view(**operations)


cases = documented(
    "cases",
    s.CaseSerializer,
    "cases",
    "published cases",
    "case",
    CASE_FILTERS,
    "douyin-xunren",
    detail=s.CaseDetailSerializer,
)
companies = documented(
    "companies", s.CompanySerializer, "companies", "companies", "company", (), "tencent"
)
issues = documented(
    "issues", s.IssueSerializer, "issues", "social issues", "social issue", (), "ageing-society"
)
indicators = documented(
    "indicators",
    s.IndicatorSerializer,
    "figures",
    "figure indicators",
    "indicator",
    (),
    "route-plans",
)
figures = documented(
    "figures",
    s.FigureSerializer,
    "figures",
    "public figures",
    "figure",
    FIGURE_FILTERS,
    "douyin-xunren-alerts-sent-2024-06-13",
)
sources = documented(
    "sources",
    s.SourceSerializer,
    "sources",
    "source documents",
    "source",
    (),
    "csi-observation-report-2024",
)
milestones = documented(
    "milestones",
    s.MilestoneSerializer,
    "cases",
    "milestones of published cases",
    filters=[many("case", "Milestones of this case.", "meituan-qingshan")],
)
partners = documented(
    "partners",
    s.PartnerSerializer,
    "cases",
    "partners in published cases",
    filters=[
        many("case", "Partners in this case.", "internet-csr-initiative-2018"),
        many("company", "This partner's partnerships.", "alibaba"),
    ],
)
index_dimensions = documented(
    "index_dimensions",
    s.IndexDimensionSerializer,
    "impact index",
    "the index's dimensions",
    "dimension",
    (),
    "mission",
)
index_indicators = documented(
    "index_indicators",
    s.IndexIndicatorSerializer,
    "impact index",
    "the index's indicators",
    "indicator",
    (),
    "csr-statement",
)
scorecards = documented(
    "scorecards",
    s.ScorecardSerializer,
    "impact index",
    "scorecards of published cases",
    "case's scorecard",
    CASE_FILTERS,
    "douyin-xunren",
)
