"""/about/: what the casebook is, the documents it was curated from, how figures are checked,
the licence and a citation, in both languages, linked from every page."""

import re

import pytest

from cases.models import Source

pytestmark = pytest.mark.django_db


def test_about_page_answers_in_both_languages(client, casebook):
    chinese = client.get("/about/")
    english = client.get("/en/about/")
    assert chinese.status_code == english.status_code == 200
    assert "<h1>关于案例库</h1>" in chinese.content.decode()
    assert "<h1>About the casebook</h1>" in english.content.decode()


def test_lists_the_curated_documents_with_links_to_their_pages(client, casebook):
    html = client.get("/en/about/").content.decode()
    curated = Source.objects.exclude(file_name="")
    assert curated.exists()
    for source in curated:
        assert f'href="{source.get_absolute_url()}"' in html
        assert source.title_en in html
    heading = re.search(r'<h2 id="documents-title">([^<]+)</h2>', html).group(1)
    assert str(curated.count()) in heading or curated.count() == 1


def test_a_document_not_curated_from_a_file_is_not_listed(client, casebook):
    other = Source.objects.create(
        slug="later-note",
        title_zh="补充说明",
        title_en="A later note",
        kind="other",
        published_on="2024-01-01",
        published_precision="year",
    )
    html = client.get("/en/about/").content.decode()
    assert other.get_absolute_url() not in html


def test_explains_how_figures_are_recorded_and_verified(client, casebook):
    html = client.get("/en/about/").content.decode()
    for words in ["Where in the document", "The original wording", "exactly once", "precision"]:
        assert words in html
    assert "<code>make verify</code>" in html


def test_states_the_licence_and_what_it_does_not_cover(client, casebook):
    html = client.get("/en/about/").content.decode()
    assert "Licence of the data" in html
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html
    assert "does not cover the source documents" in html
    assert 'href="/en/data/"' in html
    chinese = client.get("/about/").content.decode()
    assert "知识共享署名 4.0 国际许可协议（CC BY 4.0）" in chinese
    assert "许可尚未确定" not in chinese


def test_suggests_a_citation_with_the_address_and_the_access_date(client, casebook):
    english = client.get("/en/about/").content.decode()
    citations = re.findall(r'<p class="citation-text" id="citation-\d">([^<]+)</p>', english)
    assert len(citations) == 2, "GB/T 7714 and APA"
    assert all("http://testserver/en/" in citation for citation in citations)
    assert re.search(r"Retrieved [A-Z][a-z]+ \d{1,2}, \d{4}, from", citations[1])
    chinese = client.get("/about/").content.decode()
    citation = re.search(r'<p class="citation-text" id="citation-1">([^<]+)</p>', chinese).group(1)
    assert citation.startswith("企业社会创新案例库编辑部. 企业社会创新案例库: ")
    assert re.search(r"\[DS/OL\]\. .*\[\d{4}-\d{2}-\d{2}\]", citation)
    assert "http://testserver/" in citation


@pytest.mark.parametrize("path", ["/", "/cases/", "/cases/douyin-xunren/", "/metrics/", "/en/"])
def test_every_page_links_to_the_about_page_from_its_footer(client, casebook, path):
    html = client.get(path).content.decode()
    footer = html.split('<footer class="site-footer">')[1]
    about = "/en/about/" if path.startswith("/en/") else "/about/"
    assert f'href="{about}"' in footer
    assert f'href="{about}#cite"' in footer


def test_the_about_page_is_in_the_sitemap_in_both_languages(client, casebook):
    xml = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/about/</loc>" in xml
    assert "<loc>http://testserver/en/about/</loc>" in xml
