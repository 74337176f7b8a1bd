"""Words in templates: `{{ case.summary|excerpt:140 }}` shortens a text without cutting a word
or a figure; `{{ name }}{{ group|in_brackets }}` brackets a word as each language does."""

from django import template

from ..dates import is_chinese
from ..excerpts import excerpt as shorten

register = template.Library()


@register.filter
def excerpt(text, limit):
    """`text` cut at a word boundary to at most `limit` characters, ellipsis included."""
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        return text
    return shorten(str(text or ""), limit)


@register.filter
def in_brackets(text):
    """`text` in brackets as the active language writes them after a word: 抖音集团（字节跳动）
    in Chinese, "Douyin Group (ByteDance)" in English; nothing for no text."""
    if text in (None, ""):
        return ""
    return f"（{text}）" if is_chinese() else f" ({text})"
