"""`{{ value|score }}`: a score on the index, to one decimal place in the active language."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def score(value):
    """72.5, or an empty string for a score there is none of."""
    if value is None:
        return ""
    return number_format(round(value, 1), decimal_pos=1)


@register.filter
def get_score(scores, key):
    """`scores[key]` as a score: {{ summary.dimensions|get_score:"mission" }}."""
    return score(scores.get(key))
