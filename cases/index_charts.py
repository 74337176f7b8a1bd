"""Charts of the social value impact index, as pure functions from plain data to a chart for
the page (see `cases.plotting.chart`). Scores run from 0 to 100; dimensions keep the colour
of their place in the framework on every chart."""

import plotly.graph_objects as go
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .plotting import (
    BAR_HEIGHT,
    PALETTE,
    category_axis,
    chart,
    count_step,
    label,
    layout,
    shortened,
    value_axis,
)

SCORE_RANGE = [0, 100]


def ranking(rows, dimensions, weights, language):
    """The ranked cases' index as horizontal bars, best first, each split into what every
    dimension adds to it under the reader's `weights`. `rows` is [(case name, {dimension:
    score}, index)]; `dimensions` is [(name, key)] in the framework's order."""
    with translation.override(language):
        total = sum(weights.get(key, 1) for _name, key in dimensions) or 1
        names = [label(shortened(name, 16)) for name, _scores, _index in rows]
        data = []
        for position, (name, key) in enumerate(dimensions):
            share = weights.get(key, 1) / total
            data.append(
                go.Bar(
                    orientation="h",
                    name=label(name),
                    y=names,
                    x=[round((scores.get(key) or 0) * share, 1) for _n, scores, _i in rows],
                    customdata=[round(scores.get(key) or 0, 1) for _n, scores, _i in rows],
                    hovertemplate="%{y} · " + label(name) + ": %{customdata}<extra></extra>",
                    marker={"color": PALETTE[position % len(PALETTE)]},
                )
            )
        chart_layout = layout(
            _("The index of each ranked case"),
            height=110 + BAR_HEIGHT * max(len(rows), 1),
            barmode="stack",
            showlegend=True,
            legend={
                "orientation": "h",
                "y": 1.02,
                "yanchor": "bottom",
                "x": 0,
                "traceorder": "normal",
            },
            margin={"l": 10, "r": 20, "t": 80, "b": 10, "pad": 4},
            xaxis=value_axis(_("Index (0–100)"), range=SCORE_RANGE),
            yaxis=category_axis(autorange="reversed"),
        )
        columns = [_("Case"), *(name for name, _key in dimensions), _("Index")]
        table = [
            [name, *(_rounded(scores.get(key)) for _n, key in dimensions), _rounded(index)]
            for name, scores, index in rows
        ]
        if rows:
            summary = ngettext(
                "%(count)s case is ranked; the highest index is %(name)s's, %(index)s.",
                "%(count)s cases are ranked; the highest index is %(name)s's, %(index)s.",
                len(rows),
            ) % {"count": len(rows), "name": rows[0][0], "index": _rounded(rows[0][2])}
        else:
            summary = _("No case is assessed on enough indicators to be ranked.")
        return chart(data, chart_layout, columns, table, summary)


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
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
        chart_layout = layout(
            _("How the index is spread across cases"),
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
        return chart([trace], chart_layout, [_("Index"), _("Cases")], rows, summary)


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
                hovertemplate="%{x}: %{y}<extra>" + label(group) + "</extra>",
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
        columns = [_("Company"), *(name for name, _key in dimensions)]
        rows = [
            [group, *(_rounded(scores.get(key)) for _name, key in dimensions)]
            for group, scores in groups
        ]
        summary = _(
            "The mean dimension scores of each company's ranked cases; a company without a "
            "ranked case has no bar."
        )
        return chart(data, chart_layout, columns, rows, summary)


def _rounded(value):
    return None if value is None else round(value, 1)
