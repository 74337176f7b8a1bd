"""Long lists come a page at a time, read by their records' ids (cases.paging), and a page
number they cannot use is explained, never an error."""

import pytest
from django.db.models import Count

from cases.models import Metric, Project, SocialIssue
from cases.paging import GroupedPaginator, KeyedPaginator

pytestmark = pytest.mark.django_db


def test_a_keyed_page_holds_the_records_of_an_ordinary_page_in_order(
    casebook, django_assert_num_queries
):
    figures = Metric.objects.for_listing()
    keyed = KeyedPaginator(figures, 7)
    assert keyed.num_pages > 1
    for number in keyed.page_range:
        page = keyed.page(number)
        assert list(page.object_list) == list(figures[(number - 1) * 7 : number * 7])
        # Whole records, with what a row shows already selected.
        with django_assert_num_queries(0):
            assert all(figure.indicator.unit.symbol and figure.source.slug for figure in page)


@pytest.mark.parametrize(
    "selection",
    [
        lambda figures: figures,
        lambda figures: figures.filter(indicator__category="people"),
        lambda figures: figures.of_cases_on(SocialIssue.objects.filter(slug="social-assistance")),
        lambda figures: figures.none(),
    ],
)
def test_a_page_found_from_the_indicators_counts_holds_the_records_of_an_ordinary_page(
    casebook, selection
):
    """The explorer's pages start where the counts per indicator say: every page holds the
    figures an ordinary page of the sorted selection holds, and the count is theirs."""
    figures = selection(Metric.objects.for_listing())
    groups = [(row["indicator"], row["n"]) for row in figures.per_indicator()]
    grouped = GroupedPaginator(figures, 7, groups=groups, field="indicator")
    assert grouped.count == figures.count()
    for number in grouped.page_range:
        expected = list(figures[(number - 1) * 7 : number * 7])
        assert list(grouped.page(number).object_list) == expected


def test_figures_of_a_case_on_several_chosen_issues_are_listed_once(casebook):
    case = (
        Project.objects.published()
        .annotate(issue_count=Count("issues", distinct=True), figure_count=Count("metrics"))
        .filter(issue_count__gte=2, figure_count__gte=1)
        .first()
    )
    ids = list(
        Metric.objects.for_listing().of_cases_on(case.issues.all()).values_list("pk", flat=True)
    )
    assert len(ids) == len(set(ids))
    assert set(case.metrics.values_list("pk", flat=True)) <= set(ids)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/sources/?page=abc", "“abc”不是页码，已显示第一页。"),
        ("/index/?page=99999999999999999999999", "已显示最后一页"),
        ("/issues/social-assistance/?page=-3", "“-3”不是页码，已显示第一页。"),
        ("/en/sources/?page=%3Cb%3E", "“&lt;b&gt;” is not a page number"),
    ],
)
def test_paged_lists_explain_a_page_number_they_cannot_use(client, casebook, path, message):
    response = client.get(path)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("path", ["/sitemap-figures.xml?p=abc", "/sitemap-nosuch.xml"])
def test_a_sitemap_page_that_does_not_exist_is_not_found(client, casebook, path):
    assert client.get(path).status_code == 404
