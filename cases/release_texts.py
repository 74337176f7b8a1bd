"""The words and metadata of a data release: `datapackage.json`, the README, the licence and
the changelog, in English and Chinese. The files themselves are written by `cases.releases`."""

from .dates import format_partial_date
from .models import Source

LICENSE_ID = "CC-BY-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_LEGAL_CODE = "https://creativecommons.org/licenses/by/4.0/legalcode"
LICENSE_TITLE = "Creative Commons Attribution 4.0 International"

TITLE_EN = "CSI Casebook: corporate social-innovation cases of Chinese internet companies"
TITLE_ZH = "企业社会创新案例库：中国互联网企业社会创新案例"
DESCRIPTION_EN = (
    "Cases of corporate social innovation by Chinese internet companies, with their companies, "
    "partners, social issues and milestones, and every outcome figure with the document it comes "
    "from, where in that document, its original wording and the date it held; and the social "
    "value impact index with the editors' confirmed assessments. Curated by hand from five "
    "public documents."
)
DESCRIPTION_ZH = (
    "中国互联网企业社会创新案例，含主导企业、合作方、社会议题与大事记；每项成果数据均注明来源文献、"
    "文中位置、原文表述及数据截至日期；另含社会价值影响力指数框架及编辑确认的评估。"
    "由编辑根据五份公开文献人工整理。"
)

LICENSE_TEXT = f"""CSI Casebook data release · 企业社会创新案例库数据发布

Licence: {LICENSE_TITLE} ({LICENSE_ID})
Legal code: {LICENSE_LEGAL_CODE}

What the licence covers
-----------------------
The casebook's own work in this package: the selection and arrangement of the records, the
structure of the tables and their schemas, the descriptions, summaries, editor's notes and
assessments we wrote, and our English translations. You may copy, share and adapt them for any
purpose, commercial ones included, as long as you credit the CSI Casebook (name it, give the
release's version and link to where you found it), say whether you changed anything, and do not
suggest that we endorse you or your use.

What it does not cover
----------------------
The source documents belong to their authors and publishers, listed in the `sources` table.
The original wordings and short quotations in this package are given so that each figure can be
checked against its document; the documents themselves are not licensed here, and reusing them
beyond quotation is a matter for their authors. The names and marks of the companies and
organisations belong to them.

This notice is a summary in our words; the legal code at the address above is what applies.

许可说明
--------
本数据包中属于案例库自身的工作——记录的选取与编排、数据表结构与字段说明、我们撰写的描述、摘要、
编者注与评估，以及英文翻译——以“知识共享署名 4.0 国际”（CC BY 4.0）许可发布：可为任何目的
（包括商业目的）复制、分发和改编，但须署名“企业社会创新案例库”（注明发布版本及获取地址），
说明是否作了修改，且不得暗示我们认可您或您的使用。

来源文献的著作权属于其作者和出版方（见 sources 表），不在本许可范围内；数据包中的原文表述和简短
引文仅供核对数据出处。企业和机构的名称与标识归其所有。以上为概述，以上述法律文本为准。
"""


def resource(table, path, sha256_of):
    """The descriptor of one table's CSV file, with its size and sha256."""
    return {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "title": table.title_en,
        "title_zh": table.title_zh,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": path.stat().st_size,
        "hash": f"sha256:{sha256_of(path)}",
        "schema": table.schema(),
    }


def sources():
    """The documents the data comes from, as the data package lists them."""
    listed = []
    for source in Source.objects.order_by("-published_on", "slug"):
        entry = {"title": source.title_en or source.title_zh, "title_zh": source.title_zh}
        if source.url:
            entry["path"] = source.url
        listed.append(entry)
    return listed


def descriptor(version, now, resources):
    """datapackage.json (Frictionless Data Package v1, tabular)."""
    return {
        "profile": "tabular-data-package",
        "name": "csi-casebook",
        "title": TITLE_EN,
        "title_zh": TITLE_ZH,
        "description": DESCRIPTION_EN,
        "description_zh": DESCRIPTION_ZH,
        "version": version,
        "created": now.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "keywords": ["corporate social innovation", "CSR", "China", "企业社会创新", "社会责任"],
        "licenses": [{"name": LICENSE_ID, "path": LICENSE_URL, "title": LICENSE_TITLE}],
        "sources": sources(),
        "resources": resources,
    }


def readme(version, changes, tables):
    """README.md of a release, in English then Chinese."""
    counts = changes["counts"]
    rows_en = "\n".join(
        f"| `{t.path}` | {t.title_en} | {counts[t.name]} | {', '.join(t.primary_key)} |"
        for t in tables
    )
    rows_zh = "\n".join(
        f"| `{t.path}` | {t.title_zh} | {counts[t.name]} | {'、'.join(t.primary_key)} |"
        for t in tables
    )
    documents = "\n".join(
        f"- {source.title_zh} / {source.title_en} "
        f"({format_partial_date(source.published_on, source.published_precision)})"
        for source in Source.objects.order_by("-published_on", "slug")
    )
    return f"""# CSI Casebook data, release {version} · 企业社会创新案例库数据 {version}

{DESCRIPTION_EN}

## What is here

A [Frictionless data package](https://specs.frictionlessdata.io/data-package/):
`datapackage.json` describes every table, its columns (type, constraints, titles in English
and Chinese), its primary key and the keys that link it to other tables. Records are named by
their slugs, which stay the same from one release to the next. Only public data is included:
published cases, their figures and the figures of companies and of the sector, and confirmed
assessments.

| file | table | rows | key |
|---|---|---|---|
{rows_en}

Each CSV is UTF-8 with a byte-order mark (so that Excel shows the Chinese; in pandas use
`encoding="utf-8-sig"`), with a header row and CRLF line ends. Values are in base units
(1.76万吨 is `17600` with unit 吨), dates are ISO (`2023-12-31`) with their precision in the
column beside them, booleans are `true`/`false`, and an empty cell means no value. A text cell
that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) has a `'` before
it. `changes.json` and `CHANGELOG.md` list what changed since the previous release;
`checksums.sha256` lets you check every file (`sha256sum -c checksums.sha256`).

## How to cite

CSI Casebook, data release {version}. Corporate social-innovation cases of Chinese internet
companies [dataset]. Licensed CC BY 4.0.

When you use a figure, cite the document it comes from as well (`figures.source` →
`sources`, with `locator` for where in it).

## Licence

Our curation, texts, translations and the structure of this package are licensed under
[{LICENSE_TITLE}]({LICENSE_URL}) (see `LICENSE`). The source documents are not: they belong
to their authors and publishers. The documents:

{documents}

---

# 企业社会创新案例库数据 {version}

{DESCRIPTION_ZH}

## 内容

本数据包遵循 Frictionless Data Package 规范：`datapackage.json` 说明每张数据表及其字段
（类型、约束、中英文标题）、主键和表间关联。记录以标识（slug）命名，各版本之间保持不变。
仅含公开数据：已发布的案例及其数据、企业与行业数据，以及已确认的评估。

| 文件 | 数据表 | 行数 | 主键 |
|---|---|---|---|
{rows_zh}

CSV 文件为带字节顺序标记（BOM）的 UTF-8 编码（Excel 可正确显示中文；pandas 请用
`encoding="utf-8-sig"`）。数值为基本单位（1.76万吨记为 `17600`，单位为吨），日期为 ISO 格式，
其精度见相邻字段；布尔值为 `true`/`false`；空单元格表示无数据。以 `=`、`+`、`-`、`@`
开头的文本前加有 `'`，以免电子表格将其当作公式执行。`changes.json` 与 `CHANGELOG.md`
列出与上一版本相比的变化；可用 `sha256sum -c checksums.sha256` 校验文件。

## 引用

企业社会创新案例库. 中国互联网企业社会创新案例数据集: {version}[DS]. CC BY 4.0.

使用单项数据时，请同时引用其来源文献（`figures.source` 对应 `sources` 表，`locator` 为文中位置）。

## 许可

案例库的整理、撰写的文字、翻译及数据包结构以 CC BY 4.0 许可发布（见 `LICENSE`）；来源文献的
著作权属于其作者和出版方，不在许可范围内。
"""


def _value(text):
    return f"`{text}`" if text != "" else "—"


def changelog(changes):
    """CHANGELOG.md: what changed since the previous release, figures field by field."""
    version, previous = changes["version"], changes["previous"]
    lines = [f"# Release {version} · 版本 {version}", ""]
    lines += [changes[key] + "\n" for key in ("notes", "notes_zh") if changes.get(key)]
    if previous is None:
        lines += ["First release · 首次发布", ""]
        lines += [f"- {name}: {count}" for name, count in changes["counts"].items()]
        return "\n".join(lines) + "\n"
    lines += [f"Changes since {previous} · 与 {previous} 相比的变化", "", "## Tables · 数据表", ""]
    lines += ["| table | rows | added | changed | removed |", "|---|---|---|---|---|"]
    for name, table in changes["tables"].items():
        lines.append(
            f"| {name} | {changes['counts'][name]} | {len(table['added'])} | "
            f"{len(table['changed'])} | {len(table['removed'])} |"
        )
    figures = changes["figures"]
    lines += ["", "## Figures · 数据", ""]
    if not any(figures.values()):
        lines.append("No figure changed · 数据无变化")
    for slug in figures["added"]:
        lines.append(f"- added · 新增: `{slug}`")
    for change in figures["changed"]:
        lines.append(f"- changed · 修改: `{change['slug']}`")
        for column, (before, after) in change["fields"].items():
            lines.append(f"  - {column}: {_value(before)} → {_value(after)}")
    for slug in figures["removed"]:
        lines.append(f"- removed · 删除: `{slug}`")
    return "\n".join(lines) + "\n"
