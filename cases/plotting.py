"""Plotly plumbing shared by every chart (`cases.charts`, `cases.figure_charts`,
`cases.index_charts`): the points and series charts are made of, label text, value scaling,
axes and layouts, and the JSON a page receives.

Figures are built with `plotly.graph_objects`, which checks every attribute against the schema
of the plotly.js release plotly.py bundles; that release is the one our pages load (see
tests/test_vendor.py), so a misspelt attribute fails here instead of being ignored in the
browser.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

import plotly.graph_objects as go
import plotly.io as pio
from django.utils import translation
from django.utils.translation import pgettext

from .dates import is_chinese
from .numbers import CHINESE_SCALES, ENGLISH_SCALES

# Our layouts set every style they use; plotly.py's default template would add about 9 kB of
# styles for trace types we never draw to every chart's JSON.
pio.templates.default = None

FONT = (
    'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
)
TEXT_COLOUR = "#1b1f24"
GRID_COLOUR = "#e3e7eb"
AXIS_COLOUR = "#8a939d"
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


def one_measure(points):
    """The measure all `points` share; MixedMeasures if they do not share one."""
    measures = {point.measure for point in points}
    if len(measures) > 1:
        raise MixedMeasures(
            f"figures of different indicators or units cannot share an axis: {sorted(measures)}"
        )
    return measures.pop() if measures else ()


# Text ---------------------------------------------------------------------------------------


def label(text):
    """`text` made safe for plotly's labels, which read <b>, <a> and other tags."""
    return escape(str(text), quote=False)


def hover(name, value, extra=""):
    """A hover template: `name`, then `value` after the active language's colon (": " in
    English, "：" in Chinese), with `extra` in plotly's side box (none by default)."""
    colon = pgettext("between a label and its value", ": ")
    return f"{name}{colon}{value}<extra>{extra}</extra>"


def shortened(text, length=LABEL_LENGTH):
    """`text` cut to `length` characters, an ellipsis marking the cut."""
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def fitting(chinese, english):
    """How many characters fit: Chinese characters are about twice as wide as Latin ones."""
    return chinese if is_chinese(translation.get_language()) else english


def text_width(text, size=13):
    """About how many pixels `text` takes at font `size`: a Chinese character is about as wide
    as the font is tall, a Latin one a little over half that."""
    return round(sum(size if ord(char) > 0x2E7F else size * 0.58 for char in str(text)))


def wrapped(text, width, lines=3):
    """`text` escaped and broken into at most `lines` lines of about `width` characters (at
    spaces where it has them), for titles over narrow panels."""
    text = str(text)
    if " " not in text:
        rows = [text[start : start + width] for start in range(0, len(text), width)]
    else:
        rows = [""]
        for word in text.split():
            if rows[-1] and len(rows[-1]) + 1 + len(word) > width:
                rows.append(word)
            else:
                rows[-1] = f"{rows[-1]} {word}".strip()
    if len(rows) > lines:
        joiner = " " if " " in text else ""
        rows = [*rows[: lines - 1], shortened(joiner.join(rows[lines - 1 :]), width)]
    return "<br>".join(label(row) for row in rows)


# Values -------------------------------------------------------------------------------------


def number(value):
    """A Decimal as the int or float JSON can carry; other values unchanged."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def scale(points, unit, language):
    """(divisor, axis title) so that large values read on the axis as 56.1 万亿元 or 56.1
    trillion yuan rather than 56,100,000,000,000."""
    largest = max((abs(number(point.high or point.value)) for point in points), default=0)
    scales = CHINESE_SCALES if is_chinese(language) else ENGLISH_SCALES
    for threshold, divisor, word in scales:
        if largest >= threshold:
            title = f"{word}{unit}" if is_chinese(language) else f"{word} {unit}"
            return divisor, title
    return 1, unit


def scaled(value, divisor):
    value = number(value)
    if value is None or divisor == 1:
        return value
    return round(float(value) / float(divisor), 6)


def range_error(points, divisor=1):
    """Error bars reaching from a range's low value (the bar) to its high value; None when no
    point is a range."""
    if not any(point.high is not None for point in points):
        return None
    return {
        "type": "data",
        "symmetric": False,
        "array": [
            scaled(point.high - point.value, divisor) if point.high is not None else 0
            for point in points
        ],
        "arrayminus": [0 for _point in points],
        "color": TEXT_COLOUR,
        "thickness": 1.5,
        "width": 6,
    }


def count_step(largest, most=10):
    """Whole-number ticks for counts, so no axis reads 0.5 cases: one tick per count up to
    `most`, then a round step (2, 5, 10, 20 …) that keeps the ticks to about `most`; None
    for plotly's own choice when `most` is the default and counts are large."""
    if largest <= most:
        return 1
    if most == 10:
        return None
    step = 1
    while largest / step > most:
        for factor in (2, 5, 10):
            if largest / (step * factor) <= most:
                return step * factor
        step *= 10
    return step


# Axes and layouts ---------------------------------------------------------------------------


def layout(title, height, **extra):
    """The layout every chart starts from: title, fonts, colours, margins, no legend. A plain
    dict: plotly validates it once, as `chart` builds the figure (each go.Layout made on the
    way would validate every key again)."""
    settings = {
        "title": {"text": label(title), "x": 0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT, "size": 13, "color": TEXT_COLOUR},
        "colorway": PALETTE,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 50, "b": 10, "pad": 4},
        "hoverlabel": {"font": {"family": FONT}},
        "showlegend": False,
    }
    settings.update(extra)
    return settings


def legend_layout(title, xaxis, unit_title):
    """The layout of a chart with one trace per company and a legend below it."""
    return layout(
        title,
        height=380,
        showlegend=True,
        legend={"orientation": "h", "y": -0.25, "x": 0},
        xaxis=xaxis,
        yaxis=value_axis(unit_title),
    )


def value_axis(title, **extra):
    axis = {
        "title": {"text": label(title)},
        "separatethousands": True,
        "exponentformat": "none",
        "rangemode": "tozero",
        "gridcolor": GRID_COLOUR,
        "zeroline": True,
        "zerolinecolor": AXIS_COLOUR,
        "automargin": True,
    }
    axis.update(extra)
    return axis


def category_axis(title="", **extra):
    axis = {"type": "category", "automargin": True, "title": {"text": label(title)}}
    axis.update(extra)
    return axis


def date_axis(title, **extra):
    """A time axis; in Chinese its ticks read 2023年, 2023年10月 or 2023年10月1日 as the
    scale needs (plotly's own Chinese month names come out as a bare 十 beside the year)."""
    axis = {"type": "date", "automargin": True, "title": {"text": label(title)}}
    if is_chinese(translation.get_language()):
        axis["tickformatstops"] = [
            {"dtickrange": [None, "M1"], "value": "%Y年%-m月%-d日"},
            {"dtickrange": ["M1", "M6"], "value": "%Y年%-m月"},
            {"dtickrange": ["M12", None], "value": "%Y年"},
        ]
    axis.update(extra)
    return axis


def dated_ticks(points, most=None):
    """Ticks at the points' own dates, labelled as the documents date them (2023年底):
    an end-of-year figure would otherwise sit beside the next year's tick. With `most`, at
    most that many ticks, always the first and the last (the table has every date)."""
    points = sorted(points, key=lambda point: str(point.x))
    dates = list(dict.fromkeys((str(point.x), point.as_of or point.x) for point in points))
    if most and len(dates) > most:
        step = (len(dates) - 1) / (most - 1)
        dates = [dates[round(index * step)] for index in range(most)]
    return {
        "tickmode": "array",
        "tickvals": [iso for iso, _shown in dates],
        "ticktext": [label(shown) for _iso, shown in dates],
    }


def padded_range(iso_dates, share=0.2):
    """A time axis's range with room either side of `iso_dates`, so edge labels fit."""
    if not iso_dates:
        return None
    dates = [datetime.date.fromisoformat(iso) for iso in iso_dates]
    pad = max((max(dates) - min(dates)) * share, datetime.timedelta(days=120))
    return [(min(dates) - pad).isoformat(), (max(dates) + pad).isoformat()]


# Traces -------------------------------------------------------------------------------------


def line_trace(series, name="", colour=None, divisor=1):
    """One measure's points joined by a line, oldest first, with error bars for ranges."""
    points = sorted(series.points, key=lambda point: str(point.x))
    style = {"color": colour} if colour else {}
    return go.Scatter(
        mode="lines+markers",
        x=[str(point.x) for point in points],
        y=[scaled(point.value, divisor) for point in points],
        customdata=[label(point.text) for point in points],
        hovertemplate=hover("%{x}", "%{customdata}", label(name)),
        marker={"size": 9, **style},
        line={"width": 2.5, **style},
        name=label(name) if name else None,
        error_y=range_error(points, divisor),
    )


# Phones and desktops ------------------------------------------------------------------------
#
# A chart may come in two forms: the one for wide plots and a narrow one for phones, which
# static/js/charts.js draws when the chart's box is narrower than a breakpoint set in
# static/css/site.css: 36rem for most, 56rem for a "roomy" chart (its wide form needs more
# room), 26rem for a "compact" one (its wide form reads in less).

ROW_HEIGHT = 24
PANEL_TITLE_HEIGHT = 30
NARROW_MARGIN = {"l": 6, "r": 10, "t": 44, "b": 10, "pad": 3}


def narrowed(wide, **changes):
    """A copy of the layout `wide` with `changes` merged into it (nested dicts merge, as in
    plotly's `update`)."""
    merged = dict(wide)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            value = narrowed(merged[key], **value)
        merged[key] = value
    return merged


def stacked_domains(heights, gap):
    """(layout height share, [(bottom, top) of each panel, top panel first]) for panels of
    `heights` pixels stacked one above another, `gap` pixels apart (room for each title)."""
    total = sum(heights) + gap * len(heights)
    domains, top = [], total
    for height in heights:
        top -= gap
        domains.append((round((top - height) / total, 4), round(top / total, 4)))
        top -= height
    return total, domains


def panel_title(text, axis_suffix, width):
    """A panel's title, above it at its left edge, wrapped at `width` characters."""
    return {
        "text": wrapped(text, width),
        "xref": f"x{axis_suffix} domain",
        "yref": f"y{axis_suffix} domain",
        "x": 0,
        "y": 1.0,
        "xanchor": "left",
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "font": {"size": 13},
    }


def legend_below(wide, entries, **changes):
    """A narrow copy of the layout `wide` with its legend under the chart, one entry a line
    (a phone's plot is too narrow for entries side by side), made taller by the legend's room
    so that the plot keeps its height."""
    room = 12 + 21 * entries
    return narrowed(
        wide,
        height=wide["height"] + room,
        showlegend=True,
        legend={
            "orientation": "v",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
        },
        margin={**NARROW_MARGIN, "b": 56 + room},
        **changes,
    )


def listed_bars(title, names, values, colour, value_title):
    """A layout of horizontal bars, one row per name, each count written at its bar's end: a
    list that reads on a phone where upright bars' labels would collide. ([trace], layout)"""
    largest = max(values, default=0)
    trace = go.Bar(
        orientation="h",
        y=names,
        x=values,
        texttemplate="%{x}",
        textposition="outside",
        cliponaxis=False,
        marker={"color": colour},
        hovertemplate=hover("%{y}", "%{x}"),
    )
    chart_layout = layout(
        title,
        height=NARROW_MARGIN["t"] + 60 + ROW_HEIGHT * max(len(names), 1),
        margin=NARROW_MARGIN,
        xaxis=value_axis(
            value_title,
            range=[0, max(largest, 1) * 1.15],
            tickformat=",d",
            dtick=count_step(largest, most=5),
        ),
        yaxis=category_axis(autorange="reversed", tickangle=0),
    )
    return [trace], chart_layout


# The page's JSON ----------------------------------------------------------------------------


def chart(data, layout, columns, rows, summary, narrow=None, room=""):
    """The chart a page draws: plotly's `data` and `layout` (validated as the figure is built),
    and keys plotly ignores and the page uses: `table` (the chart's data as columns and rows,
    shown as a table for screen readers and downloaded as CSV), `summary` (one sentence saying
    what the chart shows), `narrow` (the form for phones: its `layout`, and its `data` when
    they differ; the wide form's when not given), `heights` (of both forms, reserved before
    the chart is drawn) and `room` ("roomy" or "compact" when the wide form needs a wider or
    does with a narrower box than most)."""
    figure = go.Figure(data=data, layout=layout).to_plotly_json()
    result = {
        "data": figure["data"],
        "layout": figure["layout"],
        "table": {"columns": [str(column) for column in columns], "rows": rows},
        "summary": summary,
        "room": room,
    }
    narrow_data, narrow_layout = narrow if narrow else (None, layout)
    if narrow:
        small = go.Figure(data=narrow_data or data, layout=narrow_layout).to_plotly_json()
        result["narrow"] = {"layout": small["layout"]}
        if narrow_data:
            result["narrow"]["data"] = small["data"]
    result["heights"] = {
        "wide": figure["layout"]["height"],
        "narrow": result.get("narrow", figure)["layout"]["height"],
    }
    return result
