"""The figures explorer's filters, which the API's list of figures uses too: built from the
case list's filter fields (`cases.filters`) and on the same rules."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .filters import (
    YearRangeForm,
    choices_filter,
    search_filter,
    with_current_issue_slugs,
    year_filter,
)
from .models import Company, Indicator, Metric, SocialIssue

SCOPE_CHOICES = [
    ("companies", _("companies' and cases' figures")),
    ("industry", _("industry-wide context")),
]


class MetricFilterForm(YearRangeForm):
    year_fields = ("as_of_from", "as_of_to")


class MetricFilter(django_filters.FilterSet):
    """The figures explorer's filters; the same rules as the case list's (any of one
    parameter's values, all of the parameters; a value not understood is reported and left
    out)."""

    category = django_filters.MultipleChoiceFilter(
        field_name="indicator__category",
        label=_("Category"),
        choices=Indicator.Category.choices,
        error_messages={"invalid_choice": _("There is no category “%(value)s”.")},
    )
    indicator = choices_filter(
        "indicator__slug",
        Indicator.objects.all(),
        _("There is no indicator “%(value)s”."),
        distinct=False,
        label=_("Indicator"),
    )
    company = choices_filter(
        "company",
        Company.objects.all(),
        _("There is no company “%(value)s”."),
        method="filter_company",
        label=_("Company"),
    )
    issue = choices_filter(
        "project__issues__slug",
        SocialIssue.objects.all(),
        _("There is no issue “%(value)s”."),
        method="filter_issue",
        distinct=False,
        label=_("Issue"),
    )
    as_of_from = year_filter("gte", "as_of__year", label=_("As of, from"))
    as_of_to = year_filter("lte", "as_of__year", label=_("As of, to"))
    q = search_filter(label=_("Words"))
    scope = django_filters.ChoiceFilter(
        choices=SCOPE_CHOICES,
        method="filter_scope",
        label=_("Scope"),
        empty_label=_("all figures"),
        error_messages={"invalid_choice": _("There is no choice “%(value)s” here.")},
    )

    class Meta:
        model = Metric
        fields = []
        form = MetricFilterForm

    def __init__(self, data=None, *args, **kwargs):
        # The form's "any …" options send empty values; they mean "no filter", not an error.
        if data is not None:
            data = data.copy()
            for name in list(data):
                values = [value for value in data.getlist(name) if value.strip()]
                if values:
                    data.setlist(name, values)
                else:
                    del data[name]
        super().__init__(with_current_issue_slugs(data), *args, **kwargs)

    def filter_company(self, queryset, name, companies):
        return queryset.owned_by(companies) if companies else queryset

    def filter_issue(self, queryset, name, issues):
        return queryset.of_cases_on(issues) if issues else queryset

    def filter_search(self, queryset, name, text):
        return queryset.search(text)

    def filter_scope(self, queryset, name, scope):
        return queryset.filter(industry_wide=scope == "industry")
