"""Charts of the social value impact index, as pure functions from plain data to a chart for
the page (see `cases.plotting.chart`). Scores run from 0 to 100; dimensions keep the colour
of their place in the framework on every chart."""

import plotly.graph_objects as go
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .plotting import (
    BAR_HEIGHT,
    NARROW_MARGIN,
    PALETTE,
    category_axis,
    chart,
    count_step,
    fitting,
    hover,
    label,
    layout,
    legend_below,
    listed_bars,
    shortened,
    value_axis,
)

SCORE_RANGE = [0, 100]


def ranking(rows, dimensions, weights, language, ranked_count=None):
    """The ranked cases' index as horizontal bars, best first, each split into what every
    dimension adds to it under the reader's `weights`. `rows` is [(case name, {dimension:
    score}, index)], the best `ranked_count` (all when not given); `dimensions` is [(name,
    key)] in the framework's order."""
    with translation.override(language):
        # The index is the weighted mean of the dimensions a case is scored on (see
        # cases.scores.weighted_mean), so each row's shares are of its own scored weights
        # and its bar ends at its index.
        totals = [
            sum(weights.get(key, 1) for _n, key in dimensions if scores.get(key) is not None) or 1
            for _name, scores, _index in rows
        ]
        names = [label(shortened(name, 16)) for name, _scores, _index in rows]
        data = []
        for position, (name, key) in enumerate(dimensions):
            weight = weights.get(key, 1)
            data.append(
                go.Bar(
                    orientation="h",
                    name=label(name),
                    y=names,
                    x=[
                        round((scores.get(key) or 0) * weight / total, 1)
                        for (_n, scores, _i), total in zip(rows, totals, strict=True)
                    ],
                    customdata=[round(scores.get(key) or 0, 1) for _n, scores, _i in rows],
                    hovertemplate=hover("%{y} · " + label(name), "%{customdata}"),
                    marker={"color": PALETTE[position % len(PALETTE)]},
                )
            )
        chart_layout = layout(
            _("The index of each ranked case"),
            height=130 + BAR_HEIGHT * max(len(rows), 1),
            barmode="stack",
            showlegend=True,
            legend={
                "orientation": "h",
                "y": 1.005,
                "yanchor": "bottom",
                "x": 0,
                "traceorder": "normal",
            },
            # Room for the legend's row under the title, clear of it.
            margin={"l": 10, "r": 20, "t": 100, "b": 10, "pad": 4},
            xaxis=value_axis(_("Index (0–100)"), range=SCORE_RANGE),
            yaxis=category_axis(autorange="reversed"),
        )
        # On a phone shorter names leave the bars room; the legend goes under the chart.
        short = [label(shortened(name, fitting(8, 14))) for name, _scores, _index in rows]
        narrow_data = [go.Bar(bar).update(y=short) for bar in data]
        narrow = (narrow_data, legend_below(chart_layout, len(dimensions)))
        columns = [_("Case"), *(name for name, _key in dimensions), _("Index")]
        table = [
            [name, *(_rounded(scores.get(key)) for _n, key in dimensions), _rounded(index)]
            for name, scores, index in rows
        ]
        ranked_count = ranked_count or len(rows)
        if rows and ranked_count > len(rows):
            summary = _(
                "%(count)s cases are ranked; the best %(shown)s are drawn, and the highest "
                "index is %(name)s's, %(index)s."
            ) % {
                "count": ranked_count,
                "shown": len(rows),
                "name": rows[0][0],
                "index": _rounded(rows[0][2]),
            }
        elif rows:
            summary = ngettext(
                "%(count)s case is ranked; the highest index is %(name)s's, %(index)s.",
                "%(count)s cases are ranked; the highest index is %(name)s's, %(index)s.",
                len(rows),
            ) % {"count": len(rows), "name": rows[0][0], "index": _rounded(rows[0][2])}
        else:
            summary = _("No case is assessed on enough indicators to be ranked.")
        return chart(data, chart_layout, columns, table, summary, narrow=narrow)


def distribution(indexes, language):
    """How many ranked cases have an index in each tenth of the scale (0–9, 10–19 … 90–100)."""
    with translation.override(language):
        bins = [0] * 10
        for index in indexes:
            bins[min(int(index // 10), 9)] += 1
        labels = [f"{low}–{low + 9}" if low < 90 else "90–100" for low in range(0, 100, 10)]
        trace = go.Bar(
            x=labels,
            y=bins,
            marker={"color": PALETTE[0]},
            hovertemplate=hover("%{x}", "%{y}"),
        )
        title = _("How the index is spread across cases")
        chart_layout = layout(
            title,
            height=300,
            xaxis=category_axis(_("Index"), tickangle=0),
            yaxis=value_axis(_("Cases"), tickformat=",d", dtick=count_step(max(bins))),
        )
        rows = [[bin_label, count] for bin_label, count in zip(labels, bins, strict=True)]
        summary = ngettext(
            "The index of %(count)s ranked case, in bands of ten points.",
            "The index of %(count)s ranked cases, in bands of ten points.",
            len(indexes),
        ) % {"count": len(indexes)}
        narrow = listed_bars(title, labels, bins, PALETTE[0], _("Cases"))
        columns = [_("Index"), _("Cases")]
        return chart([trace], chart_layout, columns, rows, summary, narrow=narrow)


def dimension_scores(groups, dimensions, language):
    """Each compared company's score on every dimension, side by side: `groups` is
    [(company name, {dimension key: score or None})]."""
    with translation.override(language):
        names = [label(name) for name, _key in dimensions]
        data = [
            go.Bar(
                name=label(group),
                x=names,
                y=[_rounded(scores.get(key)) for _name, key in dimensions],
                hovertemplate=hover("%{x}", "%{y}", label(group)),
                marker={"color": PALETTE[position % len(PALETTE)]},
            )
            for position, (group, scores) in enumerate(groups)
        ]
        chart_layout = layout(
            _("Scores by dimension"),
            height=360,
            barmode="group",
            showlegend=True,
            legend={"orientation": "h", "y": -0.2, "x": 0},
            xaxis=category_axis(tickangle=0),
            yaxis=value_axis(_("Score (0–100)"), range=SCORE_RANGE),
        )
        # On a phone the dimensions are rows, each company's bars side by side in it.
        narrow_data = [
            go.Bar(bar).update(
                orientation="h",
                x=bar.y,
                y=bar.x,
                hovertemplate=hover("%{y}", "%{x}", bar.name),
            )
            for bar in data
        ]
        narrow_layout = legend_below(
            layout(
                _("Scores by dimension"),
                height=NARROW_MARGIN["t"] + 60 + (14 * len(groups) + 14) * len(dimensions),
                barmode="group",
                xaxis=value_axis(_("Score (0–100)"), range=SCORE_RANGE),
                yaxis=category_axis(autorange="reversed", tickangle=0),
            ),
            len(groups),
        )
        columns = [_("Company"), *(name for name, _key in dimensions)]
        rows = [
            [group, *(_rounded(scores.get(key)) for _name, key in dimensions)]
            for group, scores in groups
        ]
        summary = _(
            "The mean dimension scores of each company's ranked cases; a company without a "
            "ranked case has no bar."
        )
        narrow = (narrow_data, narrow_layout)
        return chart(data, chart_layout, columns, rows, summary, narrow=narrow)


def _rounded(value):
    return None if value is None else round(value, 1)
