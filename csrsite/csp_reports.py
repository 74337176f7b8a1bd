"""Where browsers report what the Content-Security-Policy blocked: each violation is one log
line (logger csrsite.csp, WARNING) with the page, the directive and what was blocked.

Reports come from anyone, so the endpoint reads at most MAX_BYTES, logs at most
MAX_REPORTS violations a request, cuts each value to MAX_VALUE characters, is rate-limited
per address like the other public endpoints, and answers what it cannot read with a 400,
never a 500. Both the report-uri format ({"csp-report": {…}}) and the Reporting API's
([{"type": "csp-violation", "body": {…}}]) are read."""

import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import throttle

logger = logging.getLogger("csrsite.csp")

MAX_BYTES = 16 * 1024
MAX_REPORTS = 5
MAX_VALUE = 300

# (our field, the report-uri key, the Reporting API key)
FIELDS = (
    ("page", "document-uri", "documentURL"),
    ("directive", "effective-directive", "effectiveDirective"),
    ("blocked", "blocked-uri", "blockedURL"),
    ("source", "source-file", "sourceFile"),
    ("line", "line-number", "lineNumber"),
    ("disposition", "disposition", "disposition"),
)


def violations(payload):
    """The violation bodies in a report of either format; [] for anything else."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [(payload["csp-report"], 1)]
    if isinstance(payload, list):
        return [
            (item["body"], 2)
            for item in payload
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    return []


def described(body, form):
    values = []
    for name, *keys in FIELDS:
        value = body.get(keys[form - 1])
        if form == 1 and value is None and name == "directive":
            value = body.get("violated-directive")
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            values.append((name, str(value)[:MAX_VALUE]))
    return values


@csrf_exempt
@require_POST
def csp_report(request):
    throttle.check(request, "report")
    data = request.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return HttpResponse("report too large\n", status=413, content_type="text/plain")
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        payload = None
    found = violations(payload)
    if not found:
        return HttpResponse("not a CSP report\n", status=400, content_type="text/plain")
    for body, form in found[:MAX_REPORTS]:
        logger.warning("content security policy violation", extra={"fields": described(body, form)})
    return HttpResponse(status=204)
