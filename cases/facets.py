"""What the case list shows beside its filters: each facet's options with the number of
matching cases (the most-used in view, the rest behind "show all"), and the active filters as
removable chips. `cases.filters.CaseFilter` builds them."""

from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str
    note: str = ""


# A facet lists this many options, most cases first, and keeps the rest behind "show all";
# a list only a couple longer is shown whole, since hiding two options saves nothing. Up to
# FACET_INLINE more options come with the page, opened in place; a longer list (hundreds of
# companies in a large casebook) is a link away, so that the page stays small.
FACET_TOP = 8
FACET_SLACK = 2
FACET_INLINE = 40
# The list's parameter naming the facets whose every option the reader asked to see.
ALL_OPTIONS = "all"


@dataclass
class Facet:
    name: str
    title: str
    options: list = field(default_factory=list)
    # Every option shown, as the reader asked (?all=name); and the links that ask and undo it.
    expanded: bool = False
    expand_url: str = ""
    collapse_url: str = ""

    @cached_property
    def shown(self):
        """The options with the most cases, and every selected one; all when expanded."""
        if self.expanded or len(self.options) <= FACET_TOP + FACET_SLACK:
            return self.options
        return [o for i, o in enumerate(self.options) if i < FACET_TOP or o.selected]

    @cached_property
    def hidden(self):
        """The other options."""
        return [option for option in self.options if option not in self.shown]

    @cached_property
    def more(self):
        """The other options, when few enough to come with the page behind "show all"."""
        return self.hidden if len(self.hidden) <= FACET_INLINE else []

    @property
    def collapsible(self):
        return self.expanded and len(self.options) > FACET_TOP + FACET_SLACK


@dataclass
class Chip:
    name: str
    label: str
    url: str
    valid: bool = True
