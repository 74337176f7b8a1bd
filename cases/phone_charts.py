"""The phone forms of the charts in `cases.charts` and `cases.figure_charts`: on a narrow
screen a wide chart gives way to one of these (a list of bars per company, panels stacked one
under another, a timeline down the screen, bars lying down under their labels), chosen by the
page as it draws (`cases.plotting.chart`'s `narrow`). Pure functions, like the charts they
stand in for.
"""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .plotting import (
    NARROW_MARGIN,
    PALETTE,
    PANEL_TITLE_HEIGHT,
    ROW_HEIGHT,
    TEXT_COLOUR,
    category_axis,
    dated_ticks,
    fitting,
    hover,
    label,
    layout,
    panel_title,
    range_error,
    scaled,
    shortened,
    stacked_domains,
    text_width,
    value_axis,
    wrapped,
)


def coverage_list(title, companies, cells):
    """The coverage grid for phones: under each company's name, a bar for every issue it
    works on (the grid's filled squares, one per row)."""
    listed = {company: [(i, n) for c, i, n in cells if c == company] for company in companies}
    listed = {company: pairs for company, pairs in listed.items() if pairs}
    issue_labels = {issue: label(shortened(issue, fitting(9, 20))) for _c, issue, _n in cells}
    labels_width = max((text_width(text) for text in issue_labels.values()), default=0) + 12
    heights = [ROW_HEIGHT * len(pairs) for pairs in listed.values()]
    total, domains = stacked_domains(heights, PANEL_TITLE_HEIGHT)
    largest = max((n for _c, _i, n in cells), default=1)
    data, axes, titles = [], {}, []
    for index, ((company, pairs), domain) in enumerate(zip(listed.items(), domains, strict=True)):
        suffix = "" if index == 0 else str(index + 1)
        data.append(
            go.Bar(
                orientation="h",
                y=[issue_labels[issue] for issue, _n in pairs],
                x=[n for _issue, n in pairs],
                texttemplate="%{x}",
                textposition="outside",
                cliponaxis=False,
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                width=0.7,
                marker={"color": PALETTE[0]},
                hovertemplate=hover(label(company) + " · %{y}", "%{x}"),
            )
        )
        axes[f"xaxis{suffix}"] = {
            "anchor": f"y{suffix}",
            "range": [0, largest * 1.2],
            "visible": False,
            "fixedrange": True,
        }
        axes[f"yaxis{suffix}"] = category_axis(
            anchor=f"x{suffix}", domain=list(domain), autorange="reversed", fixedrange=True
        )
        # The company's name starts at the chart's left edge, above its issues' labels.
        titles.append({**panel_title(company, suffix, 40), "xshift": 4 - labels_width})
    margin = {**NARROW_MARGIN, "l": labels_width}
    narrow_layout = layout(
        title,
        height=total + margin["t"] + margin["b"],
        margin=margin,
        annotations=titles,
        bargap=0.25,
        **axes,
    )
    return data, narrow_layout


def stacked_panels(title, series_list, wide_axes):
    """The sector's small multiples for phones: one panel under another, each as wide as the
    chart, with its title above it and at most three dated ticks."""
    # A panel's title (up to two lines) and the ticks of the panel above it share the gap.
    total, domains = stacked_domains([170] * len(series_list), 74)
    axes, titles = {}, []
    for index, (series, domain) in enumerate(zip(series_list, domains, strict=True)):
        suffix = "" if index == 0 else str(index + 1)
        axes[f"xaxis{suffix}"] = {
            **wide_axes[f"xaxis{suffix}"],
            **dated_ticks(series.points, most=3),
            "anchor": f"y{suffix}",
            "domain": [0, 1],
        }
        axes[f"yaxis{suffix}"] = {
            **wide_axes[f"yaxis{suffix}"],
            "anchor": f"x{suffix}",
            "domain": list(domain),
        }
        titles.append({**panel_title(series.title, suffix, fitting(20, 40)), "yshift": 4})
    margin = {**NARROW_MARGIN, "t": 40, "b": 30}
    return layout(
        title, height=total + margin["t"] + margin["b"], margin=margin, annotations=titles, **axes
    )


def timeline_list(title, milestones):
    """The milestones for phones: one under another down a line, oldest first, each label
    to the right of its point, evenly spaced (the labels give the dates)."""
    count = len(milestones)
    rows = list(range(count))
    width = fitting(18, 34)
    points = go.Scatter(
        mode="markers+text",
        x=[0] * count,
        y=rows,
        text=[
            f"{label(shown)}<br>{wrapped(text, width, lines=2)}" for _iso, shown, text in milestones
        ],
        textposition="middle right",
        customdata=[[label(shown), label(text)] for _iso, shown, text in milestones],
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        marker={"size": 12, "color": PALETTE[0], "line": {"width": 2, "color": "#fff"}},
        cliponaxis=False,
    )
    line = go.Scatter(
        mode="lines",
        x=[0, 0],
        y=[-0.5, count - 0.5],
        line={"color": TEXT_COLOUR, "width": 2},
        hoverinfo="skip",
    )
    hidden = {"visible": False, "fixedrange": True}
    return [line, points], layout(
        title,
        height=NARROW_MARGIN["t"] + NARROW_MARGIN["b"] + 64 * max(count, 1),
        margin=NARROW_MARGIN,
        xaxis={**hidden, "range": [-0.04, 1]},
        yaxis={**hidden, "range": [count - 0.5, -0.5]},
    )


def labelled_bars(series, colours, divisor, unit_title):
    """Compared bars for phones: lying down, one per row, each with its label (whose figure,
    as of when) above it across the chart's width and its value at its end."""
    points = series.points
    rows = list(range(len(points)))
    largest = max((scaled(point.high or point.value, divisor) for point in points), default=1)

    def owner(point):
        name = str(point.x)
        return name if not point.group or point.group in name else f"{point.group} · {name}"

    bars = go.Bar(
        orientation="h",
        y=rows,
        x=[scaled(point.value, divisor) for point in points],
        width=0.42,
        text=[label(point.text) for point in points],
        textposition="auto",
        insidetextanchor="end",
        cliponaxis=False,
        customdata=[label(point.as_of) for point in points],
        hovertemplate="%{text}<br>%{customdata}<extra></extra>",
        marker={"color": [colours.get(point.group, PALETTE[0]) for point in points]},
        error_x=range_error(points, divisor),
    )
    # Each label sits over the top edge of its bar.
    labels = go.Scatter(
        mode="text",
        x=[0] * len(points),
        y=[row - 0.24 for row in rows],
        text=[
            label(shortened(owner(point), fitting(22, 44)))
            + ("<br>" + label(_("as of %(date)s") % {"date": point.as_of}) if point.as_of else "")
            for point in points
        ],
        textposition="top right",
        hoverinfo="skip",
        cliponaxis=False,
    )
    return [bars, labels], layout(
        series.title,
        height=NARROW_MARGIN["t"] + 50 + 70 * max(len(points), 1),
        margin=NARROW_MARGIN,
        xaxis=value_axis(unit_title, range=[0, largest * 1.75], nticks=4),
        yaxis={"visible": False, "range": [len(points) - 0.5, -0.85], "fixedrange": True},
    )
