"""What a reader chose on the compare page, read from its query string: the companies
(`company`), whether charts may mix issues (`view`), the category of figures listed
(`category`) and whether the picker offers every company (`companies`); the page's URLs
that keep that choice (Links); and the companies the picker offers. A value the page cannot
use gives way to its usual choice, with a message saying so.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .filters import could_be_slug, printable
from .models import Company, Indicator, Project

# The most companies one comparison sets side by side.
MAX_COMPANIES = 6
# The `view` parameter's value for charts that mix issues; without it, charts keep to one.
ALL_ISSUES = "all-issues"
# The picker offers the companies with the most cases, and every company when asked
# (`companies=all`): a casebook of hundreds would otherwise send hundreds of checkboxes.
PICKER_OPTIONS = 24
EVERY_COMPANY = "all"


@dataclass
class Selection:
    """The companies a reader chose that can be compared, and messages about the rest:
    `left_out` for choices that could not be used, `notes` for those used with a caveat."""

    companies: list
    left_out: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def messages(self):
        return self.left_out + self.notes


def listed(values, shown=5):
    """Up to `shown` values quoted for a message, with how many there are in all beyond."""
    unique = list(dict.fromkeys(values))
    names = pgettext("list separator", ", ").join(
        f"“{printable(value)}”" for value in unique[:shown]
    )
    if len(unique) > shown:
        names += " … " + _("(%(count)s in all)") % {"count": len(unique)}
    return names


@dataclass
class Links:
    """The compare page's URLs (as query strings) for the chosen companies' `slugs`, `view`
    and `category` of figures, each keeping the rest of the reader's choice."""

    slugs: list
    view: str = ""
    category: str = ""

    def url(self, **changes):
        choice = {"slugs": self.slugs, "view": self.view, "category": self.category, **changes}
        pairs = [("company", slug) for slug in choice["slugs"]]
        pairs += [(name, choice[name]) for name in ("view", "category") if choice[name]]
        return "?" + urlencode(pairs)

    def without(self, slug):
        """The page without the company `slug`."""
        return self.url(slugs=[chosen for chosen in self.slugs if chosen != slug])

    def showing(self, category):
        """The page listing the figures of `category` ("" for its usual choice)."""
        return self.url(category=category)


def read_selection(slugs):
    """The companies named by `slugs`, in the order given, and what could not be used.

    Unknown and surplus slugs are left out with a message each; a repeated one is used once.
    """
    selection = Selection([])
    wanted, repeated = [], []
    for raw in slugs:
        slug = raw.strip()
        if slug in wanted:
            repeated.append(slug)
        elif slug:
            wanted.append(slug)
    found = {
        company.slug: company
        for company in Company.objects.for_comparison().filter(
            slug__in=[slug for slug in wanted if could_be_slug(slug)]
        )
    }
    unknown = [slug for slug in wanted if slug not in found]
    if repeated:
        selection.notes.append(
            _("Chosen more than once and shown once: %(names)s.") % {"names": listed(repeated)}
        )
    if unknown:
        selection.left_out.append(
            _("There is no such company, so these were left out: %(names)s.")
            % {"names": listed(unknown)}
        )
    companies = [found[slug] for slug in wanted if slug in found]
    if len(companies) > MAX_COMPANIES:
        left_out = pgettext("list separator", ", ").join(
            company.name for company in companies[MAX_COMPANIES:]
        )
        selection.left_out.append(
            _("At most %(max)s companies can be compared at once; left out: %(names)s.")
            % {"max": MAX_COMPANIES, "names": left_out}
        )
        companies = companies[:MAX_COMPANIES]
    for company in companies:
        if company.parent in companies:
            selection.notes.append(
                _(
                    "%(company)s belongs to %(group)s, so its figures appear in both columns. "
                    "Do not add the two up."
                )
                % {"company": company.name, "group": company.parent.name}
            )
    selection.companies = companies
    return selection


def read_view(value):
    """(whether charts may mix issues, a message if `value` is not a view the page has)."""
    value = value.strip()
    if value in ("", ALL_ISSUES):
        return value == ALL_ISSUES, ""
    return False, _("“%(view)s” is not a view of this page; charts keep to one issue.") % {
        "view": printable(value)
    }


def read_picker(value):
    """(whether the picker offers every company, a message if `value` is not a choice)."""
    value = value.strip()
    if value in ("", EVERY_COMPANY):
        return value == EVERY_COMPANY, ""
    return False, _(
        "“%(value)s” is not a choice of the company list; it offers the companies with the "
        "most cases."
    ) % {"value": printable(value)}


def read_category(value):
    """(the category of figures the reader asked for or "", a message if `value` is not one)."""
    value = value.strip()
    if not value or value in Indicator.Category.values:
        return value, ""
    return "", _("“%(category)s” is not a category of figures; the page shows its usual one.") % {
        "category": printable(value)
    }


def picker_options():
    """Companies a reader can compare: groups and independent companies leading published
    cases, each with its subsidiaries that lead some, most cases first (then by name), each
    with `case_count`. The counts come from one pass over the cases grouped by company."""
    counts = Company.objects.led_case_counts(Project.objects.published())
    leading = [pk for pk, n in counts.items() if n]
    subsidiaries = Prefetch(
        "subsidiaries", queryset=Company.objects.filter(pk__in=leading).in_name_order()
    )
    options = list(
        Company.objects.filter(pk__in=leading, parent__isnull=True)
        .prefetch_related(subsidiaries)
        .in_name_order()
    )
    for company in options:
        for record in [company, *company.subsidiaries.all()]:
            record.case_count = counts[record.pk]
    options.sort(key=lambda company: -company.case_count)
    return [company for company in options if company.is_business]
