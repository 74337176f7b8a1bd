"""What to offer when a search finds nothing: the names closest to what was typed (compared
with every published case's, company's and issue's names, aliases and pinyin), and the issues
and companies one of the words names, each a link to their cases."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from .query import matching
from .text import fold

MAX_NAMES = 5
MAX_MEANT = 3
# How alike a name must be (0–1, difflib's ratio) to be offered.
CLOSE_ENOUGH = 0.6


@dataclass
class Suggestions:
    names: list = field(default_factory=list)  # (label, url)
    issues: list = field(default_factory=list)
    companies: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.names or self.issues or self.companies)


def _candidates(language):
    """(folded spelling, label, url) for every name a reader may have meant."""
    from ..models import Company, Project, SocialIssue
    from ..models.base import split_aliases

    records = [
        *Project.objects.published().only("slug", "name_zh", "name_en", "aliases", "name_sort"),
        *Company.objects.with_led_case_counts()
        .filter(case_count__gt=0)
        .only("slug", "name_zh", "name_en", "aliases", "name_sort"),
        *SocialIssue.objects.with_case_counts()
        .filter(case_count__gt=0)
        .only("slug", "name_zh", "name_en", "aliases", "name_sort"),
    ]
    found = []
    for record in records:
        label = record.name_zh if language != "en" else record.name_en
        url = record.get_absolute_url()
        for spelling in [
            record.name_zh,
            record.name_en,
            record.name_sort,
            *split_aliases(record.aliases),
        ]:
            if spelling:
                found.append((fold(spelling), label, url))
    return found


def closest_names(text, language):
    """Up to MAX_NAMES (label, url) of the names most like `text`, most alike first."""
    from ..caching import cached

    wanted = fold(text).strip()
    if not wanted:
        return []
    squeezed = wanted.replace(" ", "")
    scored = {}
    for spelling, label, url in cached(
        "search-names", language, compute=lambda: _candidates(language)
    ):
        matcher = SequenceMatcher(None, squeezed if spelling.isascii() else wanted, spelling)
        if matcher.real_quick_ratio() < CLOSE_ENOUGH or matcher.quick_ratio() < CLOSE_ENOUGH:
            continue
        ratio = matcher.ratio()
        if ratio >= CLOSE_ENOUGH and ratio > scored.get(url, (0,))[0]:
            scored[url] = (ratio, label)
    best = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][1]))[:MAX_NAMES]
    return [(label, url) for url, (_ratio, label) in best]


def suggestions(search, language):
    """Suggestions for a search that found nothing."""
    from ..models import Company, SocialIssue

    result = Suggestions(names=closest_names(search.text, language))
    if search.terms:
        any_term = Q()
        for term in search.terms:
            any_term |= matching("search_name_tokens", [term], SocialIssue.objects.db)
        cases = reverse("cases:case_list")
        result.issues = [
            (issue.name, f"{cases}?{urlencode({'issue': issue.slug})}")
            for issue in SocialIssue.objects.with_case_counts()
            .filter(any_term, case_count__gt=0)
            .in_name_order("-case_count")[:MAX_MEANT]
        ]
        result.companies = [
            (company.name, f"{cases}?{urlencode({'company': company.slug})}")
            for company in Company.objects.with_led_case_counts()
            .filter(any_term, case_count__gt=0)
            .in_name_order("-case_count")[:MAX_MEANT]
        ]
    return result
