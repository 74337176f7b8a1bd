"""Request bodies are refused by their declared size before anything reads them.

Django counts a form's fields against DATA_UPLOAD_MAX_MEMORY_SIZE, but writes a file part to
disk whatever its size before any view can refuse it. Only the figure import takes a file: up
to twice CSR_IMPORT_MAX_BYTES reaches its form, which tells the editor the file's size and the
limit; every other request is held to the form limit.
"""

import re

from django.conf import settings
from django.shortcuts import render

from cases.importing.common import max_bytes

from .views import discard_body

IMPORT_PATH = re.compile(r"^(/en)?/admin/cases/metric/(import|process_import)/$")
# Room for the form's other fields and the multipart boundaries around the file.
MULTIPART_ALLOWANCE = 64 * 1024


def allowed_size(request):
    if IMPORT_PATH.match(request.path):
        return 2 * max_bytes() + MULTIPART_ALLOWANCE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MULTIPART_ALLOWANCE


class BodySizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # the server refuses a malformed length before we see it
        if declared > allowed_size(request):
            discard_body(request)
            return render(request, "413.html", status=413)
        return self.get_response(request)
