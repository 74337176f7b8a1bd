"""/sources/ and a document's page with every public figure that cites it."""

import pytest
from django.urls import reverse

from cases.models import Metric, Source

pytestmark = pytest.mark.django_db


def test_lists_every_document_with_its_figure_count(client, casebook):
    response = client.get(reverse("cases:source_list"))
    sources = {source.slug: source for source in response.context["sources"]}
    assert set(sources) == set(Source.objects.values_list("slug", flat=True))
    for slug, source in sources.items():
        assert source.figure_count == Metric.objects.public().filter(source__slug=slug).count()


def test_document_page_shows_every_public_figure_citing_it(client, casebook):
    source = Source.objects.get(slug="csi-observation-report-2024")
    response = client.get(source.get_absolute_url())
    shown = {figure.pk for figure in response.context["figures"]}
    assert shown == set(Metric.objects.public().filter(source=source).values_list("pk", flat=True))
    html = response.content.decode()
    assert source.title_zh in html and source.file_name in html
    assert "22,859人" in html


def test_unknown_document_is_not_found(client, casebook):
    assert client.get("/sources/no-such-document/").status_code == 404
