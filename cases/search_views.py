"""The site-wide search page (/search/): one search over every kind of record, a few of each,
each group linking to its full list; with `kind`, every match of one kind."""

from dataclasses import dataclass

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .filters import SEARCH_ERRORS, SEARCH_MAX_LENGTH
from .models import Company, Metric, Project, SocialIssue, Source
from .models.base import name_order
from .page_cache import cached_page, searching
from .search.query import Search
from .search.suggest import suggestions
from .views import paginate

# Each group of the search page shows its best matches, then links to the rest.
GROUP_SIZE = 5


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False, max_length=SEARCH_MAX_LENGTH, strip=True, error_messages=SEARCH_ERRORS
    )


def read_search(request):
    """(the search in `request`'s `q`, or None; the message saying why `q` was refused, or "").
    A search counts against the address's search limit (see `site_search`)."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return None, " ".join(form.errors["q"])
    text = form.cleaned_data["q"]
    if not text:
        return None, ""
    return Search.read(text), ""


@dataclass
class Group:
    name: str
    title: str
    count: int
    items: list
    url: str


# (name, title, the list page that takes the same `q`, or None where this page lists every
# match of that kind itself with `kind=name`)
KINDS = [
    ("cases", _("Cases"), "cases:case_list"),
    ("companies", _("Companies and organisations"), None),
    ("issues", _("Issues"), None),
    ("figures", _("Figures"), "cases:metrics"),
    ("sources", _("Sources"), None),
]


def found(kind, search):
    """The records of `kind` matching `search`, best match first."""
    if kind == "cases":
        return Project.objects.for_list().search(search, ranked=True).ordered_by("relevance")
    if kind == "companies":
        return (
            Company.objects.select_related("parent")
            .with_case_counts()
            .search(search, ranked=True)
            .order_by("-search_rank", "-case_count", *name_order())
        )
    if kind == "issues":
        return (
            SocialIssue.objects.with_case_counts()
            .search(search, ranked=True)
            .order_by("-search_rank", "-case_count", *name_order())
        )
    if kind == "figures":
        return (
            Metric.objects.for_listing()
            .search(search, ranked=True)
            .order_by("-search_rank", "-as_of", "slug")
        )
    return Source.objects.search(search, ranked=True).order_by("-search_rank", "-published_on")


def full_list_url(kind, list_url, search):
    query = {"q": search.text} if list_url else {"q": search.text, "kind": kind}
    return f"{reverse(list_url or 'cases:search')}?{urlencode(query)}"


@require_safe
@cached_page(limit=searching("search"))
def site_search(request):
    """Every kind of record matching `q`, a few of each; with `kind`, all of one kind."""
    search, error = read_search(request)
    kind = request.GET.get("kind", "")
    known = {name for name, _title, list_url in KINDS if list_url is None}
    kind_message = ""
    if kind and kind not in known:
        kind_message = _("There is no list “%(kind)s” here; showing every kind of result.") % {
            "kind": kind[:20]
        }
        kind = ""
    groups, offered, page, page_message = [], None, None, ""
    if search:
        for name, title, list_url in KINDS:
            if kind and name != kind:
                continue
            records = found(name, search)
            if kind:
                page, page_message = paginate(request, records)
                items, count = page.object_list, page.paginator.count
            else:
                count = records.count()
                items = list(records[:GROUP_SIZE]) if count else []
            groups.append(Group(name, title, count, items, full_list_url(name, list_url, search)))
        if not any(group.count for group in groups):
            offered = suggestions(search, get_language())
    context = {
        "search": search,
        "kind": kind,
        "query": request.GET.get("q", "")[: SEARCH_MAX_LENGTH * 2],
        "error": error,
        "kind_message": kind_message,
        "groups": [group for group in groups if group.count],
        "total": sum(group.count for group in groups),
        "page": page,
        "page_message": page_message,
        "suggestions": offered,
        "clear_url": reverse("cases:search"),
        "all_kinds_url": f"{reverse('cases:search')}?{urlencode({'q': search.text})}"
        if search
        else "",
        "search_max_length": SEARCH_MAX_LENGTH,
    }
    return render(request, "cases/search.html", context)
