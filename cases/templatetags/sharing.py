"""What a page shows when its link is shared: `{% block_text "description" %}` repeats a
block the page has already filled (for og:description beside the meta description), and
`{% absolute_static "img/share.png" %}` gives a static file's full URL, which link previews
need."""

import re

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """The text of the page's `name` block as the page filled it, on one line."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context else None
    if block is None:
        return ""
    with context.push(block=block):
        text = block.nodelist.render(context)
    # The block rendered through the template engine, which escaped what it had to.
    return mark_safe(re.sub(r"\s+", " ", text).strip())  # noqa: S308


@register.simple_tag(takes_context=True)
def absolute_static(context, path):
    return context["request"].build_absolute_uri(static(path))


@register.simple_tag(takes_context=True)
def absolute_url(context, name, *args):
    """The full URL of the named page, e.g. for a citation to copy."""
    return context["request"].build_absolute_uri(reverse(name, args=args))
