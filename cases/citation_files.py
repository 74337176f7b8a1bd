"""Citations as files for reference managers: BibTeX (with biblatex's fields) and RIS, written
from the same `Reference` as the page's GB/T 7714 and APA citations (`cases.citations`)."""

import re

from .citations import ORIGINAL, apa_original, gbt, iso_date
from .dates import Precision

RIS_TYPES = {"page": "ELEC", "dataset": "DATA", "report": "RPRT", "news": "NEWS", "other": "GEN"}

# BibTeX --------------------------------------------------------------------------------------

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def one_line(text):
    """Text on one line: line breaks, tabs and runs of spaces become one space."""
    return re.sub(r"\s+", " ", str(text)).strip()


def bibtex_escape(text):
    """Text as a BibTeX field value: LaTeX's special characters escaped, braces balanced."""
    return "".join(LATEX_SPECIALS.get(char, char) for char in one_line(text))


def bibtex_url(url):
    """A URL as BibTeX and biblatex read it verbatim: only what would unbalance the field's
    braces (and spaces) is percent-encoded."""
    for char, code in (("\\", "%5C"), ("{", "%7B"), ("}", "%7D"), (" ", "%20")):
        url = url.replace(char, code)
    return url


def note(ref):
    """The original document of a figure, with where in it, as a sentence in the page's
    language and style (GB/T in Chinese, APA in English)."""
    if not ref.original:
        return ""
    if ref.language == "zh":
        return f"{ORIGINAL['zh']}: {gbt(ref.original)}"
    return apa_original(ref)


def bibtex(ref):
    """The reference as one BibTeX entry (@dataset for the dataset, @misc otherwise), with
    biblatex's url, urldate, date and version fields; corporate names and titles in double
    braces so their case and words are kept."""
    fields = []
    if ref.author:
        fields.append(("author", f"{{{bibtex_escape(ref.author)}}}"))
    fields.append(("title", f"{{{bibtex_escape(ref.title)}}}"))
    if ref.title_en:
        fields.append(("titleaddon", f"[{bibtex_escape(ref.title_en)}]"))
    if ref.publisher:
        field = "publisher" if ref.kind == "dataset" else "howpublished"
        fields.append((field, bibtex_escape(ref.publisher)))
    if ref.date:
        fields.append(("year", str(ref.date.year)))
        fields.append(("date", iso_date(ref.date, ref.precision)))
    if ref.version:
        fields.append(("version", bibtex_escape(ref.version)))
    if ref.url:
        fields.append(("url", bibtex_url(ref.url)))
    if ref.accessed:
        fields.append(("urldate", ref.accessed.isoformat()))
    if ref.original:
        fields.append(("note", bibtex_escape(note(ref))))
    fields.append(("langid", "chinese" if ref.text_language == "zh" else "english"))
    entry_type = "dataset" if ref.kind == "dataset" else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{ref.key},\n{body}\n}}\n"


# RIS -----------------------------------------------------------------------------------------


def ris_date(value, precision=Precision.DAY):
    """YYYY/MM/DD/ with the parts `precision` does not know left empty (2022/11//)."""
    if precision == Precision.YEAR:
        return f"{value.year}///"
    if precision == Precision.MONTH:
        return f"{value.year}/{value.month:02d}//"
    return f"{value.year}/{value.month:02d}/{value.day:02d}/"


def ris(ref):
    """The reference as one RIS record: TY first, ER last, one `XX  - value` line per field
    (values on one line), lines ending in CRLF as the format asks."""
    lines = [("TY", RIS_TYPES[ref.kind])]
    if ref.author:
        lines.append(("AU", ref.author))
    lines.append(("TI", ref.title))
    if ref.title_en:
        lines.append(("TT", ref.title_en))
    if ref.publisher:
        if ref.kind in {"page", "news"}:
            lines.append(("T2", ref.publisher))
        lines.append(("PB", ref.publisher))
    if ref.version:
        lines.append(("ET", ref.version))
    if ref.date:
        lines.append(("PY", str(ref.date.year)))
        lines.append(("DA", ris_date(ref.date, ref.precision)))
    if ref.url:
        lines.append(("UR", ref.url))
    if ref.accessed:
        lines.append(("Y2", ris_date(ref.accessed)))
    if ref.original:
        lines.append(("N1", note(ref)))
    lines.append(("LA", ref.text_language))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)
