"""Only the HTTP methods the site uses reach it; any other is a 405 naming the ones it takes.

Without this, an unknown method such as PROPFIND met the CSRF check first and got a 403, which
tells a client nothing about what went wrong.
"""

from django.http import HttpResponseNotAllowed

ALLOWED = ("GET", "HEAD", "POST")


class KnownMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED:
            return HttpResponseNotAllowed(ALLOWED)
        return self.get_response(request)
