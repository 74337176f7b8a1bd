"""The benchmark's results as `bench/run.py` writes them: a markdown table, the raw numbers as
JSON, a plotly page of cold latency and p95 over the floor per page, and the goals missed."""

import json
from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots

ROOT = Path(__file__).resolve().parent.parent
PLOTLY_JS = ROOT / "static" / "vendor" / "plotly" / "plotly-basic.min.js"

# The goals the numbers are held to; missing one is reported, never an error.
COLD_MS = 300
FLOOR_MULTIPLE = 3
CASE_LIST_OVER_DATASETTE = 5
CSV_OVER_DATASETTE = 2
CSV_FIRST_BYTE_S = 0.5
MEMORY_GROWTH_MB = 50


def number(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def page_row(page):
    return [
        page["name"],
        f"`{page['path']}`",
        number(page["queries"]),
        number(page["cold_ms"]),
        number(page["p50_ms"], 1),
        number(page["p95_ms"], 1),
        number(page["floor_p95_ms"], 1),
        number(page["p95_over_floor"], 1),
        number(page["rps"]),
        number(page["bytes"] / 1024, 1),
        number(page["memory_growth_mb"], 1),
    ]


HEADER = [
    "page", "path", "queries", "cold ms", "p50 ms", "p95 ms", "floor p95 ms", "p95/floor",
    "req/s", "KB", "memory growth MB",
]  # fmt: skip


def describe(counts):
    """How much data the pages were computed from: "34 cases, 34 published cases, …"."""
    return ", ".join(f"{value:,} {name}" for name, value in counts.items())


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---" if i < 2 else "--:" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(header, rows):
    """The same table for a terminal: columns padded, the path left out."""
    header = [header[0], *header[2:]]
    rows = [[row[0], *row[2:]] for row in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = []
    for index, row in enumerate([header, *rows]):
        cells = [
            str(cell).ljust(width) if position == 0 else str(cell).rjust(width)
            for position, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells))
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def missed_goals(results):
    """What falls short of the goals, one sentence each."""
    missed = []
    for page in results["pages"]:
        name = f"{page['name']} ({page['path']})"
        # A download's goal is its first byte (below); its whole answer takes what 46 MB does.
        timed = page.get("kind") != "download"
        if timed and page["cold_ms"] is not None and page["cold_ms"] > COLD_MS:
            missed.append(f"{name}: cold {page['cold_ms']:.0f} ms > {COLD_MS} ms")
        if page["p95_over_floor"] is not None and page["p95_over_floor"] > FLOOR_MULTIPLE:
            missed.append(
                f"{name}: p95 {page['p95_ms']:.1f} ms is {page['p95_over_floor']:.1f}× the "
                f"floor's {page['floor_p95_ms']:.1f} ms (goal ≤ {FLOOR_MULTIPLE}×)"
            )
        growth = page["memory_growth_mb"]
        if growth is not None and growth > MEMORY_GROWTH_MB:
            missed.append(f"{name}: a worker grew by {growth:.0f} MB > {MEMORY_GROWTH_MB} MB")
        first_byte = page.get("first_byte_s")
        if first_byte is not None and first_byte > CSV_FIRST_BYTE_S:
            missed.append(f"{name}: first byte after {first_byte:.2f} s > {CSV_FIRST_BYTE_S} s")
    datasette = results.get("datasette")
    if datasette:
        goals = [
            ("case list / 1 facet", CASE_LIST_OVER_DATASETTE, "/cases/", "faceted page (1 facet)"),
            (
                "case list / 3 facets",
                CASE_LIST_OVER_DATASETTE,
                "/cases/",
                "faceted page (3 facets)",
            ),
            ("figures CSV / JSON", CSV_OVER_DATASETTE, "figures CSV", "table JSON"),
        ]
        for key, goal, ours, theirs in goals:
            value = datasette["ratios"][key]
            if value is not None and value < goal:
                missed.append(f"{ours}: {value:.1f}× Datasette's {theirs} req/s (goal ≥ {goal}×)")
    return missed


def datasette_section(datasette, settings):
    rows = [
        [name, f"`{found['url']}`", number(found["rps"]), number(found["p50_ms"], 1),
         number(found["p95_ms"], 1), number(found["bytes"] / 1024, 1)]
        for name, found in datasette["pages"].items()
    ]  # fmt: skip
    ratios = datasette["ratios"]
    computed = ", ".join(datasette["facets"]) or "none"
    if datasette["facets_timed_out"]:
        computed += f"; timed out: {', '.join(datasette['facets_timed_out'])}"
    goal = f"(goal ≥ {CASE_LIST_OVER_DATASETTE}×)"
    lines = [
        f"## Against Datasette {datasette['datasette']} (SQLite, the same curated data)",
        "",
        f"{settings['connections']} concurrent clients for {settings['seconds']} s each, warm, "
        f"one after the other. Datasette computed the facets {computed}.",
        "",
        markdown_table(["page", "path", "req/s", "p50 ms", "p95 ms", "KB"], rows),
        "",
        "Requests per second, ours ÷ Datasette's:",
        "",
        f"- `/cases/` ÷ faceted table page, 1 facet: "
        f"**{number(ratios['case list / 1 facet'], 1)}×** {goal}",
        f"- `/cases/` ÷ faceted table page, 3 facets: "
        f"**{number(ratios['case list / 3 facets'], 1)}×** {goal}",
        f"- `/metrics/figures.csv` ÷ table JSON ({datasette['figures']} figures): "
        f"**{number(ratios['figures CSV / JSON'], 1)}×** (goal ≥ {CSV_OVER_DATASETTE}×)",
    ]
    return "\n".join(lines)


def markdown(results):
    settings, machine = results["settings"], results["machine"]
    rows = [page_row(page) for page in results["pages"]]
    csv = [page for page in results["pages"] if page.get("first_byte_s") is not None]
    lines = [
        f"# Benchmark, size {results['size']}, {results['started']}",
        "",
        f"Commit {results['commit']}. {settings['connections']} concurrent keep-alive clients "
        f"({settings['tool']}) for {settings['seconds']} s on each page, then as long on the floor "
        "view with the same number of bytes; cold is the median of "
        f"{settings['cold_runs']} requests each after emptying the cache. Queries: computed "
        "in-process with an empty cache. Memory growth: the largest rise of one gunicorn "
        "worker's peak resident memory (VmHWM) over a page's load.",
        "",
        markdown_table(HEADER, rows),
        "",
    ]
    for page in csv:
        lines.append(
            f"Time to first byte of `{page['path']}`: {page['first_byte_s']:.3f} s cold "
            f"(goal ≤ {CSV_FIRST_BYTE_S} s), whole answer {page['cold_ms'] / 1000:.3f} s."
        )
    cached = [page for page in results["pages"] if page["page_cache"]["warm"]]
    if cached:
        computed = [page["name"] for page in cached if page["page_cache"]["warm"] != "hit"]
        lines.append(
            f"Served warm from the whole-page cache (X-Page-Cache: hit): "
            f"{len(cached) - len(computed)} of {len(results['pages'])} pages"
            + (f"; computed although cacheable: {', '.join(computed)}." if computed else ".")
        )
    if results.get("datasette"):
        lines += ["", datasette_section(results["datasette"], settings)]
    lines += ["", "## Goals missed", ""]
    lines += [f"- {line}" for line in results["missed"]] or ["None."]
    lines += ["", "## Errors", ""]
    lines += [f"- {line}" for line in results["errors"]] or ["None."]
    lines += [
        "",
        "## Machine",
        "",
        f"- {machine['cores']} cores ({machine['cpu']}), {machine['ram_gb']} GB RAM, "
        f"load average {' '.join(str(value) for value in machine['load_average'])} at the start",
        f"- Python {machine['python']}, Django {machine['django']}, {machine['gunicorn']} "
        f"({settings['workers']}), PostgreSQL {machine['postgresql']}, Redis {machine['redis']}",
        f"- load generator: {settings['tool_version'] or settings['tool']}",
        f"- data: {describe(results['counts'])}",
    ]
    return "\n".join(lines) + "\n"


def plot(results):
    """Cold latency and p95 over the floor per page, as a self-contained HTML page."""
    pages = list(reversed(results["pages"]))
    names = [page["name"] for page in pages]
    figure = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=["cold ms (empty cache)", f"p95 ÷ floor's p95 (goal ≤ {FLOOR_MULTIPLE}×)"],
    )
    figure.add_trace(
        go.Bar(x=[page["cold_ms"] for page in pages], y=names, orientation="h", name="cold ms"),
        row=1,
        col=1,
    )
    figure.add_trace(
        go.Bar(
            x=[page["p95_over_floor"] for page in pages],
            y=names,
            orientation="h",
            name="p95 / floor",
        ),
        row=1,
        col=2,
    )
    figure.add_vline(x=COLD_MS, line_dash="dash", row=1, col=1)
    figure.add_vline(x=FLOOR_MULTIPLE, line_dash="dash", row=1, col=2)
    figure.update_layout(
        title=f"CSI Casebook benchmark, size {results['size']}, {results['started']}",
        height=160 + 22 * len(pages),
        showlegend=False,
        margin={"l": 180},
    )
    chart = figure.to_html(full_html=False, include_plotlyjs=False)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Benchmark {results['size']} {results['started']}</title>\n"
        f"<script>{PLOTLY_JS.read_text()}</script>\n</head>\n<body>\n{chart}\n</body>\n</html>\n"
    )


def write(results, folder, stem):
    """bench-SIZE-STAMP.md, .json and .html in `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.{suffix}" for suffix in ("md", "json", "html")]
    paths[0].write_text(markdown(results))
    paths[1].write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    paths[2].write_text(plot(results))
    return paths
