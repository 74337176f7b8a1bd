"""Log lines as key=value pairs (logfmt), one event per line, for any log collector.

Django's own logging and gunicorn's (see gunicorn.conf.py) both use these formatters, so one
parser reads everything a server writes to standard output.
"""

import logging
from datetime import datetime


def quoted(value):
    """A value as logfmt writes it: bare when it is one plain word, quoted otherwise."""
    text = str(value)
    if text and not any(char in text for char in ' "=\n\t'):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


def pairs(fields):
    return " ".join(f"{key}={quoted(value)}" for key, value in fields)


class LineFormatter(logging.Formatter):
    """time=… level=… logger=… [status=… method=… path=…] msg="…" [error="…"]

    Records about a request (django.request, django.security) carry its status and path, so
    a 404 or a refused Host header can be found by path without reading the message.
    """

    def head(self, record):
        moment = datetime.fromtimestamp(record.created).astimezone()
        return [
            ("time", moment.isoformat("T", "milliseconds")),
            ("level", record.levelname),
            ("logger", record.name),
        ]

    def format(self, record):
        fields = self.head(record)
        status = getattr(record, "status_code", None)
        if status is not None:
            fields.append(("status", status))
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            fields += [("method", request.method), ("path", request.path)]
        fields.append(("msg", record.getMessage()))
        if record.exc_info:
            # The traceback stays on one line, so a collector keeps it with its event.
            fields.append(("error", self.formatException(record.exc_info)))
        return pairs(fields)


class AccessFormatter(LineFormatter):
    """gunicorn's access lines, whose message is already key=value (its access_log_format)."""

    def format(self, record):
        return f"{pairs(self.head(record))} {record.getMessage()}"


class WithoutTraceback(logging.Filter):
    """For loggers that report what a visitor sent (a Host we do not serve, a refused CSRF
    token): the message says it all, and the traceback would be Django's, not ours."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True


class DatabaseOutageWithoutTraceback(logging.Filter):
    """A request that failed because the database could not be reached is one line: the
    outage itself is logged by `csrsite.database` (and the traceback says nothing new)."""

    def filter(self, record):
        from csrsite.database import is_unavailable

        if record.exc_info and is_unavailable(record.exc_info[1]):
            record.exc_info = None
            record.exc_text = None
        return True
