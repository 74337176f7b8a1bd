"""Ready citations ("Cite this"): GB/T 7714-2015 and APA 7 on the case, figure, source and
about pages in both languages, and BibTeX and RIS downloads of each. The expected strings are
written by hand from the styles' rules (see cases/citations.py)."""

import datetime
import re
import types

import pytest
from django.utils.html import escape

from cases import citation_files, citations
from cases.models import Metric, Source

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)
RELEASE = types.SimpleNamespace(version="1.0.0", published=datetime.date(2026, 11, 30))
CASE = "douyin-xunren"
FIGURE = "douyin-xunren-people-reunited-2024-06-13"
REPORT = "csi-observation-report-2024"
NEWS = "tencent-ssv-report-2022-news"
DRAFT_CASE = "tencent-village-affairs-platform"
DRAFT_FIGURE = "tencent-village-affairs-platform-villages-2023-06"
REPORT_GBT = "南方周末中国企业社会责任研究中心. 互联网企业社会创新观察报告 2024[R]. 2024"
REPORT_APA = (
    "Southern Weekly China CSR Research Center. (2024). 互联网企业社会创新观察报告 2024 "
    "[Observation Report on Social Innovation by Internet Companies 2024]."
)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(citations.timezone, "localdate", lambda: TODAY)


@pytest.fixture
def no_release(settings, tmp_path):
    """A releases folder with nothing published yet."""
    settings.CASEBOOK_RELEASES_DIR = tmp_path / "releases"


@pytest.fixture
def release(monkeypatch):
    """Release 1.0.0, published on 30 November 2026, is the latest."""
    from cases import releases

    monkeypatch.setattr(releases, "latest", lambda: RELEASE)


def cited(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.context["citation"]


# The styles, exactly -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "gbt", "apa"),
    [
        (
            f"/cases/{CASE}/",
            "企业社会创新案例库编辑部. 抖音寻人[EB/OL]. 1.0.0版. 企业社会创新案例库, "
            "2026(2026-11-30)[2026-12-03]. http://testserver/cases/douyin-xunren/.",
            "CSI Casebook Editors. (2026). 抖音寻人 [Douyin Missing Person Alerts]. In CSI "
            "Casebook (Version 1.0.0). Retrieved December 3, 2026, from "
            "http://testserver/cases/douyin-xunren/",
        ),
        (
            f"/en/cases/{CASE}/",
            "CSI Casebook Editors. Douyin Missing Person Alerts[EB/OL]. Version 1.0.0. CSI "
            "Casebook, 2026(2026-11-30)[2026-12-03]. http://testserver/en/cases/douyin-xunren/.",
            "CSI Casebook Editors. (2026). Douyin Missing Person Alerts. In CSI Casebook "
            "(Version 1.0.0). Retrieved December 3, 2026, from "
            "http://testserver/en/cases/douyin-xunren/",
        ),
        (
            "/about/",
            "企业社会创新案例库编辑部. 企业社会创新案例库: 中国互联网企业社会创新案例[DS/OL]. "
            "1.0.0版. 企业社会创新案例库, 2026(2026-11-30)[2026-12-03]. "
            "http://testserver/data/1.0.0/.",
            "CSI Casebook Editors. (2026). 企业社会创新案例库: 中国互联网企业社会创新案例 [CSI "
            "Casebook: Corporate social-innovation cases of Chinese internet companies] "
            "(Version 1.0.0) [Data set]. CSI Casebook. Retrieved December 3, 2026, from "
            "http://testserver/data/1.0.0/",
        ),
        (
            "/en/about/",
            "CSI Casebook Editors. CSI Casebook: Corporate social-innovation cases of Chinese "
            "internet companies[DS/OL]. Version 1.0.0. CSI Casebook, 2026(2026-11-30)"
            "[2026-12-03]. http://testserver/en/data/1.0.0/.",
            "CSI Casebook Editors. (2026). CSI Casebook: Corporate social-innovation cases of "
            "Chinese internet companies (Version 1.0.0) [Data set]. CSI Casebook. Retrieved "
            "December 3, 2026, from http://testserver/en/data/1.0.0/",
        ),
        (f"/sources/{REPORT}/", f"{REPORT_GBT}.", REPORT_APA),
        (f"/en/sources/{REPORT}/", f"{REPORT_GBT}.", REPORT_APA),
        (
            f"/sources/{NEWS}/",
            "腾讯探索可持续社会价值新形态新解法[N]. 快科技, 2023-08-14.",
            "腾讯探索可持续社会价值新形态新解法 [Tencent Explores New Forms and New Solutions "
            "for Sustainable Social Value]. (2023, August 14). MyDrivers.",
        ),
    ],
)
def test_pages_cite_in_gbt_7714_and_apa_7(client, casebook, release, path, gbt, apa):
    citation = cited(client, path)
    assert citation.gbt == gbt
    assert citation.apa == apa
    html = client.get(path).content.decode()
    assert escape(gbt) in html and escape(apa) in html


def test_figure_citation_names_casebook_page_release_and_document_with_locator(
    client, casebook, release
):
    figure = Metric.objects.select_related("project", "company", "source").get(slug=FIGURE)
    request = client.get("/").wsgi_request
    chinese = citations.for_figure(figure, request)
    assert chinese.gbt == (
        "企业社会创新案例库编辑部. 抖音寻人: 累计帮助团圆人数[EB/OL]. 1.0.0版. 企业社会创新案例库, "
        f"2026(2026-11-30)[2026-12-03]. http://testserver/figures/{FIGURE}/. 原始文献: "
        f"{REPORT_GBT}: 第三部分（二）社会救助：抖音寻人 · 社会价值成果，第20页."
    )
    assert chinese.bib_url == f"/cite/figure/{FIGURE}.bib"
    english = citations.for_figure(figure, client.get("/en/").wsgi_request)
    assert english.apa == (
        "CSI Casebook Editors. (2026). Douyin Missing Person Alerts: People reunited with their "
        "families (cumulative). In CSI Casebook (Version 1.0.0). Retrieved December 3, 2026, "
        f"from http://testserver/en/figures/{FIGURE}/ Original document: {REPORT_APA} Part 3 "
        "(2) Social assistance: Douyin Missing Person Alerts · Social value results, p. 20."
    )
    assert english.ris_url == f"/en/cite/figure/{FIGURE}.ris"
    # The figure's own page shows the same citation, in each language.
    assert escape(chinese.gbt) in client.get(f"/figures/{FIGURE}/").content.decode()
    assert escape(english.apa) in client.get(f"/en/figures/{FIGURE}/").content.decode()


@pytest.mark.parametrize(
    ("slug", "language", "title"),
    [
        ("industry-digital-economy-2023", "zh-hans", "中国数字经济规模"),
        ("alibaba-rural-envoys-taobao-trainees-2023", "zh-hans", "淘宝: “淘宝教育”培训覆盖人次"),
        (
            "alibaba-rural-envoys-taobao-trainees-2023",
            "en",
            "Taobao: Training attendances at Taobao Education classes",
        ),
    ],
)
def test_a_figure_is_named_by_its_owner_if_it_has_one(casebook, slug, language, title):
    """An industry-wide figure has no owner to name; a company's own is named by the company."""
    figure = Metric.objects.select_related("project", "company").get(slug=slug)
    assert citations.figure_title(figure, language) == title


def test_without_a_release_the_version_and_date_are_left_out(client, casebook, no_release):
    citation = cited(client, f"/cases/{CASE}/")
    assert citation.gbt == (
        "企业社会创新案例库编辑部. 抖音寻人[EB/OL]. 企业社会创新案例库[2026-12-03]. "
        "http://testserver/cases/douyin-xunren/."
    )
    assert citation.apa.startswith("CSI Casebook Editors. (n.d.). 抖音寻人 [Douyin Missing")
    assert "In CSI Casebook. Retrieved December 3, 2026, from" in citation.apa
    dataset = cited(client, "/en/about/")
    assert dataset.apa == (
        "CSI Casebook Editors. (n.d.). CSI Casebook: Corporate social-innovation cases of "
        "Chinese internet companies [Data set]. CSI Casebook. Retrieved December 3, 2026, from "
        "http://testserver/en/"
    )


def test_a_document_with_an_address_is_cited_online_with_the_access_date(casebook):
    news = Source.objects.get(slug=NEWS)
    news.url = "https://news.example.com/ssv.html"
    reference = citations.source_reference(news, "zh-hans", TODAY)
    assert citations.gbt(reference) == (
        "腾讯探索可持续社会价值新形态新解法[N/OL]. 快科技, 2023-08-14[2026-12-03]. "
        "https://news.example.com/ssv.html."
    )
    assert citations.apa(reference).endswith(
        "(2023, August 14). MyDrivers. https://news.example.com/ssv.html"
    )


# BibTeX and RIS ------------------------------------------------------------------------------


def hostile_source():
    return Source(
        slug="hostile",
        title_zh="R&D 100% #1 {括号} a_b ~ ^ \\ $5",
        title_en="Line one\nline two",
        kind="other",
        publisher_zh="某机构",
        publisher_en="Some {Body}",
        published_on=datetime.date(2022, 11, 1),
        published_precision="month",
        url="https://example.com/a b/{x}?q=1%2C2#top",
    )


def parse_bibtex(text):
    """{field: value} of the one entry in `text`, checking its braces and escapes on the way."""
    match = re.fullmatch(r"@(\w+)\{([\w:-]+),\n(.*)\n\}\n", text, re.DOTALL)
    assert match, text
    fields, depth, name, value, rest = {}, 0, None, "", match.group(3)
    for line in rest.split("\n"):
        if depth == 0:
            name, value = re.fullmatch(r"  (\w+) = \{(.*)", line).groups()
            depth = 1
        else:
            value += "\n" + line
        for index, char in enumerate(value):
            if char in "{}" and not (index and value[index - 1] == "\\"):
                depth += 1 if char == "{" else -1
        if depth == 0:
            value = value.removesuffix(",")
            assert value.endswith("}"), line
            fields[name] = value[:-1]
        value = "" if depth == 0 else value
    assert depth == 0, "unbalanced braces"
    return match.group(1), match.group(2), fields


def test_bibtex_escapes_specials_and_keeps_braces_balanced(casebook):
    entry = citation_files.bibtex(citations.source_reference(hostile_source(), "en", TODAY))
    entry_type, key, fields = parse_bibtex(entry)
    assert (entry_type, key) == ("misc", "csi-casebook-source-hostile")
    assert fields["title"] == (
        r"{R\&D 100\% \#1 \{括号\} a\_b \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{} \$5}"
    )
    assert fields["titleaddon"] == "[Line one line two]", "on one line"
    assert fields["url"] == "https://example.com/a%20b/%7Bx%7D?q=1%2C2#top"
    assert fields["urldate"] == "2026-12-03" and fields["date"] == "2022-11"
    for name, value in fields.items():
        if name != "url":
            assert not re.search(r"(?<!\\)[#$%&_~^]", value), (name, value)


def test_bibtex_of_the_dataset_is_a_dataset_entry_with_its_version(client, casebook, release):
    response = client.get("/en/cite/dataset.bib")
    entry_type, key, fields = parse_bibtex(response.content.decode())
    assert (entry_type, key) == ("dataset", "csi-casebook-dataset")
    assert fields["author"] == "{CSI Casebook Editors}"
    assert fields["version"] == "1.0.0" and fields["year"] == "2026"
    assert fields["url"] == "http://testserver/en/data/1.0.0/"
    assert fields["urldate"] == "2026-12-03"


def test_ris_starts_with_ty_ends_with_er_and_uses_crlf(casebook):
    record = citation_files.ris(citations.source_reference(hostile_source(), "en", TODAY))
    assert record.endswith("\r\n") and "\n" not in record.replace("\r\n", "")
    lines = record.split("\r\n")[:-1]
    assert lines[0] == "TY  - GEN" and lines[-1] == "ER  - "
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines)
    assert "TT  - Line one line two" in lines
    assert "DA  - 2022/11//" in lines and "Y2  - 2026/12/03/" in lines


def test_figure_ris_names_the_release_and_its_document(client, casebook, release):
    response = client.get(f"/cite/figure/{FIGURE}.ris")
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "TY  - ELEC" and lines[-2] == "ER  - " and lines[-1] == ""
    assert "AU  - 企业社会创新案例库编辑部" in lines
    assert "TI  - 抖音寻人: 累计帮助团圆人数" in lines
    assert "ET  - 1.0.0" in lines and "DA  - 2026/11/30/" in lines
    assert f"UR  - http://testserver/figures/{FIGURE}/" in lines
    assert any(line.startswith(f"N1  - 原始文献: {REPORT_GBT}: 第三部分") for line in lines)


# Downloads -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type", "filename"),
    [
        (f"/cite/case/{CASE}.bib", "application/x-bibtex", f"csi-casebook-case-{CASE}.bib"),
        (
            f"/en/cite/source/{NEWS}.ris",
            "application/x-research-info-systems",
            f"csi-casebook-source-{NEWS}-en.ris",
        ),
        (f"/cite/figure/{FIGURE}.bib", "application/x-bibtex", f"csi-casebook-figure-{FIGURE}.bib"),
        ("/cite/dataset.ris", "application/x-research-info-systems", "csi-casebook-dataset.ris"),
    ],
)
def test_downloads_are_attachments_with_their_content_type(
    client, casebook, no_release, path, content_type, filename
):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


@pytest.mark.parametrize(
    "path",
    [
        f"/cite/case/{DRAFT_CASE}.bib",
        f"/cite/figure/{DRAFT_FIGURE}.ris",
        "/cite/case/no-such-case.bib",
        "/cite/source/no-such-document.ris",
        f"/cite/company/{CASE}.bib",
        f"/cite/case/{CASE}.pdf",
        "/cite/dataset.txt",
        f"/en/cite/figure/{DRAFT_FIGURE}.bib",
    ],
)
def test_drafts_and_unknown_kinds_slugs_and_formats_are_not_found(client, casebook, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


# The block on the pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "summary", "bib"),
    [
        (f"/cases/{CASE}/", "引用本页", f"/cite/case/{CASE}.bib"),
        (f"/en/cases/{CASE}/", "Cite this", f"/en/cite/case/{CASE}.bib"),
        (f"/sources/{NEWS}/", "引用此文献", f"/cite/source/{NEWS}.bib"),
        (f"/en/sources/{NEWS}/", "Cite this document", f"/en/cite/source/{NEWS}.bib"),
    ],
)
def test_case_and_source_pages_offer_a_closed_cite_block(client, casebook, path, summary, bib):
    html = client.get(path).content.decode()
    block = html[html.index('<details class="citation" id="cite">') :]
    block = block[: block.index("</details>")]
    assert f"<summary>{summary}</summary>" in block
    assert "GB/T 7714-2015" in block and "APA 7" in block
    assert f'href="{bib}"' in block and f'href="{bib[:-4]}.ris"' in block
    assert block.count('class="secondary copy-button"') == 2, "one Copy button per style"
    assert 'aria-live="polite"' in block
    assert '<script src="/static/js/cite.js" defer></script>' in html


@pytest.mark.parametrize(
    ("path", "copied"),
    [("/about/", "已复制到剪贴板。"), ("/en/about/", "Copied to the clipboard.")],
)
def test_about_page_shows_the_dataset_citation_open(client, casebook, path, copied):
    html = client.get(path).content.decode()
    section = html[html.index('id="cite"') :]
    assert section.index('<div class="citation">') < section.index("</section>")
    assert '<details class="citation"' not in html
    assert f'data-copied="{copied}"' in html
    assert "/cite/dataset.bib" in section


def test_a_draft_preview_offers_no_citation(editor_client, casebook):
    """A draft has no public address to cite, and its downloads are not found."""
    response = editor_client.get(f"/cases/{DRAFT_CASE}/")
    html = response.content.decode()
    assert response.status_code == 200 and "draft-notice" in html
    assert 'class="citation"' not in html and "/cite/" not in html
