"""Per-address rate limits (django-ratelimit) on what is expensive or guessable: admin login
attempts across usernames (django-axes already locks one username per address), searches,
downloads and comparisons. An address over its limit gets a 429 page in its language with
Retry-After. IPv6 addresses count per /64 network, since one visitor holds a whole one.
Counts live in the cache; while the cache is down nothing is limited (see cases.caching)."""

import ipaddress

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from cases.caching import guard

from .lockout import client_ip

LOGIN_PATHS = ("/admin/login/", "/en/admin/login/")


def address_key(group, request):
    """The visitor's address as limits count it: IPv4 as is, IPv6 by its /64 network."""
    address = client_ip(request) or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def rate_of(group):
    return settings.CASEBOOK_RATE_LIMITS[group]


def check(request, group):
    """Count this request in `group`'s limit; raise Ratelimited when the address is over it."""
    limited = guard.call(
        lambda: is_ratelimited(
            request, group=group, key=address_key, rate=rate_of(group), increment=True
        ),
        False,
    )
    if limited:
        raise Ratelimited(group)


def retry_after(group):
    """Seconds until the limit's window starts again, at most: 60 for "30/m"."""
    _count, period = rate_of(group).split("/")
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    digits = "".join(char for char in period if char.isdigit()) or "1"
    return int(digits) * units[period.lstrip("0123456789")[0]]


class ThrottleMiddleware:
    """Limits admin login attempts per address, and answers any Ratelimited with the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in LOGIN_PATHS:
            try:
                check(request, "login")
            except Ratelimited as limit:
                return self.too_many(request, limit)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Ratelimited):
            return self.too_many(request, exception)
        return None

    def too_many(self, request, limit):
        group = limit.args[0] if limit.args else "login"
        seconds = retry_after(group)
        response = render(request, "429.html", {"minutes": max(1, seconds // 60)}, status=429)
        response["Retry-After"] = str(seconds)
        return response
