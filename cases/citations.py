"""Ready citations of a case, a figure, a source document and the casebook's dataset, in
GB/T 7714-2015 and APA 7 for the page, and as BibTeX and RIS files for reference managers.

Each item first becomes a `Reference` (who, what, when, where, in which language), made by
pure functions from loaded records; `gbt()` and `apa()` here, and `bibtex()` and `ris()` in
`cases.citation_files`, then write it in each style, so a rule of a style lives in one place.
`for_case(case, request)` and its siblings give a view what a page shows: both styles and the
download links (`Citation`).

The rules followed, briefly:

* GB/T 7714-2015 (Chinese references): ``主要责任者. 题名[文献类型标志/OL]. 版本. 出版者,
  出版年(更新或修改日期)[引用日期]. 获取和访问路径.`` A casebook page is an electronic
  resource (EB), the dataset a data set (DS), a document a report (R), a newspaper article (N)
  or other (Z). Elements a work lacks are left out (no update date without a release, no
  access date for a document cited without an address). Documents are cited in their own
  language and script, as the standard asks.
* APA 7: a casebook page is an entry in an online reference work ("Author. (Year). Entry.
  In *Work* (Version). Retrieved Month Day, Year, from URL"), since it changes over time;
  the dataset is ``Title (Version x) [Data set]``; undated is ``(n.d.)``. A work whose title
  is not English keeps it, with the English title in square brackets after it. English titles
  are written as recorded (title case): the casebook cannot tell proper nouns apart to put
  them in sentence case.
* The corporate author is the casebook's editors, 企业社会创新案例库编辑部 / CSI Casebook
  Editors; the publisher is 企业社会创新案例库 / CSI Casebook.
* A figure's citation names the casebook, the figure's page, the data release and the
  original document with the figure's place in it.
"""

import calendar
import dataclasses
import datetime
import re

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from . import releases
from .dates import Precision, is_chinese
from .models.base import localized

AUTHOR = {"zh": "企业社会创新案例库编辑部", "en": "CSI Casebook Editors"}
CASEBOOK = {"zh": "企业社会创新案例库", "en": "CSI Casebook"}
DATASET_TITLE = {
    "zh": "企业社会创新案例库: 中国互联网企业社会创新案例",
    "en": "CSI Casebook: Corporate social-innovation cases of Chinese internet companies",
}
ORIGINAL = {"zh": "原始文献", "en": "Original document"}

# GB/T 7714-2015 appendix B: document type marks; online resources add "/OL".
GBT_MARKS = {"page": "EB", "dataset": "DS", "report": "R", "news": "N", "other": "Z"}
SOURCE_KINDS = {"report": "report", "company_report": "report", "news": "news"}


@dataclasses.dataclass(frozen=True)
class Release:
    """The data release a citation names: its version (e.g. 1.0) and publication date."""

    version: str
    published: datetime.date


@dataclasses.dataclass(frozen=True)
class Reference:
    """One citable work, in the terms every style needs.

    `author`, `title` and `publisher` are as GB/T, BibTeX and RIS give them (a casebook page
    in the page's language, a document in its own); `author_en`, `publisher_en` and `title_en`
    (the English title or translation, "" when `title` is English) are what APA adds.
    `language` is the page's ("zh" or "en"), for the words the styles add; `text_language`
    the work's own. A figure's `original` is its document, with `locator` saying where."""

    key: str
    kind: str
    language: str
    text_language: str
    title: str
    title_en: str = ""
    author: str = ""
    author_en: str = ""
    publisher: str = ""
    publisher_en: str = ""
    version: str = ""
    date: datetime.date | None = None
    precision: str = Precision.DAY
    url: str = ""
    accessed: datetime.date | None = None
    original: "Reference | None" = None
    locator: str = ""
    locator_en: str = ""


@dataclasses.dataclass(frozen=True)
class Citation:
    """What a page's "Cite this" block shows: both styles and the two downloads."""

    gbt: str
    apa: str
    bib_url: str
    ris_url: str

    @property
    def styles(self):
        """(style name, citation) pairs in the order the page shows them."""
        return [("GB/T 7714-2015", self.gbt), ("APA 7", self.apa)]


def language_key(language):
    return "zh" if is_chinese(language) else "en"


# Building references (pure: loaded records in, a Reference out) ------------------------------


def casebook_page(key, title, title_en, url, language, today, release):
    """A page of the casebook: a case or a figure, by its editors, in its data release."""
    lang = language_key(language)
    return Reference(
        key=key,
        kind="page",
        language=lang,
        text_language=lang,
        title=title,
        title_en=title_en if lang == "zh" and title_en != title else "",
        author=AUTHOR[lang],
        author_en=AUTHOR["en"],
        publisher=CASEBOOK[lang],
        publisher_en=CASEBOOK["en"],
        version=release.version if release else "",
        date=release.published if release else None,
        url=url,
        accessed=today,
    )


def case_reference(case, url, language, today, release=None):
    """A case's page, e.g. 抖音寻人 at /cases/douyin-xunren/."""
    return casebook_page(
        f"csi-casebook-case-{case.slug}",
        localized(case, "name", language),
        case.name_en,
        url,
        language,
        today,
        release,
    )


def figure_title(figure, language):
    """A figure named by whom it is about and what it counts: 抖音寻人: 累计帮助团圆人数."""
    owner = figure.project or figure.company
    label = localized(figure, "label", language)
    return f"{localized(owner, 'name', language)}: {label}" if owner else label


def figure_reference(figure, url, language, today, release=None):
    """A figure's page, naming its document and where in it the figure is."""
    page = casebook_page(
        f"csi-casebook-figure-{figure.slug}",
        figure_title(figure, language),
        figure_title(figure, "en") if figure.label_en else "",
        url,
        language,
        today,
        release,
    )
    original = source_reference(figure.source, language)
    original = dataclasses.replace(
        original, locator=figure.locator, locator_en=figure.locator_en or figure.locator
    )
    return dataclasses.replace(page, original=original)


def source_reference(source, language, today=None):
    """A source document itself, in its own language (GB/T) with its English title (APA).
    A report's publisher is its author; a news article's is the paper or site."""
    english = source.language == "en"
    kind = SOURCE_KINDS.get(source.kind, "other")
    publisher = (source.publisher_en if english else source.publisher_zh) or (
        source.publisher_zh or source.publisher_en
    )
    publisher_en = source.publisher_en or source.publisher_zh
    by_publisher = kind != "news"
    return Reference(
        key=f"csi-casebook-source-{source.slug}",
        kind=kind,
        language=language_key(language),
        text_language="en" if english else "zh",
        title=source.title_en if english else source.title_zh,
        title_en="" if english else source.title_en,
        author=publisher if by_publisher else "",
        author_en=publisher_en if by_publisher else "",
        publisher=publisher,
        publisher_en=publisher_en,
        date=source.published_on,
        precision=source.published_precision,
        url=source.url,
        accessed=today if source.url else None,
    )


def dataset_reference(url, language, today, release=None):
    """The casebook's data as a whole, in its latest release."""
    lang = language_key(language)
    return Reference(
        key="csi-casebook-dataset",
        kind="dataset",
        language=lang,
        text_language=lang,
        title=DATASET_TITLE[lang],
        title_en=DATASET_TITLE["en"] if lang == "zh" else "",
        author=AUTHOR[lang],
        author_en=AUTHOR["en"],
        publisher=CASEBOOK[lang],
        publisher_en=CASEBOOK["en"],
        version=release.version if release else "",
        date=release.published if release else None,
        url=url,
        accessed=today,
    )


# Dates as each style writes them ------------------------------------------------------------


def iso_date(value, precision=Precision.DAY):
    """2023-08-14, 2022-11 or 2018, as far as `precision` allows (GB/T, BibTeX)."""
    if precision == Precision.YEAR:
        return f"{value.year}"
    if precision == Precision.MONTH:
        return f"{value.year}-{value.month:02d}"
    return value.isoformat()


def apa_date(value, precision=Precision.DAY, *, year_only=False):
    """(2023, August 14), (2022, November), (2018), or (n.d.) for no date."""
    if value is None:
        return "(n.d.)"
    if year_only or precision == Precision.YEAR:
        return f"({value.year})"
    month = calendar.month_name[value.month]
    if precision == Precision.MONTH:
        return f"({value.year}, {month})"
    return f"({value.year}, {month} {value.day})"


def apa_retrieved(value):
    return f"Retrieved {calendar.month_name[value.month]} {value.day}, {value.year}, from"


def plain_version(ref):
    """The release's version without a leading v: 1.0 for v1.0."""
    return re.sub(r"^[vV](?=\d)", "", ref.version)


def version_label(ref):
    """1.0版 in Chinese, Version 1.0 in English (GB/T's edition statement)."""
    return f"{plain_version(ref)}版" if ref.language == "zh" else f"Version {plain_version(ref)}"


# GB/T 7714-2015 ------------------------------------------------------------------------------


def gbt(ref):
    """The reference in GB/T 7714-2015, e.g.
    企业社会创新案例库编辑部. 抖音寻人[EB/OL]. 1.0版. 企业社会创新案例库, 2026(2026-12-01)
    [2026-12-03]. https://…/cases/douyin-xunren/."""
    mark = GBT_MARKS[ref.kind] + ("/OL" if ref.url else "")
    parts = [f"{ref.author + '. ' if ref.author else ''}{ref.title}[{mark}]."]
    if ref.version:
        parts.append(f"{version_label(ref)}.")
    publication = gbt_publication(ref)
    if publication:
        parts.append(f"{publication}.")
    if ref.url:
        parts.append(f"{ref.url}.")
    if ref.original:
        parts.append(f"{ORIGINAL[ref.language]}: {gbt(ref.original)}")
    return " ".join(parts)


def gbt_publication(ref):
    """出版者, 出版年: 引文页码(更新或修改日期)[引用日期], with what the work lacks left out.
    A casebook page's date is its release's; a report names its publisher as its author
    (not again); a newspaper article gives its full date."""
    if ref.kind in {"page", "dataset"}:
        text = ref.publisher
        if ref.date:
            text += f", {ref.date.year}({ref.date.isoformat()})"
    elif ref.kind == "news":
        date = iso_date(ref.date, ref.precision)
        text = f"{ref.publisher}, {date}" if ref.publisher else date
    else:
        text = f"{ref.date.year}"
    if ref.locator:
        text += f": {ref.locator}"
    if ref.accessed:
        text += f"[{ref.accessed.isoformat()}]"
    return text


# APA 7 ---------------------------------------------------------------------------------------


def apa_title(ref):
    return f"{ref.title} [{ref.title_en}]" if ref.title_en else ref.title


def apa(ref):
    """The reference in APA 7, e.g. CSI Casebook Editors. (2026). Douyin Missing Person
    Alerts. In CSI Casebook (Version 1.0). Retrieved December 3, 2026, from https://…"""
    if ref.kind in {"page", "dataset"}:
        date = apa_date(ref.date, year_only=True)
        version = f" (Version {plain_version(ref)})" if ref.version else ""
        if ref.kind == "page":
            text = f"{ref.author_en}. {date}. {apa_title(ref)}. In {ref.publisher_en}{version}."
        else:
            text = (
                f"{ref.author_en}. {date}. {apa_title(ref)}{version} [Data set]. "
                f"{ref.publisher_en}."
            )
        text += f" {apa_retrieved(ref.accessed)} {ref.url}"
    elif ref.kind == "news":
        date = apa_date(ref.date, ref.precision)
        if ref.author_en:
            text = f"{ref.author_en}. {date}. {apa_title(ref)}."
        else:
            text = f"{apa_title(ref)}. {date}."
        if ref.publisher_en:
            text += f" {ref.publisher_en}."
        if ref.url:
            text += f" {ref.url}"
    else:
        date = apa_date(ref.date, year_only=True)
        head = f"{ref.author_en}. {date}. " if ref.author_en else ""
        text = f"{head}{apa_title(ref)}." if head else f"{apa_title(ref)}. {date}."
        if ref.publisher_en and ref.publisher_en != ref.author_en:
            text += f" {ref.publisher_en}."
        if ref.url:
            text += f" {ref.url}"
    if ref.original:
        text += f" {apa_original(ref)}"
    return text


def apa_original(ref):
    """Original document: its APA reference, then where in it (a figure's locator)."""
    text = f"{ORIGINAL['en']}: {apa(ref.original)}"
    if ref.original.locator_en:
        text += f"{'' if text.endswith('.') else '.'} {ref.original.locator_en}."
    return text


# For views -----------------------------------------------------------------------------------


def latest_release():
    """The latest data release as a `Release`, or None before the first (`cases.releases`
    reads the releases folder again only when it changes)."""
    release = releases.latest()
    if release is None:
        return None
    return Release(version=str(release.version), published=release.published)


def download_urls(kind, slug=None):
    if kind == "dataset":
        return [reverse("cases:cite_dataset", args=[fmt]) for fmt in ("bib", "ris")]
    return [reverse("cases:cite", args=[kind, slug, fmt]) for fmt in ("bib", "ris")]


def reference_for(kind, record, request):
    """The reference of `record` (a case, figure or source; None for the dataset) as the
    request's page would cite it: its address, language, today as the access date."""
    language = get_language()
    today = timezone.localdate()
    if kind == "source":
        return source_reference(record, language, today)
    release = latest_release()
    if kind == "case":
        url = request.build_absolute_uri(record.get_absolute_url())
        return case_reference(record, url, language, today, release)
    if kind == "figure":
        url = request.build_absolute_uri(reverse("cases:figure", args=[record.slug]))
        return figure_reference(record, url, language, today, release)
    url = request.build_absolute_uri(dataset_path(release))
    return dataset_reference(url, language, today, release)


def dataset_path(release):
    """The release's own page (its files never change), or the home page before the first."""
    if release:
        return reverse("cases:data_release", args=[release.version])
    return reverse("cases:home")


def citation(kind, record, request):
    """What the page of `record` (None for the dataset) shows under "Cite this"."""
    ref = reference_for(kind, record, request)
    bib_url, ris_url = download_urls(kind, getattr(record, "slug", None))
    return Citation(gbt=gbt(ref), apa=apa(ref), bib_url=bib_url, ris_url=ris_url)


def for_case(case, request):
    """The "Cite this" block of a case's page."""
    return citation("case", case, request)


def for_figure(figure, request):
    """The "Cite this" block of a figure's page (needs its project, company and source)."""
    return citation("figure", figure, request)


def for_source(source, request):
    """The "Cite this" block of a source document's page: the document itself."""
    return citation("source", source, request)


def for_dataset(request):
    """The casebook's data as a whole, for the about page."""
    return citation("dataset", None, request)
