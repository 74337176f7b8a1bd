"""`/healthz`: is this app server able to answer? 200 when its database answers ("degraded"
when only the cache does not: pages are then computed without it), 503 when the database does
not.

It is a middleware rather than a view so that it answers before anything reads the Host
header: a load balancer probes each app server by address, which ALLOWED_HOSTS would refuse.
The body says only "ok" or which part is down; the reason goes to the log, never to the
response.
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import patch_cache_control

from cases.caching import cache_answers
from csrsite import database

logger = logging.getLogger("csrsite.health")

PATH = "/healthz"


# A probe waits at most this long for the database, so a load balancer hears back promptly.
PROBE_SECONDS = 2
_database_was_ok = True


def database_answers():
    """Whether the database answers within PROBE_SECONDS; a change either way is logged once."""
    global _database_was_ok
    try:
        with database.timeout(PROBE_SECONDS), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            answered = cursor.fetchone() == (1,)
        reason = None
    except DatabaseError as error:
        answered, reason = False, error
        connection.close()  # a connection left waiting for an answer is of no further use
    if not answered and _database_was_ok:
        logger.error("health check: the database did not answer: %s", reason)
    elif answered and not _database_was_ok:
        logger.warning("health check: the database answers again")
    _database_was_ok = answered
    return answered


def health_response():
    parts = {
        "database": "ok" if database_answers() else "unreachable",
        # The cache logs its own outage and recovery, once each.
        "cache": "ok" if cache_answers() else "unreachable",
    }
    if parts["database"] != "ok":
        status, code = "unavailable", 503
    elif parts["cache"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    response = JsonResponse({"status": status, **parts}, status=code)
    patch_cache_control(response, no_store=True)
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == PATH:
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            return health_response()
        return self.get_response(request)
