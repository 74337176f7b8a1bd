"""Lists longer than a page: the case list and a document's figures, at 45 cases."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_hold_twenty_cases_and_keep_the_filters(client, many_cases):
    many_cases(45)
    response = client.get(reverse("cases:case_list"), {"issue": "social-assistance", "page": "2"})
    assert len(response.context["page"].object_list) == 20
    html = response.content.decode()
    assert "issue=social-assistance&amp;page=3" in html
    assert "issue=social-assistance&amp;page=1" in html


def test_a_document_page_lists_the_figures_citing_it_a_page_at_a_time(client, many_cases, report):
    from cases.views import SOURCE_FIGURES_PAGE_SIZE

    many_cases(SOURCE_FIGURES_PAGE_SIZE + 5)
    citing = report.metrics.count()
    assert citing > SOURCE_FIGURES_PAGE_SIZE
    first = client.get(reverse("cases:source", args=[report.slug]))
    assert len(first.context["figures"]) == SOURCE_FIGURES_PAGE_SIZE
    assert first.context["page"].paginator.count == citing
    assert "page=2" in first.content.decode()
    last = client.get(reverse("cases:source", args=[report.slug]), {"page": "2"})
    assert len(last.context["figures"]) == citing - SOURCE_FIGURES_PAGE_SIZE
    shown = {f.pk for f in first.context["figures"]} | {f.pk for f in last.context["figures"]}
    assert shown == set(report.metrics.values_list("pk", flat=True))
