"""Search results in templates: `{{ case.name|marked:search }}` marks the matched words of a
name (pinyin included), `{% excerpt_around case.summary search 140 %}` shows the part of a text
around its first match. Without a search, both give the plain text (shortened)."""

from django import template

from ..excerpts import excerpt
from ..search.highlight import around_match, mark

register = template.Library()


@register.filter
def marked(text, search):
    if not search:
        return text
    return mark(text, search.needles, pinyin=True)


@register.simple_tag
def excerpt_around(text, search, limit):
    if not search:
        return excerpt(str(text or ""), int(limit))
    return around_match(text, search.needles, int(limit))
