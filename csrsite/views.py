"""The site's own pages around the casebook: robots.txt and the friendly error pages."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from csrsite import database


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /en/admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# A refused body is read and dropped up to this size: gunicorn closes a connection whose body
# was left unread, and nginx, still sending it, would then show its own 502 instead of our 413.
# nginx passes at most 12 MB (deploy/nginx/casebook.conf); anything larger is cut off.
DISCARD_AT_MOST = 16 * 1024 * 1024


def discard_body(request):
    left = DISCARD_AT_MOST
    while left > 0:
        chunk = request.read(min(left, 64 * 1024))  # stops at the body's declared length
        if not chunk:
            break
        left -= len(chunk)


def bad_request(request, exception):
    """The friendly 400 page; a body over the upload limit is a 413 with its own message."""
    if isinstance(exception, RequestDataTooBig):
        discard_body(request)
        return render(request, "413.html", status=413)
    return render(request, "400.html", status=400)


def server_error(request):
    """The friendly 500 page, in the visitor's language, without touching the database; a 503
    saying to try again when the database could not be reached (`csrsite.database`)."""
    unavailable = database.is_unavailable(sys.exc_info()[1])
    template, status = ("503.html", 503) if unavailable else ("500.html", 500)
    try:
        response = render(request, template, status=status)
    except Exception:  # the page must not fail while reporting a failure
        response = HttpResponseServerError(loader.get_template(template).render())
        response.status_code = status
    if unavailable:
        response["Retry-After"] = str(database.RETRY_SECONDS)
    return response
