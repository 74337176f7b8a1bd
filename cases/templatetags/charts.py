"""`{% chart figure "key" %}`: a chart from `cases.charts`, with its data table and summary."""

from html import unescape

from django import template

register = template.Library()


@register.inclusion_tag("cases/_chart.html")
def chart(figure, key):
    """Render `figure` (a dict from `cases.charts`) as a chart with id `key`; plotly gets only
    its `data` and `layout`, the page shows the table and summary."""
    return {
        "key": key,
        "script_id": f"{key}-data",
        "title": unescape(figure["layout"]["title"]["text"]),
        "plot": {"data": figure["data"], "layout": figure["layout"]},
        "table": figure["table"],
        "summary": figure["summary"],
    }
