"""What every page's layout needs: the same page in the other language. No database access,
so the error pages can use it too."""

from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost

ENGLISH_PREFIX = "/en"


def alternate_paths(full_path):
    """The Chinese and English paths of the page at `full_path`, query string kept."""
    path = urlsplit(full_path).path
    query = full_path[len(path) :]
    if path == ENGLISH_PREFIX or path.startswith(ENGLISH_PREFIX + "/"):
        chinese = path[len(ENGLISH_PREFIX) :] or "/"
    else:
        chinese = path
    return {"zh-hans": chinese + query, "en": ENGLISH_PREFIX + chinese + query}


def languages(request):
    paths = alternate_paths(request.get_full_path())
    context = {"zh_path": paths["zh-hans"], "en_path": paths["en"]}
    try:
        context["zh_url"] = request.build_absolute_uri(paths["zh-hans"])
        context["en_url"] = request.build_absolute_uri(paths["en"])
    except DisallowedHost:
        # The 400 page for a request naming a host we do not serve: no absolute links to it.
        pass
    return context
