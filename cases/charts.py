"""Every chart on the site, as pure functions from plain data to a plotly figure dict.

A figure dict has plotly's `data` and `layout`, plus two keys plotly ignores and the page uses:
`table` (the chart's data as columns and rows, shown as a table for screen readers and
downloaded as CSV) and `summary` (one sentence saying what the chart shows).

Labels come in the language asked for. Names and texts passed in are used as given (already
in that language), escaped for plotly, which reads a few HTML tags in its labels.

Figures are drawn on one value axis only when they measure the same thing in the same unit:
every function that plots values checks the `measure` of its points and refuses a mix.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .dates import is_chinese
from .numbers import CHINESE_SCALES, ENGLISH_SCALES

FONT = (
    'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
)
TEXT_COLOUR = "#1b1f24"
GRID_COLOUR = "#e3e7eb"
# Colour-blind-safe (Okabe–Ito, darkened where needed for contrast on white).
PALETTE = ["#0b5cad", "#c75000", "#00806b", "#a8327a", "#6c5b00", "#3d6fb5", "#8a4f1d"]
BAR_HEIGHT = 28
LABEL_LENGTH = 18


@dataclass(frozen=True)
class Point:
    """One plotted value: where it goes (`x`: a category or an ISO date), its value (a range
    has `high`), how it reads (`text`: 超2.29万人), its as-of date as read, and its owner
    (`group`: the company it is compared for).

    `measure` says what the value counts, e.g. ("people-benefiting", "人"); points with
    different measures never share a value axis.
    """

    x: object
    value: Decimal | float | int
    text: str = ""
    high: Decimal | float | int | None = None
    as_of: str = ""
    group: str = ""
    measure: tuple = ()


@dataclass(frozen=True)
class Series:
    """Values of one measure: a title, the unit as readers say it, and the points."""

    title: str
    unit: str
    points: list = field(default_factory=list)


class MixedMeasures(ValueError):
    """Raised when figures of different indicators or units would share one axis."""


def _label(text):
    """`text` made safe for plotly's labels, which read <b>, <a> and other tags."""
    return escape(str(text), quote=False)


def shortened(text, length=LABEL_LENGTH):
    """`text` cut to `length` characters, an ellipsis marking the cut."""
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _width(chinese, english):
    """How many characters fit: Chinese characters are about twice as wide as Latin ones."""
    return chinese if is_chinese(translation.get_language()) else english


def _wrapped(text, width):
    """`text` escaped and broken into lines of about `width` characters (at spaces where it
    has them), for titles over narrow panels."""
    text = str(text)
    if " " not in text:
        lines = [text[start : start + width] for start in range(0, len(text), width)]
    else:
        lines = [""]
        for word in text.split():
            if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
                lines.append(word)
            else:
                lines[-1] = f"{lines[-1]} {word}".strip()
    return "<br>".join(_label(line) for line in lines[:3])


def _dated_ticks(points):
    """Ticks at the points' own dates, labelled as the documents date them (2023年底):
    an end-of-year figure would otherwise sit beside the next year's tick."""
    points = sorted(points, key=lambda point: str(point.x))
    return {
        "tickmode": "array",
        "tickvals": [str(point.x) for point in points],
        "ticktext": [_label(point.as_of or point.x) for point in points],
    }


def _number(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _scale(points, unit, language):
    """(divisor, axis title) so that large values read on the axis as 56.1 万亿元 or 56.1
    trillion yuan rather than 56,100,000,000,000."""
    largest = max((abs(_number(point.high or point.value)) for point in points), default=0)
    scales = CHINESE_SCALES if is_chinese(language) else ENGLISH_SCALES
    for threshold, divisor, word in scales:
        if largest >= threshold:
            title = f"{word}{unit}" if is_chinese(language) else f"{word} {unit}"
            return divisor, title
    return 1, unit


def _scaled(value, divisor):
    value = _number(value)
    if value is None or divisor == 1:
        return value
    return round(float(value) / float(divisor), 6)


def _one_measure(points):
    """The measure all `points` share; MixedMeasures if they do not share one."""
    measures = {point.measure for point in points}
    if len(measures) > 1:
        raise MixedMeasures(
            f"figures of different indicators or units cannot share an axis: {sorted(measures)}"
        )
    return measures.pop() if measures else ()


def _layout(title, height, **extra):
    layout = {
        "title": {"text": _label(title), "x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR},
        "colorway": PALETTE,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 50, "b": 10, "pad": 4},
        "hoverlabel": {"font": {"family": FONT}},
        "showlegend": False,
    }
    layout.update(extra)
    return layout


def _value_axis(title, **extra):
    axis = {
        "title": {"text": _label(title)},
        "separatethousands": True,
        "exponentformat": "none",
        "rangemode": "tozero",
        "gridcolor": GRID_COLOUR,
        "zeroline": True,
        "zerolinecolor": "#8a939d",
        "automargin": True,
    }
    axis.update(extra)
    return axis


def _category_axis(title="", **extra):
    axis = {"type": "category", "automargin": True, "title": {"text": _label(title)}}
    axis.update(extra)
    return axis


def _date_axis(title, **extra):
    """A time axis; in Chinese its ticks read 2023年, 2023年10月 or 2023年10月1日 as the
    scale needs (plotly's own Chinese month names come out as a bare 十 beside the year)."""
    axis = {"type": "date", "automargin": True, "title": {"text": _label(title)}}
    if is_chinese(translation.get_language()):
        axis["tickformatstops"] = [
            {"dtickrange": [None, "M1"], "value": "%Y年%-m月%-d日"},
            {"dtickrange": ["M1", "M6"], "value": "%Y年%-m月"},
            {"dtickrange": ["M12", None], "value": "%Y年"},
        ]
    axis.update(extra)
    return axis


def _figure(data, layout, columns, rows, summary):
    return {
        "data": data,
        "layout": layout,
        "table": {"columns": [str(column) for column in columns], "rows": rows},
        "summary": summary,
    }


def _range_error(points, divisor=1):
    """Error bars reaching from a range's low value (the bar) to its high value."""
    if not any(point.high is not None for point in points):
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": [
            _scaled(point.high - point.value, divisor) if point.high is not None else 0
            for point in points
        ],
        "arrayminus": [0 for _point in points],
        "color": TEXT_COLOUR,
        "thickness": 1.5,
        "width": 6,
    }


def _with_ranges(trace, points, divisor=1):
    """`trace` with error bars for the points that are ranges, if any are."""
    error = _range_error(points, divisor)
    if error:
        trace["error_y"] = error
    return trace


def _legend_layout(title, xaxis, unit_title):
    """The layout of a chart with one trace per company and a legend below it."""
    return _layout(
        title,
        height=380,
        showlegend=True,
        legend={"orientation": "h", "y": -0.25, "x": 0},
        xaxis=xaxis,
        yaxis=_value_axis(unit_title),
    )


def _horizontal_counts(title, counts, value_title, category_title):
    """Horizontal bars, largest first, for (name, count) pairs."""
    counts = sorted(counts, key=lambda pair: (-pair[1], str(pair[0])))
    names = [_label(name) for name, _count in counts]
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": names,
        "x": [count for _name, count in counts],
        "text": [count for _name, count in counts],
        "textposition": "auto",
        "marker": {"color": PALETTE[0]},
        "hovertemplate": "%{y}: %{x}<extra></extra>",
    }
    layout = _layout(
        title,
        height=90 + BAR_HEIGHT * max(len(counts), 1),
        xaxis=_value_axis(value_title, tickformat=",d", dtick=_count_step(counts)),
        yaxis=_category_axis(autorange="reversed"),
    )
    rows = [[name, count] for name, count in counts]
    return trace, layout, [category_title, value_title], rows


def _count_step(counts):
    """Whole-number ticks for small counts, so no axis reads 0.5 cases."""
    largest = max((count for _name, count in counts), default=0)
    return 1 if largest <= 10 else None


def cases_per_issue(counts, language):
    """Cases per social issue: `counts` is [(issue name, number of published cases)]."""
    with translation.override(language):
        title = _("Cases per social issue")
        trace, layout, columns, rows = _horizontal_counts(
            title, [pair for pair in counts if pair[1]], _("Cases"), _("Social issue")
        )
        if rows:
            top = rows[0]
            summary = _("%(issues)s issues have cases; the most is %(name)s with %(count)s.") % {
                "issues": len(rows),
                "name": top[0],
                "count": top[1],
            }
        else:
            summary = _("No cases yet.")
        return _figure([trace], layout, columns, rows, summary)


def figure_counts(counts, language):
    """How many figures each indicator has: `counts` is [(indicator name, number)]. Used when
    a selection mixes indicators, whose values must not share an axis."""
    with translation.override(language):
        title = _("Figures per indicator")
        trace, layout, columns, rows = _horizontal_counts(
            title, counts, _("Figures"), _("Indicator")
        )
        summary = ngettext(
            "The selection has figures for %(count)s indicator.",
            "The selection has figures for %(count)s indicators.",
            len(rows),
        ) % {"count": len(rows)}
        return _figure([trace], layout, columns, rows, summary)


def launches_per_year(counts, language):
    """Cases launched each year: `counts` maps year to number. Years between the first and
    the last with no launch are drawn as zero, so the time axis has no gaps."""
    with translation.override(language):
        title = _("Cases launched per year")
        counts = {int(year): number for year, number in counts.items() if year is not None}
        years = list(range(min(counts), max(counts) + 1)) if counts else []
        values = [counts.get(year, 0) for year in years]
        trace = {
            "type": "bar",
            "x": years,
            "y": values,
            "marker": {"color": PALETTE[0]},
            "hovertemplate": "%{x}: %{y}<extra></extra>",
        }
        layout = _layout(
            title,
            height=320,
            xaxis={
                "title": {"text": _("Launch year"), "standoff": 12},
                "dtick": 1,
                "tickformat": "d",
                "automargin": True,
            },
            yaxis=_value_axis(
                _("Cases"),
                tickformat=",d",
                dtick=_count_step(list(counts.items())),
            ),
        )
        rows = [[year, value] for year, value in zip(years, values, strict=True)]
        if counts:
            busiest = max(counts.items(), key=lambda pair: (pair[1], -pair[0]))
            summary = _(
                "Cases were launched from %(first)s to %(last)s; most in %(year)s (%(count)s)."
            ) % {"first": years[0], "last": years[-1], "year": busiest[0], "count": busiest[1]}
        else:
            summary = _("No launch years are recorded yet.")
        return _figure([trace], layout, [_("Launch year"), _("Cases")], rows, summary)


def coverage_grid(companies, issues, counts, language):
    """Which company works on which issue, as a grid of shaded squares (a heatmap drawn with
    scatter markers, so that empty cells stay blank). `counts` maps (company, issue) names to
    case numbers; `companies` and `issues` give the order of rows and columns."""
    with translation.override(language):
        title = _("Companies × social issues")
        cells = [
            (company, issue, counts[(company, issue)])
            for company in companies
            for issue in issues
            if counts.get((company, issue))
        ]
        largest = max((count for _c, _i, count in cells), default=1)
        trace = {
            "type": "scatter",
            "mode": "markers+text",
            "x": [_label(shortened(issue, _width(10, 22))) for _c, issue, _n in cells],
            "y": [_label(company) for company, _i, _n in cells],
            "text": [count for _c, _i, count in cells],
            "textfont": {"color": "#ffffff", "size": 12},
            "customdata": [_label(issue) for _c, issue, _n in cells],
            "marker": {
                "symbol": "square",
                "size": 26,
                "color": [count for _c, _i, count in cells],
                "cmin": 0,
                "cmax": largest,
                "colorscale": [[0, "#7aa6d6"], [1, "#083f78"]],
                "line": {"width": 0},
            },
            "hovertemplate": "%{y} · %{customdata}: %{text}<extra></extra>",
        }
        layout = _layout(
            title,
            height=140 + 34 * max(len(companies), 1),
            xaxis=_category_axis(
                categoryorder="array",
                categoryarray=[_label(shortened(issue, _width(10, 22))) for issue in issues],
                tickangle=-45,
                side="top",
                showgrid=True,
                gridcolor=GRID_COLOUR,
            ),
            yaxis=_category_axis(
                categoryorder="array",
                categoryarray=[_label(company) for company in companies],
                autorange="reversed",
                showgrid=True,
                gridcolor=GRID_COLOUR,
            ),
            margin={"l": 10, "r": 70, "t": 150, "b": 10, "pad": 4},
        )
        rows = [[company, issue, count] for company, issue, count in cells]
        summary = _(
            "%(companies)s companies and %(issues)s social issues; a square with a number marks "
            "how many of a company's cases address that issue."
        ) % {"companies": len(companies), "issues": len(issues)}
        return _figure(
            [trace], layout, [_("Company"), _("Social issue"), _("Cases")], rows, summary
        )


def _line_trace(series, name="", colour=None, divisor=1):
    points = sorted(series.points, key=lambda point: str(point.x))
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": [str(point.x) for point in points],
        "y": [_scaled(point.value, divisor) for point in points],
        "customdata": [_label(point.text) for point in points],
        "hovertemplate": "%{x}: %{customdata}<extra>" + _label(name) + "</extra>",
        "marker": {"size": 9},
        "line": {"width": 2.5},
    }
    if name:
        trace["name"] = _label(name)
    if colour:
        trace["marker"]["color"] = colour
        trace["line"]["color"] = colour
    return _with_ranges(trace, points, divisor)


def growth_line(series, language):
    """One measure at several as-of dates (x: ISO dates), e.g. cities covered growing."""
    _one_measure(series.points)
    with translation.override(language):
        points = sorted(series.points, key=lambda point: str(point.x))
        divisor, unit_title = _scale(points, series.unit, language)
        layout = _layout(
            series.title,
            height=320,
            xaxis=_date_axis(_("As of"), **_dated_ticks(points)),
            yaxis=_value_axis(unit_title),
        )
        summary = _("%(title)s went from %(first)s (%(first_date)s) to %(last)s (%(last_date)s).")
        summary %= {
            "title": series.title,
            "first": points[0].text,
            "first_date": points[0].as_of,
            "last": points[-1].text,
            "last_date": points[-1].as_of,
        }
        rows = [[point.as_of, point.text] for point in points]
        return _figure(
            [_line_trace(series, colour=PALETTE[0], divisor=divisor)],
            layout,
            [_("As of"), series.title],
            rows,
            summary,
        )


def industry_context(series_list, language):
    """Sector-wide measures over time, each in its own panel with its own axes, side by side
    (small multiples): different units never share an axis."""
    with translation.override(language):
        title = _("The sector in figures")
        count = len(series_list)
        data, rows, layout_axes, annotations = [], [], {}, []
        for index, series in enumerate(series_list, start=1):
            _one_measure(series.points)
            divisor, unit_title = _scale(series.points, series.unit, language)
            trace = _line_trace(
                series, name=series.title, colour=PALETTE[(index - 1) % 7], divisor=divisor
            )
            suffix = "" if index == 1 else str(index)
            trace["xaxis"], trace["yaxis"] = f"x{suffix}", f"y{suffix}"
            data.append(trace)
            layout_axes[f"xaxis{suffix}"] = _date_axis("", **_dated_ticks(series.points))
            layout_axes[f"yaxis{suffix}"] = _value_axis(unit_title)
            annotations.append(
                {
                    "text": _wrapped(series.title, _width(14, 30)),
                    "xref": f"x{suffix} domain",
                    "yref": f"y{suffix} domain",
                    "x": 0,
                    "y": 1.03,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 13},
                }
            )
            rows += [[series.title, point.as_of, point.text] for point in series.points]
        layout = _layout(
            title,
            height=340,
            grid={"rows": 1, "columns": max(count, 1), "pattern": "independent"},
            annotations=annotations,
            margin={"l": 10, "r": 20, "t": 110, "b": 10, "pad": 4},
            **layout_axes,
        )
        summary = ngettext(
            "%(count)s sector-wide measure with figures from more than one date.",
            "%(count)s sector-wide measures with figures from more than one date.",
            count,
        ) % {"count": count}
        return _figure(data, layout, [_("Measure"), _("As of"), _("Value")], rows, summary)


def _padded_range(milestones, share=0.2):
    """The time axis's range with room either side, so the first and last labels fit."""
    if not milestones:
        return None
    dates = [datetime.date.fromisoformat(iso) for iso, _shown, _text in milestones]
    pad = max((max(dates) - min(dates)) * share, datetime.timedelta(days=120))
    return [(min(dates) - pad).isoformat(), (max(dates) + pad).isoformat()]


def milestone_timeline(milestones, language):
    """A case's milestones on a time axis: `milestones` is [(ISO date, date as read, text)].
    Labels alternate above and below the line so that close dates stay legible."""
    with translation.override(language):
        title = _("Milestones")
        levels = [1, -1, 2, -2]
        ys = [levels[index % len(levels)] for index in range(len(milestones))]
        points = {
            "type": "scatter",
            "mode": "markers+text",
            "x": [iso for iso, _shown, _text in milestones],
            "y": ys,
            # No <b>: plotly would set a style attribute for it, which the CSP refuses.
            "text": [
                f"{_label(shown)}<br>{_label(shortened(text, _width(12, 24)))}"
                for _iso, shown, text in milestones
            ],
            "textposition": ["top center" if y > 0 else "bottom center" for y in ys],
            "customdata": [[_label(shown), _label(text)] for _iso, shown, text in milestones],
            "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            "marker": {"size": 12, "color": PALETTE[0], "line": {"width": 2, "color": "#fff"}},
            "cliponaxis": False,
        }
        stems = {
            "type": "scatter",
            "mode": "lines",
            "x": [value for iso, *_rest in milestones for value in (iso, iso, None)],
            "y": [value for y in ys for value in (0, y, None)],
            "line": {"color": "#8a939d", "width": 1},
            "hoverinfo": "skip",
        }
        layout = _layout(
            title,
            height=360,
            xaxis=_date_axis("", showgrid=False, zeroline=False, range=_padded_range(milestones)),
            yaxis={"visible": False, "range": [-3, 3], "fixedrange": True},
            shapes=[
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "yref": "y",
                    "y0": 0,
                    "y1": 0,
                    "line": {"color": TEXT_COLOUR, "width": 2},
                }
            ],
        )
        rows = [[shown, text] for _iso, shown, text in milestones]
        summary = ngettext(
            "%(count)s milestone, from %(first)s to %(last)s.",
            "%(count)s milestones, from %(first)s to %(last)s.",
            len(milestones),
        ) % {
            "count": len(milestones),
            "first": milestones[0][1] if milestones else "",
            "last": milestones[-1][1] if milestones else "",
        }
        return _figure([stems, points], layout, [_("Date"), _("What happened")], rows, summary)


def figures_by_category(counts, language):
    """How many figures a company reports in each indicator category, stacked by case:
    `counts` is [(category, case name, number)]. Counts, not values, so units never mix."""
    with translation.override(language):
        title = _("Figures by category")
        categories = list(dict.fromkeys(category for category, _case, _n in counts))
        cases = list(dict.fromkeys(case for _category, case, _n in counts))
        data = []
        for index, case in enumerate(cases):
            per_category = {category: n for category, name, n in counts if name == case}
            data.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": _label(shortened(case, 24)),
                    "y": [_label(category) for category in categories],
                    "x": [per_category.get(category, 0) for category in categories],
                    "marker": {"color": PALETTE[index % len(PALETTE)]},
                    "hovertemplate": "%{y}: %{x}<extra>" + _label(case) + "</extra>",
                }
            )
        layout = _layout(
            title,
            height=120 + 40 * max(len(categories), 1) + 22 * len(cases),
            barmode="stack",
            showlegend=len(cases) > 1,
            legend={"orientation": "h", "y": -0.2, "x": 0, "traceorder": "normal"},
            xaxis=_value_axis(
                _("Figures"),
                tickformat=",d",
                dtick=_count_step(
                    [(c, sum(n for cat, _x, n in counts if cat == c)) for c in categories]
                ),
            ),
            yaxis=_category_axis(autorange="reversed"),
        )
        rows = [[category, case, n] for category, case, n in counts]
        total = sum(n for _category, _case, n in counts)
        summary = ngettext(
            "%(count)s figure in %(categories)s categories.",
            "%(count)s figures in %(categories)s categories.",
            total,
        ) % {"count": total, "categories": len(categories)}
        return _figure(data, layout, [_("Category"), _("Case"), _("Figures")], rows, summary)


def _bar_label(point):
    """A compared bar's label: whose figure, and (on a second line) when it held, so that
    dates stay in view beside the bars."""
    if not point.as_of:
        return _label(point.x)
    return _label(point.x) + "<br>" + _label(_("as of %(date)s") % {"date": point.as_of})


def comparison_bars(series, groups, language):
    """Side-by-side bars for one measure: one bar per point, coloured by its group (the
    compared company, in the order of `groups`); a range is drawn from its low value with an
    error bar to its high value. Refuses points of different measures."""
    _one_measure(series.points)
    with translation.override(language):
        colours = {group: PALETTE[index % len(PALETTE)] for index, group in enumerate(groups)}
        divisor, unit_title = _scale(series.points, series.unit, language)
        data = []
        for group in groups:
            points = [point for point in series.points if point.group == group]
            if not points:
                continue
            trace = {
                "type": "bar",
                "name": _label(group),
                "x": [_bar_label(point) for point in points],
                "y": [_scaled(point.value, divisor) for point in points],
                "text": [_label(point.text) for point in points],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [_label(point.as_of) for point in points],
                "hovertemplate": "%{x}<br>%{text}<br>%{customdata}<extra>"
                + _label(group)
                + "</extra>",
                "marker": {"color": colours[group]},
            }
            data.append(_with_ranges(trace, points, divisor))
        layout = _legend_layout(series.title, _category_axis(tickangle=0), unit_title)
        rows = [[point.group, point.x, point.text, point.as_of] for point in series.points]
        summary = ngettext(
            "%(count)s figure of “%(title)s”, all in %(unit)s.",
            "%(count)s figures of “%(title)s”, all in %(unit)s.",
            len(series.points),
        ) % {"count": len(series.points), "title": series.title, "unit": series.unit}
        return _figure(
            data,
            layout,
            [_("Company"), _("Figure"), _("Value"), _("As of")],
            rows,
            summary,
        )


def values_over_time(series, language):
    """Figures of one measure by as-of date, one coloured set of markers per owner (group):
    the explorer's chart when its selection holds a single indicator."""
    _one_measure(series.points)
    with translation.override(language):
        groups = list(dict.fromkeys(point.group for point in series.points))
        divisor, unit_title = _scale(series.points, series.unit, language)
        data = []
        for index, group in enumerate(groups):
            points = [point for point in series.points if point.group == group]
            trace = {
                "type": "scatter",
                "mode": "markers",
                "name": _label(group),
                "x": [str(point.x) for point in points],
                "y": [_scaled(point.value, divisor) for point in points],
                "customdata": [[_label(point.text), _label(point.as_of)] for point in points],
                "hovertemplate": "%{customdata[1]}<br>%{customdata[0]}<extra>"
                + _label(group)
                + "</extra>",
                "marker": {"size": 11, "color": PALETTE[index % len(PALETTE)]},
            }
            data.append(_with_ranges(trace, points, divisor))
        layout = _legend_layout(series.title, _date_axis(_("As of")), unit_title)
        rows = [[point.group, point.as_of, point.text] for point in series.points]
        summary = ngettext(
            "%(count)s figure of “%(title)s” from %(owners)s owner, all in %(unit)s.",
            "%(count)s figures of “%(title)s” from %(owners)s owners, all in %(unit)s.",
            len(series.points),
        ) % {
            "count": len(series.points),
            "title": series.title,
            "owners": len(groups),
            "unit": series.unit,
        }
        return _figure(data, layout, [_("Owner"), _("As of"), _("Value")], rows, summary)
