"""Charts of figures, as pure functions from plain data to a chart for the page (see
`cases.plotting.chart`): how many figures a company reports in each indicator category, one
measure's figures side by side for the compared companies, and one measure's figures over
time by owner (the explorer's).

As in `cases.charts`, labels come in the language asked for, names and texts passed in are
escaped for plotly, and every function that plots values refuses points of different measures.
"""

import plotly.graph_objects as go
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .phone_charts import labelled_bars
from .plotting import (
    NARROW_MARGIN,
    PALETTE,
    category_axis,
    chart,
    count_step,
    date_axis,
    hover,
    label,
    layout,
    legend_below,
    legend_layout,
    narrowed,
    one_measure,
    range_error,
    scale,
    scaled,
    shortened,
    value_axis,
)


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
                go.Bar(
                    orientation="h",
                    name=label(shortened(case, 24)),
                    y=[label(category) for category in categories],
                    x=[per_category.get(category, 0) for category in categories],
                    marker={"color": PALETTE[index % len(PALETTE)]},
                    hovertemplate=hover("%{y}", "%{x}", label(case)),
                )
            )
        largest = max(
            (sum(n for name, _case, n in counts if name == category) for category in categories),
            default=0,
        )
        chart_layout = layout(
            title,
            height=120 + 40 * max(len(categories), 1) + 22 * len(cases),
            barmode="stack",
            showlegend=len(cases) > 1,
            legend={"orientation": "h", "y": -0.2, "x": 0, "traceorder": "normal"},
            xaxis=value_axis(_("Figures"), tickformat=",d", dtick=count_step(largest)),
            yaxis=category_axis(autorange="reversed"),
        )
        narrow_layout = (
            legend_below(chart_layout, len(cases), xaxis={"dtick": count_step(largest, most=5)})
            if len(cases) > 1
            else narrowed(chart_layout, margin=NARROW_MARGIN)
        )
        rows = [[category, case, n] for category, case, n in counts]
        total = sum(n for _category, _case, n in counts)
        summary = ngettext(
            "%(count)s figure in %(categories)s categories.",
            "%(count)s figures in %(categories)s categories.",
            total,
        ) % {"count": total, "categories": len(categories)}
        columns = [_("Category"), _("Case"), _("Figures")]
        return chart(data, chart_layout, columns, rows, summary, narrow=(None, narrow_layout))


def _bar_label(point):
    """A compared bar's label: whose figure, and (on a second line) when it held, so that
    dates stay in view beside the bars."""
    if not point.as_of:
        return label(point.x)
    return label(point.x) + "<br>" + label(_("as of %(date)s") % {"date": point.as_of})


def comparison_bars(series, groups, language):
    """Side-by-side bars for one measure: one bar per point, coloured by its group (the
    compared company, in the order of `groups`); a range is drawn from its low value with an
    error bar to its high value. Refuses points of different measures."""
    one_measure(series.points)
    with translation.override(language):
        colours = {group: PALETTE[index % len(PALETTE)] for index, group in enumerate(groups)}
        divisor, unit_title = scale(series.points, series.unit, language)
        data = []
        for group in groups:
            points = [point for point in series.points if point.group == group]
            if not points:
                continue
            data.append(
                go.Bar(
                    name=label(group),
                    x=[_bar_label(point) for point in points],
                    y=[scaled(point.value, divisor) for point in points],
                    text=[label(point.text) for point in points],
                    textposition="outside",
                    cliponaxis=False,
                    customdata=[label(point.as_of) for point in points],
                    hovertemplate="%{x}<br>%{text}<br>%{customdata}<extra>"
                    + label(group)
                    + "</extra>",
                    marker={"color": colours[group]},
                    error_y=range_error(points, divisor),
                )
            )
        chart_layout = legend_layout(series.title, category_axis(tickangle=0), unit_title)
        narrow = labelled_bars(series, colours, divisor, unit_title)
        rows = [[point.group, point.x, point.text, point.as_of] for point in series.points]
        summary = ngettext(
            "%(count)s figure of “%(title)s”, all in %(unit)s.",
            "%(count)s figures of “%(title)s”, all in %(unit)s.",
            len(series.points),
        ) % {"count": len(series.points), "title": series.title, "unit": series.unit}
        columns = [_("Company"), _("Figure"), _("Value"), _("As of")]
        return chart(data, chart_layout, columns, rows, summary, narrow=narrow)


def values_over_time(series, language):
    """Figures of one measure by as-of date, one coloured set of markers per owner (group):
    the explorer's chart when its selection holds a single indicator."""
    one_measure(series.points)
    with translation.override(language):
        groups = list(dict.fromkeys(point.group for point in series.points))
        divisor, unit_title = scale(series.points, series.unit, language)
        data = []
        for index, group in enumerate(groups):
            points = [point for point in series.points if point.group == group]
            data.append(
                go.Scatter(
                    mode="markers",
                    name=label(group),
                    x=[str(point.x) for point in points],
                    y=[scaled(point.value, divisor) for point in points],
                    customdata=[[label(point.text), label(point.as_of)] for point in points],
                    hovertemplate="%{customdata[1]}<br>%{customdata[0]}<extra>"
                    + label(group)
                    + "</extra>",
                    marker={"size": 11, "color": PALETTE[index % len(PALETTE)]},
                    error_y=range_error(points, divisor),
                )
            )
        chart_layout = legend_layout(series.title, date_axis(_("As of")), unit_title)
        narrow_layout = legend_below(chart_layout, len(groups), xaxis={"nticks": 4})
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
        columns = [_("Owner"), _("As of"), _("Value")]
        return chart(data, chart_layout, columns, rows, summary, narrow=(None, narrow_layout))
