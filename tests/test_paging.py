"""Long lists come a page at a time, read by their records' ids (cases.paging), and a page
number they cannot use is explained, never an error."""

import pytest

from cases.models import Metric
from cases.paging import KeyedPaginator

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
