"""`/healthz`: is this app server able to answer? 200 when its database answers, 503 when not.

It is a middleware rather than a view so that it answers before anything reads the Host
header: a load balancer probes each app server by address, which ALLOWED_HOSTS would refuse.
The body says only "ok" or which part is down; the reason goes to the log, never to the
response.
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger("cases.health")

PATH = "/healthz"


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.error("health check: the database did not answer: %s", error)
        return False


def health_response():
    if database_answers():
        response = JsonResponse({"status": "ok", "database": "ok"})
    else:
        response = JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
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
