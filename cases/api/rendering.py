"""What the API answers in: JSON or CSV, pages of at most MAX_PAGE_SIZE records with links to
the pages around them, a clear 400 for a format it does not offer, and a throttle that counts
each address in the shared cache (nothing is limited while the cache is down)."""

import csv
import io
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler

from csrsite.throttle import address_key

from ..caching import guard
from ..paging import GroupedPaginator, KeyedPaginator
from ..spreadsheet import spreadsheet_safe

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def flatten(record, prefix=""):
    """One CSV row of a nested record: {"as_of": {"date": …}} gives "as_of.date"; a list of
    plain values is joined with "; ", a list of records kept as JSON."""
    row = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            if all(not isinstance(item, (dict, list)) for item in value):
                row[name] = "; ".join(str(item) for item in value)
            else:
                row[name] = json.dumps(value, ensure_ascii=False, default=str)
        elif isinstance(value, bool):
            row[name] = int(value)
        elif value is None:
            row[name] = ""
        else:
            row[name] = value
    return row


class CSVRenderer(BaseRenderer):
    """Records as UTF-8 CSV with a byte-order mark (so that Excel reads the Chinese), one row
    per record, nested fields as dotted columns, text kept from running as a formula."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        records = data.get("results", [data]) if isinstance(data, dict) else data or []
        rows = [flatten(record) for record in records]
        columns = list(dict.fromkeys(name for row in rows for name in row))
        stream = io.StringIO()
        stream.write("\ufeff")
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    name: spreadsheet_safe(value) if isinstance(value, str) else value
                    for name, value in row.items()
                }
            )
        return stream.getvalue().encode("utf-8")


class Negotiation(DefaultContentNegotiation):
    """DRF's negotiation, but an unknown `?format=` is a 400 that names what is offered."""

    def filter_renderers(self, renderers, format):
        offered = [renderer for renderer in renderers if renderer.format == format]
        if not offered:
            raise exceptions.ValidationError(
                {
                    "format": [
                        _("There is no format “%(value)s”; ask for json or csv.")
                        % {"value": str(format)[:20]}
                    ]
                }
            )
        return offered


class Pages(PageNumberPagination):
    """`page` and `page_size` (1 to MAX_PAGE_SIZE; other sizes give the default); the
    neighbouring pages' links in the body and in a `Link` header (RFC 8288). A page's records
    are read by their ids (cases.paging), so that a deep list sorts narrow rows."""

    django_paginator_class = KeyedPaginator
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{relation}"'
            for url, relation in (
                (self.get_next_link(), "next"),
                (self.get_previous_link(), "prev"),
            )
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"]["description"] = "Records matching, on all pages."
        return described


class FigurePages(Pages):
    """Pages of figures found as the explorer finds its pages: from the selection's counts
    per indicator, sorting ids among the indicators a page spans only
    (cases.paging.GroupedPaginator)."""

    def django_paginator_class(self, figures, page_size):
        groups = [(row["indicator"], row["n"]) for row in figures.per_indicator()]
        return GroupedPaginator(figures, page_size, groups=groups, field="indicator")


class AddressThrottle(AnonRateThrottle):
    """Requests per address (an IPv6 /64 counting as one), at settings'
    CASEBOOK_RATE_LIMITS["api"]; everything passes while the cache does not answer."""

    scope = "api"

    def get_rate(self):
        return settings.CASEBOOK_RATE_LIMITS["api"]

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": address_key(None, request)}

    def allow_request(self, request, view):
        return guard.call(lambda: AnonRateThrottle.allow_request(self, request, view), True)


def handle_exception(exc, context):
    """DRF's error answer, always in JSON: a CSV of an error message helps nobody."""
    response = exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response
