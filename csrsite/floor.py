"""`/bench/floor/?bytes=N`, served only when settings.BENCH_FLOOR is on (`make bench` turns it
on): N bytes of HTML, computed from nothing, through the same middleware as every page. What
it costs is the framework's floor, so `bench/run.py` shows each page as a multiple of it."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

# Larger than any page, small enough that a mistyped number cannot exhaust a worker.
MAX_BYTES = 50 * 1024 * 1024
FILLER = b"<p>floor</p>\n"


@require_safe
def floor(request):
    try:
        size = int(request.GET.get("bytes", "0"))
    except ValueError:
        size = -1
    if not 0 <= size <= MAX_BYTES:
        return HttpResponseBadRequest(f"bytes must be a whole number from 0 to {MAX_BYTES}\n")
    body = (FILLER * (size // len(FILLER) + 1))[:size]
    return HttpResponse(body, content_type="text/html; charset=utf-8")
