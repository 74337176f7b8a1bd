"""Headers every response gets that no library sets for us.

- Cross-Origin-Resource-Policy: same-origin, so that no other site may embed what we serve;
  cross-origin for the read API, which is there for any site to use (CORS_URLS_REGEX).
- Cache-Control, where the view set none: a page for anonymous readers may be kept by the
  browser and shared caches for PUBLIC_CACHE_SECONDS; one for a signed-in editor (whose page
  may show an unpublished preview) or one that sets a cookie is private and never stored;
  an error page or a refusal (429, 503 …) is never stored either.
"""

import re

from django.conf import settings
from django.utils.cache import patch_cache_control

# Answers a shared cache may keep for a while: pages, permanent redirects, and "not found";
# and "not modified", which must not tell a cache to drop the page it revalidated.
SHAREABLE_STATUSES = {200, 301, 304, 308, 404, 410}


def signed_in(request):
    """Whether the request carries a session (staff signed in to the admin): told from the
    cookie alone, without reading the session."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def cache_policy(request, response):
    if signed_in(request) or response.cookies:
        return {"private": True, "no_store": True}
    if response.status_code not in SHAREABLE_STATUSES:
        return {"no_store": True}
    return {"public": True, "max_age": settings.PUBLIC_CACHE_SECONDS}


class ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        shared = re.match(settings.CORS_URLS_REGEX, request.path_info)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", "cross-origin" if shared else "same-origin"
        )
        if request.method in ("GET", "HEAD") and not response.has_header("Cache-Control"):
            patch_cache_control(response, **cache_policy(request, response))
        return response
