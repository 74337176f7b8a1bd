"""The site's charts of cases, issues, the sector and a case's milestones, as pure functions
from plain data to a chart for the page (plotly's `data` and `layout`, a `table` and a
`summary`: see `cases.plotting.chart`). Charts of figures (by category, compared, over time)
are in `cases.figure_charts`, those of the impact index in `cases.index_charts`.

Labels come in the language asked for. Names and texts passed in are used as given (already
in that language), escaped for plotly, which reads a few HTML tags in its labels.

Figures are drawn on one value axis only when they measure the same thing in the same unit:
every function that plots values checks the `measure` of its points and refuses a mix.
"""

import datetime

import plotly.graph_objects as go
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .phone_charts import coverage_list, stacked_panels, timeline_list
from .plotting import (
    AXIS_COLOUR,
    BAR_HEIGHT,
    GRID_COLOUR,
    NARROW_MARGIN,
    PALETTE,
    TEXT_COLOUR,
    MixedMeasures,
    Point,
    Series,
    category_axis,
    chart,
    count_step,
    date_axis,
    dated_ticks,
    fitting,
    hover,
    label,
    layout,
    line_trace,
    listed_bars,
    narrowed,
    one_measure,
    padded_range,
    panel_title,
    scale,
    shortened,
    value_axis,
    wrapped,
)

__all__ = [
    "MixedMeasures",
    "Point",
    "Series",
    "cases_per_issue",
    "coverage_grid",
    "figure_counts",
    "growth_line",
    "industry_context",
    "launches_per_year",
    "milestone_timeline",
    "shortened",
]


def _horizontal_counts(title, counts, value_title, category_title):
    """Horizontal bars, largest first, for (name, count) pairs: (trace, layout, narrow form,
    columns, rows)."""
    counts = sorted(counts, key=lambda pair: (-pair[1], str(pair[0])))
    values = [count for _name, count in counts]
    trace = go.Bar(
        orientation="h",
        y=[label(name) for name, _count in counts],
        x=values,
        texttemplate="%{x}",
        textposition="auto",
        marker={"color": PALETTE[0]},
        hovertemplate=hover("%{y}", "%{x}"),
    )
    chart_layout = layout(
        title,
        height=90 + BAR_HEIGHT * max(len(counts), 1),
        xaxis=value_axis(value_title, tickformat=",d", dtick=count_step(max(values, default=0))),
        yaxis=category_axis(autorange="reversed"),
    )
    # On a phone long names take two lines, leaving the bars room.
    names = [wrapped(name, fitting(7, 16), lines=2) for name, _count in counts]
    narrow_trace = go.Bar(trace).update(y=names, customdata=[label(n) for n, _c in counts])
    narrow_trace.hovertemplate = hover("%{customdata}", "%{x}")
    # Categories are evenly spaced: every row gets the room of the tallest label.
    row = 36 if any("<br>" in name for name in names) else 26
    narrow_layout = narrowed(
        chart_layout,
        height=NARROW_MARGIN["t"] + 60 + row * max(len(names), 1),
        margin=NARROW_MARGIN,
        xaxis={"dtick": count_step(max(values, default=0), most=5)},
    )
    rows = [[name, count] for name, count in counts]
    narrow = ([narrow_trace], narrow_layout)
    return trace, chart_layout, narrow, [category_title, value_title], rows


def cases_per_issue(counts, language):
    """Cases per social issue: `counts` is [(issue name, number of published cases)]."""
    with translation.override(language):
        title = _("Cases per social issue")
        trace, chart_layout, narrow, columns, rows = _horizontal_counts(
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
        # Beside another chart on a desktop its wide form still reads.
        return chart([trace], chart_layout, columns, rows, summary, narrow=narrow, room="compact")


def figure_counts(counts, language):
    """How many figures each indicator has: `counts` is [(indicator name, number)]. Used when
    a selection mixes indicators, whose values must not share an axis."""
    with translation.override(language):
        title = _("Figures per indicator")
        trace, chart_layout, narrow, columns, rows = _horizontal_counts(
            title, counts, _("Figures"), _("Indicator")
        )
        summary = ngettext(
            "The selection has figures for %(count)s indicator.",
            "The selection has figures for %(count)s indicators.",
            len(rows),
        ) % {"count": len(rows)}
        return chart([trace], chart_layout, columns, rows, summary, narrow=narrow)


def launches_per_year(counts, language):
    """Cases launched each year: `counts` maps year to number, and None to the number of cases
    whose launch date the sources do not give, drawn apart at the end as "date unknown".
    Years between the first and the last with no launch are drawn as zero, so the years have
    no gaps."""
    with translation.override(language):
        title = _("Cases launched per year")
        unknown = counts.get(None, 0)
        counts = {int(year): number for year, number in counts.items() if year is not None}
        years = list(range(min(counts), max(counts) + 1)) if counts else []
        values = [counts.get(year, 0) for year in years]
        labels = [str(year) for year in years]
        colours = [PALETTE[0]] * len(years)
        if unknown:
            labels.append(_("date unknown"))
            values.append(unknown)
            colours.append(AXIS_COLOUR)
        trace = go.Bar(
            x=labels,
            y=values,
            marker={"color": colours},
            hovertemplate=hover("%{x}", "%{y}"),
        )
        year_axis = category_axis(_("Launch year"), tickangle=0)
        year_axis["title"]["standoff"] = 12
        chart_layout = layout(
            title,
            height=320,
            xaxis=year_axis,
            yaxis=value_axis(_("Cases"), tickformat=",d", dtick=count_step(max(values, default=0))),
        )
        # On a phone, fifteen years side by side would print over each other: one row each.
        narrow = listed_bars(title, labels, values, colours, _("Cases"))
        rows = [[label_, value] for label_, value in zip(labels, values, strict=True)]
        if counts:
            busiest = max(counts.items(), key=lambda pair: (pair[1], -pair[0]))
            summary = _(
                "Cases were launched from %(first)s to %(last)s; most in %(year)s (%(count)s)."
            ) % {"first": years[0], "last": years[-1], "year": busiest[0], "count": busiest[1]}
            if unknown:
                summary += " " + ngettext(
                    "The sources give no launch date for %(count)s more case.",
                    "The sources give no launch date for %(count)s more cases.",
                    unknown,
                ) % {"count": unknown}
        elif unknown:
            summary = ngettext(
                "The sources give no launch date for the %(count)s case.",
                "The sources give no launch date for any of the %(count)s cases.",
                unknown,
            ) % {"count": unknown}
        else:
            summary = _("No launch years are recorded yet.")
        columns = [_("Launch year"), _("Cases")]
        return chart([trace], chart_layout, columns, rows, summary, narrow=narrow)


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

        def column_label(issue):
            return label(shortened(issue, fitting(10, 22)))

        numbers = [count for _c, _i, count in cells]
        trace = go.Scatter(
            mode="markers+text",
            x=[column_label(issue) for _c, issue, _n in cells],
            y=[label(company) for company, _i, _n in cells],
            texttemplate="%{marker.color}",
            textfont={"color": "#ffffff", "size": 12},
            customdata=[label(issue) for _c, issue, _n in cells],
            marker={
                "symbol": "square",
                "size": 26,
                "color": numbers,
                "cmin": 0,
                "cmax": max(numbers, default=1),
                "colorscale": [[0, "#7aa6d6"], [1, "#083f78"]],
                "line": {"width": 0},
            },
            hovertemplate=hover("%{y} · %{customdata}", "%{marker.color}"),
        )
        chart_layout = layout(
            title,
            height=140 + 34 * max(len(companies), 1),
            xaxis=category_axis(
                categoryorder="array",
                categoryarray=[column_label(issue) for issue in issues],
                tickangle=-45,
                side="top",
                showgrid=True,
                gridcolor=GRID_COLOUR,
            ),
            yaxis=category_axis(
                categoryorder="array",
                categoryarray=[label(company) for company in companies],
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
        columns = [_("Company"), _("Social issue"), _("Cases")]
        narrow = coverage_list(title, companies, cells)
        # Twenty columns of squares need a wide box; narrower ones get the list.
        return chart([trace], chart_layout, columns, rows, summary, narrow=narrow, room="roomy")


def growth_line(series, language):
    """One measure at several as-of dates (x: ISO dates), e.g. cities covered growing."""
    one_measure(series.points)
    with translation.override(language):
        points = sorted(series.points, key=lambda point: str(point.x))
        divisor, unit_title = scale(points, series.unit, language)
        dates = padded_range([str(point.x) for point in points])
        chart_layout = layout(
            series.title,
            height=320,
            xaxis=date_axis(_("As of"), range=dates, **dated_ticks(points)),
            yaxis=value_axis(unit_title),
        )
        narrow_layout = narrowed(
            chart_layout, margin=NARROW_MARGIN, xaxis=dated_ticks(points, most=3)
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
        return chart(
            [line_trace(series, colour=PALETTE[0], divisor=divisor)],
            chart_layout,
            [_("As of"), series.title],
            rows,
            summary,
            narrow=(None, narrow_layout),
        )


def industry_context(series_list, language):
    """Sector-wide measures over time, each in its own panel with its own axes, side by side
    (small multiples): different units never share an axis."""
    with translation.override(language):
        title = _("The sector in figures")
        count = len(series_list)
        data, rows, axes, annotations = [], [], {}, []
        for index, series in enumerate(series_list, start=1):
            one_measure(series.points)
            divisor, unit_title = scale(series.points, series.unit, language)
            suffix = "" if index == 1 else str(index)
            trace = line_trace(
                series, name=series.title, colour=PALETTE[(index - 1) % 7], divisor=divisor
            )
            trace.update(xaxis=f"x{suffix}", yaxis=f"y{suffix}")
            data.append(trace)
            # Room either side of the first and last date, so their labels clear the axes.
            dates = padded_range([str(point.x) for point in series.points])
            axes[f"xaxis{suffix}"] = date_axis("", range=dates, **dated_ticks(series.points))
            axes[f"yaxis{suffix}"] = value_axis(unit_title)
            annotations.append({**panel_title(series.title, suffix, fitting(14, 30)), "y": 1.03})
            rows += [[series.title, point.as_of, point.text] for point in series.points]
        chart_layout = layout(
            title,
            height=340,
            grid={"rows": 1, "columns": max(count, 1), "pattern": "independent"},
            annotations=annotations,
            margin={"l": 10, "r": 20, "t": 110, "b": 10, "pad": 4},
            **axes,
        )
        summary = ngettext(
            "%(count)s sector-wide measure with figures from more than one date.",
            "%(count)s sector-wide measures with figures from more than one date.",
            count,
        ) % {"count": count}
        columns = [_("Measure"), _("As of"), _("Value")]
        narrow = (None, stacked_panels(title, series_list, axes))
        # Side by side, each panel's title needs a third of a wide box.
        return chart(data, chart_layout, columns, rows, summary, narrow=narrow, room="roomy")


def milestone_timeline(milestones, language):
    """A case's milestones on a time axis: `milestones` is [(ISO date, date as read, text)].
    Labels alternate above and below the line so that close dates stay legible."""
    with translation.override(language):
        title = _("Milestones")
        levels = [1, -1, 2, -2]
        ys = [levels[index % len(levels)] for index in range(len(milestones))]
        iso_dates = [iso for iso, _shown, _text in milestones]
        dates_range = padded_range(iso_dates)
        points = go.Scatter(
            mode="markers+text",
            x=[iso for iso, _shown, _text in milestones],
            y=ys,
            # No <b>: plotly would set a style attribute for it, which the CSP refuses.
            text=[
                f"{label(shown)}<br>{label(shortened(text, fitting(12, 24)))}"
                for _iso, shown, text in milestones
            ],
            textposition=[
                f"{'top' if y > 0 else 'bottom'} {_side(iso, dates_range)}"
                for iso, y in zip(iso_dates, ys, strict=True)
            ],
            customdata=[[label(shown), label(text)] for _iso, shown, text in milestones],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            marker={"size": 12, "color": PALETTE[0], "line": {"width": 2, "color": "#fff"}},
            cliponaxis=False,
        )
        stems = go.Scatter(
            mode="lines",
            x=[value for iso, *_rest in milestones for value in (iso, iso, None)],
            y=[value for y in ys for value in (0, y, None)],
            line={"color": AXIS_COLOUR, "width": 1},
            hoverinfo="skip",
        )
        chart_layout = layout(
            title,
            height=360,
            xaxis=date_axis("", showgrid=False, zeroline=False, range=dates_range),
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
        columns = [_("Date"), _("What happened")]
        narrow = timeline_list(title, milestones)
        return chart([stems, points], chart_layout, columns, rows, summary, narrow=narrow)


def _side(iso, dates_range):
    """Where a milestone's label goes beside its point: labels near either end of the axis
    grow inwards, so that they are not cut at the chart's edge."""
    if not dates_range:
        return "center"
    first, last = (datetime.date.fromisoformat(end).toordinal() for end in dates_range)
    share = (datetime.date.fromisoformat(iso).toordinal() - first) / max(last - first, 1)
    return "right" if share < 0.3 else "left" if share > 0.7 else "center"
