"""Cheap revalidation: every successful answer carries an ETag and a Last-Modified drawn
from the data version (cases.caching), which any save renews; a request that names the
current ETag (If-None-Match) or a time since the data last changed (If-Modified-Since) gets
an empty 304 before any record is read. While the cache does not answer there is no data
version to draw from, and answers carry neither header (they are still right, just not
revalidated)."""

from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers

from .. import page_cache
from ..page_cache import validators as page_validators


def validators(request):
    """(ETag, last-modified timestamp or None) for this request now, or (None, None): the
    same as a kept page's (cases.page_cache)."""
    _key, etag, modified = page_validators(request)
    return etag, modified


def speaking_the_request_language(dispatch):
    """`dispatch` with messages in the language the request asks for (Accept-Language, or the
    site's language cookie), since the API's one address serves both; the answer says which
    (Content-Language) and that it depends on it (Vary)."""

    def in_language(view, request, *args, **kwargs):
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            response = dispatch(view, request, *args, **kwargs)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Accept-Language", "Accept"])
        return response

    return in_language


class Kept(Exception):
    """Raised once a request has passed the view's checks and its answer is in the cache."""

    def __init__(self, response):
        super().__init__()
        self.response = response


class Revalidated:
    """A DRF view whose successful GET and HEAD answers can be revalidated, are kept for
    anonymous clients as whole pages are (cases.page_cache), and whose messages are in the
    request's language. A kept answer is served only after authentication, permissions and
    the throttle have passed, so a client over its limit is refused either way."""

    page_key = None

    @speaking_the_request_language
    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        key, etag, modified = page_validators(request)
        if etag:
            not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
            if not_modified is not None:
                return not_modified
        self.page_key = key if key and page_cache.eligible(request) else None
        response = super().dispatch(request, *args, **kwargs)
        if self.page_key and response.get(page_cache.STATUS_HEADER) != "hit":
            page_cache.keep(self.page_key, response)
        if etag and response.status_code == 200:
            page_cache.validated(response, etag, modified)
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        kept = page_cache.lookup(self.page_key) if self.page_key else None
        if kept is not None:
            raise Kept(kept)

    def handle_exception(self, exc):
        if isinstance(exc, Kept):
            return exc.response
        return super().handle_exception(exc)
