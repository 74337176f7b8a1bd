"""/sources/ and a document's page with every public figure that cites it."""

import pytest
from django.urls import reverse

from cases.models import Metric, Source

pytestmark = pytest.mark.django_db


def test_lists_every_document_with_its_figure_count(client, casebook):
    response = client.get(reverse("cases:source_list"))
    sources = {source.slug: source for source in response.context["sources"]}
    assert response.context["page"].paginator.count == len(sources)  # one page at this size
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


@pytest.mark.parametrize(
    ("path", "citation"),
    [
        (
            "/sources/csi-observation-report-2024/",
            "南方周末中国企业社会责任研究中心. 互联网企业社会创新观察报告 2024[R]. 2024.",
        ),
        (
            "/en/sources/csi-observation-report-2024/",
            "Southern Weekly China CSR Research Center. (2024). 互联网企业社会创新观察报告 2024 "
            "[Observation Report on Social Innovation by Internet Companies 2024].",
        ),
        (
            "/sources/tencent-ssv-report-2022-news/",
            "腾讯探索可持续社会价值新形态新解法[N]. 快科技, 2023-08-14.",
        ),
    ],
)
def test_a_document_page_offers_a_ready_citation(client, casebook, path, citation):
    response = client.get(path)
    html = response.content.decode()
    assert citation in html
    assert html.split("<h1>")[1].split("</h1>")[0] == response.context["source"].title


def test_the_language_and_script_of_a_document_are_given(client, casebook):
    Source.objects.filter(slug="tencent-ssv-report-2022-news").update(language="zh-hant")
    html = client.get("/en/sources/tencent-ssv-report-2022-news/").content.decode()
    assert "Chinese, traditional script" in html
    assert '<q lang="zh-Hant">' in html
    assert "中文（简体）" in client.get("/sources/csi-observation-report-2024/").content.decode()
