"""`/healthz`: is this app server able to answer? 200 when its database and its cache answer,
503 when either does not.

It is a middleware rather than a view so that it answers before anything reads the Host
header: a load balancer probes each app server by address, which ALLOWED_HOSTS would refuse.
The body says only "ok" or which part is down; the reason goes to the log, never to the
response.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger("csrsite.health")

PATH = "/healthz"


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.error("health check: the database did not answer: %s", error)
        return False


def cache_answers():
    try:
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"
    except Exception as error:  # each backend raises its own errors (redis.ConnectionError …)
        logger.error("health check: the cache did not answer: %s", error)
        return False


def health_response():
    parts = {
        "database": "ok" if database_answers() else "unreachable",
        "cache": "ok" if cache_answers() else "unreachable",
    }
    healthy = all(state == "ok" for state in parts.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", **parts}, status=200 if healthy else 503
    )
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
