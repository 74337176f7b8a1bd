"""Link previews: every public page carries Open Graph and Twitter card tags that agree with
its canonical URL, title and description, in the page's language."""

import re
import struct
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/cases/",
    "/cases/douyin-xunren/",
    "/issues/social-assistance/",
    "/companies/bytedance/",
    "/compare/?company=bytedance&company=alibaba",
    "/metrics/",
    "/index/",
    "/sources/csi-observation-report-2024/",
    "/about/",
]


def meta(html, key):
    """The content of the <meta property|name="key"> tag (None when it is missing)."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return unescape(found.group(1)) if found else None


def canonical(html):
    return unescape(re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1))


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_public_page_has_open_graph_and_twitter_tags(client, casebook, path, prefix):
    html = client.get(prefix + path).content.decode()
    url = canonical(html)
    assert url == "http://testserver" + prefix + path
    assert meta(html, "og:url") == url
    assert meta(html, "og:title") and meta(html, "og:title") in unescape(html.split("</title>")[0])
    assert meta(html, "og:description") == meta(html, "description")
    assert len(meta(html, "og:description")) >= 10
    assert meta(html, "og:site_name") == ("CSI Casebook" if prefix else "企业社会创新案例库")
    assert meta(html, "og:locale") == ("en_GB" if prefix else "zh_CN")
    assert meta(html, "og:locale:alternate") == ("zh_CN" if prefix else "en_GB")
    assert meta(html, "og:image").startswith("http://testserver/static/")
    assert meta(html, "twitter:card") == "summary_large_image"


def test_a_case_is_shared_as_an_article_described_by_its_summary(client, casebook):
    from cases.models import Project

    case = Project.objects.get(slug="douyin-xunren")
    chinese = client.get("/cases/douyin-xunren/").content.decode()
    english = client.get("/en/cases/douyin-xunren/").content.decode()
    assert meta(chinese, "og:type") == meta(english, "og:type") == "article"
    assert meta(chinese, "og:title").startswith(case.name_zh)
    assert meta(english, "og:title").startswith(case.name_en)
    assert meta(chinese, "og:description")[:20] == case.summary_zh[:20]
    assert meta(english, "og:description")[:20] == case.summary_en[:20]
    assert meta(client.get("/").content.decode(), "og:type") == "website"


def test_an_issue_and_a_company_are_described_in_the_pages_language(client, casebook):
    issue = client.get("/en/issues/social-assistance/").content.decode()
    assert meta(issue, "og:title") == "Social assistance"
    company = client.get("/companies/bytedance/").content.decode()
    assert meta(company, "og:title") == "字节跳动"
    assert re.search(r"[\u4e00-\u9fff]", meta(company, "og:description"))


def test_a_title_with_an_ampersand_is_escaped_once(client, casebook):
    from cases.models import Company

    Company.objects.filter(slug="bytedance").update(name_en="Byte & Dance")
    html = client.get("/en/companies/bytedance/").content.decode()
    assert '<meta property="og:title" content="Byte &amp; Dance">' in html


def test_the_default_share_image_is_a_large_png_in_our_static_files():
    image = Path(settings.BASE_DIR) / "static" / "img" / "share.png"
    header = image.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (1200, 630)
