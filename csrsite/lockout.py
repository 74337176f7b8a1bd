"""How django-axes treats the admin login: the username it counts failures under, and the page
it shows while a username is locked out after too many failed logins."""

import ipaddress

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

USERNAME_LENGTH = AccessAttempt._meta.get_field("username").max_length


def username(request, credentials=None):
    """The posted username as axes stores it (AXES_USERNAME_CALLABLE).

    The admin login form does not limit the username's length before authenticating, and
    axes writes it to a varchar(255) column: on PostgreSQL a longer name was a server error.
    PostgreSQL also refuses NUL in text. Cut to the column's length and replace NUL so that
    any posted name is counted, never a crash; real usernames (150 characters at most, no
    NUL) are unchanged.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        name = credentials.get(field)
    else:
        name = getattr(request, "data", request.POST).get(field)
    if name is None:
        return None
    return str(name).replace("\x00", "\ufffd")[:USERNAME_LENGTH]


def client_ip(request):
    """The visitor's address as axes counts it (AXES_CLIENT_IP_CALLABLE).

    Behind nginx every request comes from 127.0.0.1, so one stranger's failed logins would
    lock an editor out for everyone. When CLIENT_IP_HEADER names the header the proxy sets
    (and overwrites, e.g. X-Real-IP), its address is used; otherwise, or when the header is
    missing or not an address, the connection's own.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        claimed = request.META.get("HTTP_" + header.upper().replace("-", "_"), "").strip()
        try:
            return str(ipaddress.ip_address(claimed))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """A 429 page, in the admin's look and the visitor's language, saying how long the lock lasts.

    The signature is the three-argument one axes 8 calls first: axes retries a callable that
    raises TypeError with two arguments, which would hide a real error in here.
    """
    cool_off = get_cool_off(request)
    # Django's own "15 minutes" / "15 分钟" (or "1 hour, 30 minutes"), from the setting.
    start = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": _("Account temporarily locked"),
        "duration": timesince(start, start + cool_off),
        # By default axes counts every attempt during the lock, so each one restarts the wait.
        "attempts_restart_wait": settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT,
    }
    response = render(
        request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
