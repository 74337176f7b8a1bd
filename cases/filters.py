"""The case list's filters, the facet counts beside them and the chips of active filters
(`cases.facets`); and the filter fields the figures explorer's filters (`cases.metric_filters`)
and the API's are built from.

Every filter is a query parameter, so a URL holds the whole state of the list. Several values
of one parameter select any of them (OR); different parameters must all hold (AND). A value
that cannot be understood is reported next to its filter and left out of the filtering.
"""

import re
from functools import cached_property

import django_filters
from django import forms
from django.db.models import Count, Max, Min, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .facets import ALL_OPTIONS, Chip, Facet, FacetOption
from .models import SDG, Company, IssueAlias, Project, SocialIssue
from .search import MAX_TERMS, search_terms
from .search.query import Search

YEAR_RANGE = (1990, 2100)
SEARCH_MAX_LENGTH = 100

# What a search box says about a search it cannot use, on every page that has one.
SEARCH_ERRORS = {
    "max_length": _(
        "Search for at most %(limit_value)d characters (this search has %(show_value)d)."
    ),
    "null_characters_not_allowed": _("The search contains a character that is not allowed."),
}


def search_filter(**kwargs):
    """`q`: words to search for (`cases.search`), filtered by the FilterSet's `filter_search`."""
    return django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        error_messages=SEARCH_ERRORS,
        **kwargs,
    )


SORT_CHOICES = [
    ("relevance", _("best match first")),
    ("name", _("name")),
    ("launched", _("launch date, oldest first")),
    ("-launched", _("launch date, newest first")),
    ("-figures", _("most figures first")),
]


class YearRangeForm(forms.Form):
    """A filter form whose two year fields, `year_fields`, must not be given in reverse."""

    year_fields = ("launched_from", "launched_to")

    def clean(self):
        cleaned = super().clean()
        first, last = self.year_fields
        start, end = cleaned.get(first), cleaned.get(last)
        if start is not None and end is not None and start > end:
            self.add_error(
                last,
                forms.ValidationError(
                    _("The end year (%(end)s) is before the start year (%(start)s)."),
                    code="years_reversed",
                    params={"start": start, "end": end},
                ),
            )
        return cleaned


@extend_schema_field(OpenApiTypes.STR)
class RecordsFilter(django_filters.ModelMultipleChoiceFilter):
    """Records named by slug (or number); the API's schema describes each value as a string."""


def choices_filter(
    field_name, queryset, unknown, malformed=None, to_field_name="slug", distinct=True, **kwargs
):
    """Several records named by slug (or number); an unknown one is reported as `unknown`
    (given %(value)s), one that cannot even be a key as `malformed` (given %(pk)s).
    `distinct=False` where the filter's join cannot repeat a record (a foreign key, or a
    `method` that filters by subquery): DISTINCT sorts every row of a large selection."""
    messages = {
        "invalid_choice": unknown,
        "null_characters_not_allowed": _("The value contains a character that is not allowed."),
    }
    if malformed:
        messages["invalid_pk_value"] = malformed
    return RecordsFilter(
        field_name=field_name,
        to_field_name=to_field_name,
        queryset=queryset,
        distinct=distinct,
        error_messages=messages,
        **kwargs,
    )


class YearFilter(django_filters.NumberFilter):
    """A whole year within YEAR_RANGE; the range itself guards against huge numbers."""

    field_class = forms.IntegerField

    def get_max_validator(self):
        return None


def year_filter(lookup_expr, field_name="launched_on__year", **kwargs):
    return YearFilter(
        field_name=field_name,
        **kwargs,
        lookup_expr=lookup_expr,
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
        error_messages={
            "invalid": _("Enter a year as four digits, e.g. 2016."),
            "min_value": _("Enter a year from %(limit_value)s on."),
            "max_value": _("Enter a year up to %(limit_value)s."),
        },
    )


SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def could_be_slug(value, limit=80):
    """Whether `value` is shaped like a slug, so that it is safe to look up (PostgreSQL
    refuses a NUL character in a query outright)."""
    return len(value) <= limit and bool(SLUG_PATTERN.match(value))


def printable(text, limit=40):
    """`text` without control characters, trimmed and cut to `limit` for a chip label."""
    cleaned = "".join(char for char in text if char.isprintable()).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def with_current_issue_slugs(data):
    """`data` with an issue named by a merged issue's former slug (kept as one of the other
    names of the issue it joined) named by that issue's slug, so that old links still work."""
    values = data.getlist("issue") if data is not None else []
    slugs = [value for value in values if could_be_slug(value)]
    if not slugs:
        return data
    current = dict(IssueAlias.objects.filter(slug__in=slugs).values_list("slug", "issue__slug"))
    if not current:
        return data
    data = data.copy()
    data.setlist("issue", list(dict.fromkeys(current.get(value, value) for value in values)))
    return data


class CaseFilter(django_filters.FilterSet):
    issue = choices_filter(
        "issues__slug", SocialIssue.objects.all(), _("There is no issue “%(value)s”.")
    )
    company = choices_filter(
        "company",
        Company.objects.select_related("parent"),
        _("There is no company “%(value)s”."),
        method="filter_company",
    )
    sdg = choices_filter(
        "issues__sdgs__number",
        SDG.objects.all(),
        _("There is no goal “%(value)s”; goals are numbered 1 to 17."),
        _("“%(pk)s” is not a goal number; goals are numbered 1 to 17."),
        to_field_name="number",
    )
    launched_from = year_filter("gte")
    launched_to = year_filter("lte")
    trigger = django_filters.MultipleChoiceFilter(
        choices=Project.Trigger.choices,
        error_messages={"invalid_choice": _("There is no trigger “%(value)s”.")},
    )
    mechanism = django_filters.MultipleChoiceFilter(
        choices=Project.Mechanism.choices,
        error_messages={"invalid_choice": _("There is no mechanism “%(value)s”.")},
    )
    q = search_filter()
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="sort_cases",
        error_messages={"invalid_choice": _("Cases cannot be sorted by “%(value)s”.")},
    )

    class Meta:
        model = Project
        fields = []
        form = YearRangeForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(with_current_issue_slugs(data), *args, **kwargs)

    def filter_company(self, queryset, name, companies):
        return queryset.led_by(companies) if companies else queryset

    @cached_property
    def search(self):
        """The search, read once for the list and all its facets."""
        return Search.read(self.cleaned("q") or "")

    def filter_search(self, queryset, name, text):
        """Matching cases, best match first (`sort` may order them otherwise)."""
        return queryset.search(self.search, ranked=True).ordered_by("relevance", get_language())

    def sort_cases(self, queryset, name, key):
        return queryset.ordered_by(key, get_language())

    # Facets and chips -------------------------------------------------------------------

    def cleaned(self, name):
        """The understood value of one filter (None where it is missing or was refused)."""
        self.form.is_valid()
        return self.form.cleaned_data.get(name)

    def filtered_without(self, name):
        """The cases matching every active filter except `name`, unordered (for counting)."""
        queryset = self.queryset.order_by()
        self.form.is_valid()
        for filter_name, value in self.form.cleaned_data.items():
            if filter_name not in (name, "sort"):
                queryset = self.filters[filter_name].filter(queryset, value)
        return queryset

    def counts_by(self, facet, path):
        """{value of `path`: number of matching cases} ignoring the `facet` filter itself."""
        rows = (
            self.filtered_without(facet)
            .values_list(path)
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        return {value: n for value, n in rows if value is not None}

    def url_toggling(self, name, value):
        """This list's URL with `value` of `name` added or removed, back on the first page."""
        params = self.data.copy()
        values = params.getlist(name)
        params.setlist(
            name, [v for v in values if v != value] if value in values else [*values, value]
        )
        params.pop("page", None)
        return f"?{params.urlencode()}"

    def url_with(self, name, values):
        """This list's URL with `values` for `name`, back on the first page."""
        params = self.data.copy()
        params.setlist(name, values)
        params.pop("page", None)
        return f"?{params.urlencode()}"

    def url_without(self, name):
        params = self.data.copy()
        params.pop(name, None)
        params.pop("page", None)
        return f"?{params.urlencode()}"

    def selected(self, name):
        return self.data.getlist(name) if self.data else []

    def facets(self):
        """Every facet with its options and, beside each, the number of matching cases."""
        return [
            self.issue_facet(),
            self.company_facet(),
            self.sdg_facet(),
            self.choice_facet("trigger", _("Trigger"), Project.Trigger.choices),
            self.choice_facet("mechanism", _("Mechanism"), Project.Mechanism.choices),
        ]

    def facet(self, name, title, rows):
        expanded = self.selected(ALL_OPTIONS)
        return Facet(
            name,
            title,
            self._options(name, rows),
            expanded=name in expanded,
            expand_url=self.url_with(ALL_OPTIONS, [*expanded, name]) + f"#facet-{name}",
            collapse_url=self.url_with(ALL_OPTIONS, [v for v in expanded if v != name])
            + f"#facet-{name}",
        )

    def _options(self, name, rows):
        """Options with cases, and selected ones even without; most cases first."""
        selected = set(self.selected(name))
        options = [
            FacetOption(
                value=value,
                label=label,
                count=count,
                selected=value in selected,
                url=self.url_toggling(name, value),
                note=note,
            )
            for value, label, count, note in rows
            if count or value in selected
        ]
        return sorted(options, key=lambda option: (-option.count, option.label))

    def issue_facet(self):
        counts = self.counts_by("issue", "issues__slug")
        rows = [
            (issue.slug, issue.name, counts.get(issue.slug, 0), "")
            for issue in SocialIssue.objects.all()
        ]
        return self.facet("issue", _("Issue"), rows)

    def company_facet(self):
        """Lead companies with their cases; a group counts its subsidiaries' cases too."""
        # One pass over the matching cases (a search is not repeated once per company).
        counts = Company.objects.led_case_counts(self.filtered_without("company"))
        selected = [slug for slug in self.selected("company") if could_be_slug(slug)]
        companies = Company.objects.select_related("parent").filter(
            Q(pk__in=[pk for pk, n in counts.items() if n]) | Q(slug__in=selected)
        )
        rows = [
            (
                company.slug,
                company.name,
                counts.get(company.pk, 0),
                company.parent.name if company.parent_id else "",
            )
            for company in companies
        ]
        return self.facet("company", _("Company"), rows)

    def sdg_facet(self):
        counts = self.counts_by("sdg", "issues__sdgs__number")
        rows = [
            (str(goal.number), f"{goal.number}. {goal.name}", counts.get(goal.number, 0), "")
            for goal in SDG.objects.all()
        ]
        return self.facet("sdg", _("Sustainable Development Goal"), rows)

    def choice_facet(self, name, title, choices):
        counts = self.counts_by(name, name)
        rows = [(value, str(label), counts.get(value, 0), "") for value, label in choices]
        return self.facet(name, title, rows)

    def launch_years(self):
        """The first and last launch year of all published cases, for the year inputs."""
        years = self.queryset.order_by().aggregate(
            first=Min("launched_on__year"), last=Max("launched_on__year")
        )
        return years["first"], years["last"]

    def search_note(self):
        """What the search left out, in words for the reader; empty when it searched all."""
        if not self.cleaned("q"):
            return ""
        terms = search_terms(self.cleaned("q"))
        notes = []
        if terms.too_short:
            notes.append(
                _("Words too short to search for were left out: %(words)s.")
                % {"words": " ".join(printable(word, 10) for word in terms.too_short[:10])}
            )
        if terms.beyond_limit:
            notes.append(
                _("Only the first %(count)s words were searched for; left out: %(words)s.")
                % {
                    "count": MAX_TERMS,
                    "words": " ".join(printable(word, 20) for word in terms.beyond_limit[:10]),
                }
            )
        return " ".join(str(note) for note in notes)

    def chips(self):
        """The active filters as removable chips; values that were not understood included."""
        chips = []
        valid = {
            "issue": {issue.slug: issue.name for issue in self.cleaned("issue") or []},
            "company": {company.slug: company.name for company in self.cleaned("company") or []},
            "sdg": {
                str(goal.number): _("SDG %(number)s: %(name)s")
                % {"number": goal.number, "name": goal.name}
                for goal in self.cleaned("sdg") or []
            },
            "trigger": {
                value: str(label)
                for value, label in Project.Trigger.choices
                if value in (self.cleaned("trigger") or [])
            },
            "mechanism": {
                value: str(label)
                for value, label in Project.Mechanism.choices
                if value in (self.cleaned("mechanism") or [])
            },
        }
        for name, understood in valid.items():
            for value in self.selected(name):
                chips.append(
                    Chip(
                        name,
                        understood.get(value, printable(value)),
                        self.url_toggling(name, value),
                        value in understood,
                    )
                )
        for name, template in [
            ("launched_from", _("launched in or after %(value)s")),
            ("launched_to", _("launched in or before %(value)s")),
            ("q", _("search: “%(value)s”")),
        ]:
            raw = printable(self.data.get(name) or "") if self.data else ""
            if raw:
                understood = self.cleaned(name) not in (None, "")
                chips.append(
                    Chip(name, template % {"value": raw}, self.url_without(name), understood)
                )
        return chips
