"""Whole pages for anonymous readers, kept in the cache under the data version.

A public page depends only on the published data, its address (path and query string), the
language and what the client accepts; so a page computed once is served from the cache to
every anonymous reader until the data changes (any save starts a new data version, see
`cases.caching`) or PAGE_CACHE_SECONDS pass. Signed-in staff, who may see draft previews,
never read or fill it. Only whole, successful, cookie-free answers of bounded size are kept; a
streamed download is kept once sent in full, if it is small.

Each answer carries an ETag and a Last-Modified drawn from the same data version, so a
browser or proxy that kept the page revalidates with one cheap request (304). A view's rate
limit is counted before the cache is read: an address over its limit is refused whether or
not the page happens to be cached.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from csrsite import throttle
from csrsite.headers import signed_in

from .caching import CODE_VERSION, data_version, guard, version_time

# Answers are served from the cache with this header saying so ("hit"), or that they were
# just computed ("miss"); the benchmark and the tests read it.
STATUS_HEADER = "X-Page-Cache"
# Headers of the view's answer kept with it; those that outer middleware sets per request
# (security, CORS, Cache-Control, cookies) are set again on every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Vary", "Link")


def validators(request):
    """(cache key, ETag, last-modified timestamp or None) for this request now, or
    (None, None, None) while the cache does not answer (no data version to draw from)."""
    version = data_version()
    if version is None:
        return None, None, None
    parts = [
        version,
        CODE_VERSION,
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
        get_language() or "",
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"page:{digest}", quote_etag(digest[:24]), version_time(version)


def storable(response):
    """Whether `response` may be kept and served to other readers (its content, if it is
    streamed, once sent: see `keep_once_sent`)."""
    if response.status_code != 200 or response.cookies:
        return False
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get(
        "Cache-Control", ""
    ):
        return False
    return response.streaming or len(response.content) <= settings.PAGE_CACHE_MAX_BYTES


def eligible(request):
    """Whether `request` may be answered from, and its answer kept in, the cache."""
    return (
        request.method in ("GET", "HEAD")
        and not signed_in(request)
        and bool(settings.PAGE_CACHE_SECONDS)
    )


def lookup(key):
    """The answer kept under `key`, rebuilt, or None."""
    entry = guard.call(lambda: cache.get(key))
    if entry is None:
        return None
    response = HttpResponse(entry["content"], headers=entry["headers"])
    response[STATUS_HEADER] = "hit"
    return response


def keep(key, response):
    """Keep `response` under `key` if it may be served to other readers; whether it was."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()  # a TemplateResponse (the sitemap's, the API's) is lazy
    if not storable(response):
        return False
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    if response.streaming:
        response.streaming_content = keep_once_sent(key, response.streaming_content, headers)
    else:
        store(key, response.content, headers)
    response[STATUS_HEADER] = "miss"
    return True


def store(key, content, headers):
    guard.call(
        lambda: cache.set(
            key, {"content": content, "headers": headers}, settings.PAGE_CACHE_SECONDS
        )
    )


def keep_once_sent(key, chunks, headers):
    """`chunks` passed on as they come (a download still starts at once), and kept once
    the last is sent if all of them came to no more than PAGE_CACHE_MAX_BYTES: a small
    selection's download is then served whole from the cache, a large one always streams."""
    kept, size = [], 0
    for chunk in chunks:
        yield chunk
        if kept is not None:
            size += len(chunk)
            if size <= settings.PAGE_CACHE_MAX_BYTES:
                kept.append(chunk)
            else:
                kept = None
    if kept is not None:
        store(key, b"".join(kept), headers)


def validated(response, etag, modified):
    """`response` with the validators a browser revalidates it with."""
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    return response


def cached_page(view=None, *, limit=None):
    """`view` with its anonymous answers served from the cache (see the module's docstring).
    `limit(request)` names the rate-limit group this request counts in (csrsite.throttle),
    or None; it is counted for every request, cached or not."""

    def decorate(view):
        @functools.wraps(view)
        def serve(request, *args, **kwargs):
            group = limit(request) if limit else None
            if group:
                throttle.check(request, group)
            if not eligible(request):
                return view(request, *args, **kwargs)
            key, etag, modified = validators(request)
            if key is None:
                return view(request, *args, **kwargs)
            not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
            if not_modified is not None:
                return not_modified
            response = lookup(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if not keep(key, response):
                    return response
            return validated(response, etag, modified)

        return serve

    return decorate(view) if view is not None else decorate


def searching(group):
    """A `limit` for pages whose request counts in `group` when it has a search (`q`)."""
    return lambda request: group if request.GET.get("q", "").strip() else None


def downloading(request):
    """A download's `limit`: every one counts."""
    return "download"


def choosing_companies(request):
    """The compare page's `limit`: a comparison counts once companies are chosen."""
    return "compare" if request.GET.getlist("company") else None
