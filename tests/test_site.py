"""What every page shares: both languages, alternates, error pages, sitemap, robots.txt and
nothing loaded from another host."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Project
from cases.sitemaps import CaseSitemap
from csrsite.context_processors import alternate_paths

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/cases/",
    "/cases/douyin-xunren/",
    "/issues/",
    "/issues/social-assistance/",
    "/companies/",
    "/companies/bytedance/",
    "/sources/",
    "/sources/csi-observation-report-2024/",
    "/compare/",
    "/metrics/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_title_description_and_language_alternates(client, casebook, path):
    for prefix, lang in [("", "zh-hans"), ("/en", "en")]:
        response = client.get(prefix + path)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html
        assert re.search(r"<title>[^<]+ · [^<]+</title>", html)
        assert re.search(r'<meta name="description" content="[^"]{10,}">', html)
        assert f'hreflang="zh-Hans" href="http://testserver{path}"' in html
        assert f'hreflang="en" href="http://testserver/en{path}"' in html


@pytest.mark.parametrize("path", PAGES)
def test_nothing_is_loaded_from_another_host(client, casebook, path):
    html = client.get(path).content.decode()
    loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
    assert loaded
    external = [url for url in loaded if re.match(r"(https?:)?//", url) and "testserver" not in url]
    assert external == []


def test_language_switch_keeps_the_page_and_its_filters(client, casebook):
    html = client.get("/cases/", {"issue": "social-assistance", "q": "寻人"}).content.decode()
    assert 'href="/en/cases/?issue=social-assistance&amp;q=%E5%AF%BB%E4%BA%BA"' in html
    html = client.get("/en/cases/?issue=social-assistance").content.decode()
    assert 'href="/cases/?issue=social-assistance"' in html


@pytest.mark.parametrize(
    ("full_path", "chinese", "english"),
    [
        ("/", "/", "/en/"),
        ("/en/", "/", "/en/"),
        ("/en", "/", "/en/"),
        ("/cases/?q=a", "/cases/?q=a", "/en/cases/?q=a"),
        ("/en/cases/x/", "/cases/x/", "/en/cases/x/"),
        ("/entries/", "/entries/", "/en/entries/"),
    ],
)
def test_alternate_paths(full_path, chinese, english):
    assert alternate_paths(full_path) == {"zh-hans": chinese, "en": english}


def test_not_found_page_is_friendly_in_both_languages(client, casebook):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_is_friendly_and_shows_no_traceback(settings):
    settings.ROOT_URLCONF = "tests.urls_broken"
    client = Client(raise_request_exception=False)
    for path, text in [("/boom/", "出错了"), ("/en/boom/", "Something went wrong")]:
        response = client.get(path)
        assert response.status_code == 500
        html = response.content.decode()
        assert text in html
        assert "secret detail" not in html and "Traceback" not in html


def test_sitemap_is_an_index_of_sections(client, casebook):
    xml = client.get(reverse("sitemap")).content.decode()
    sections = re.findall(r"<loc>http://testserver/sitemap-([a-z]+)\.xml</loc>", xml)
    assert sections == ["pages", "cases", "issues", "companies", "sources", "figures"]


def test_sitemap_sections_come_in_pages_of_bounded_size(client, casebook, monkeypatch):
    monkeypatch.setattr(CaseSitemap, "limit", 10)
    published = Project.objects.published().count()
    index = client.get(reverse("sitemap")).content.decode()
    pages = re.findall(r"<loc>http://testserver(/sitemap-cases\.xml(?:\?p=\d+)?)</loc>", index)
    # Each case has a Chinese and an English address: five cases fill a page of ten.
    assert len(pages) == -(-published // 5) > 1
    listed = [
        re.findall(r"<loc>([^<]+)</loc>", client.get(page).content.decode()) for page in pages
    ]
    assert all(len(addresses) <= 10 for addresses in listed)
    assert len({address for page in listed for address in page}) == 2 * published


def test_a_sitemap_page_reads_only_its_own_records_in_django_s_pairing(casebook):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.sitemaps import RecordsInLanguages

    slugs = Project.objects.published().order_by("slug").values_list("slug", flat=True)
    languages = ["zh-hans", "en"]
    records = RecordsInLanguages(slugs, languages)
    whole = [(slug, language) for slug in list(slugs.all()) for language in languages]
    assert records.count() == len(whole)
    # An odd page size splits a record's two addresses between pages, as Django's would.
    for start in range(0, len(whole), 7):
        with CaptureQueriesContext(connection) as queries:
            page = records[start : start + 7]
        assert page == whole[start : start + 7]
        assert len(queries) == 1 and "LIMIT" in queries[0]["sql"]


def test_sitemap_lists_published_pages_in_both_languages(client, casebook):
    response = client.get("/sitemap-cases.xml")
    assert response.status_code == 200
    xml = response.content.decode() + client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/cases/douyin-xunren/</loc>" in xml
    assert "<loc>http://testserver/en/cases/douyin-xunren/</loc>" in xml
    assert 'hreflang="x-default"' in xml
    assert "<loc>http://testserver/compare/</loc>" in xml
    assert "<loc>http://testserver/en/metrics/</loc>" in xml
    draft = Project.objects.filter(status="draft").first()
    assert f"/cases/{draft.slug}/" not in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_pages_only_answer_reads(client, casebook, method):
    response = getattr(client, method)("/cases/")
    assert response.status_code == 405
    assert "GET" in response["Allow"] and method.upper() not in response["Allow"]


def test_a_request_with_too_many_parameters_is_refused_cleanly(client, casebook):
    query = "&".join(f"issue=x{number}" for number in range(1100))
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
