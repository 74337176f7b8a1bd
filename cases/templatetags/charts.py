"""`{% chart figure "key" %}`: a chart from `cases.charts`, with its data table and summary."""

from html import unescape

from django import template

register = template.Library()


@register.inclusion_tag("cases/_chart.html")
def chart(figure, key):
    """Render `figure` (a dict from `cases.charts`) as a chart with id `key`; plotly gets its
    `data` and `layout` (and its narrow form's), the page shows the table and summary and
    keeps room for the chart at the height of either form."""
    plot = {"data": figure["data"], "layout": figure["layout"]}
    if figure.get("narrow"):
        plot["narrow"] = figure["narrow"]
    height = figure["layout"].get("height")
    return {
        "key": key,
        "script_id": f"{key}-data",
        "title": unescape(figure["layout"]["title"]["text"]),
        "plot": plot,
        "heights": figure.get("heights") or {"wide": height, "narrow": height},
        "room": figure.get("room", ""),
        "table": figure["table"],
        "summary": figure["summary"],
    }
