"""A figure in a compare cell, written here rather than in a template: a comparison of
large groups shows hundreds of them, and an included template cost about 0.4 ms each (a
third of the page). Every value is escaped; the sentences are the catalogue's."""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def compare_figure(figure, issues):
    """`figure` (with its unit, source, case and company selected) and the names of the
    issues its case addresses: its value and label, when it held, its badges, and where it
    comes from (case or owner, source, locator and original wording)."""
    when = _("as of %(date)s") % {"date": conditional_escape(figure.as_of_display)}
    if issues:
        when += " · " + _("Issues: %(issues)s") % {"issues": conditional_escape(issues)}
    badges = [
        (kind, label)
        for kind, label, shown in [
            ("badge", _("cumulative"), figure.cumulative),
            ("badge badge-warn", _("date inferred"), figure.as_of_inferred),
            ("badge", _("breakdown"), figure.part_of_id),
        ]
        if shown
    ]
    if figure.project:
        owner = format_html(
            '<a href="{}">{}</a>', figure.project.get_absolute_url(), figure.project.name
        )
    else:
        owner = conditional_escape(figure.company.name)
    source = _(
        '<a href="%(url)s" title="%(title)s">source</a>: %(locator)s, '
        '<q lang="zh-Hans">%(wording)s</q>'
    ) % {
        "url": conditional_escape(figure.source.get_absolute_url()),
        "title": conditional_escape(figure.source.title),
        "locator": conditional_escape(figure.locator_display),
        "wording": conditional_escape(figure.original_wording),
    }
    return format_html(
        '<div class="cell-figure">\n<strong>{}</strong>\n<span class="cell-label">{}</span>\n'
        '<span class="cell-meta">{}{}</span>\n<span class="cell-meta">{} · {}</span>\n</div>\n',
        figure.figure_display,
        figure.label,
        mark_safe(when),  # noqa: S308 - its values are escaped above
        format_html_join("", ' <span class="{}">{}</span>', badges),
        owner,
        mark_safe(source),  # noqa: S308 - its values are escaped above
    )
