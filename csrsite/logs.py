"""Log lines as key=value pairs (logfmt), one event per line, for any log collector.

Django's own logging and gunicorn's (see gunicorn.conf.py) both use these formatters, so one
parser reads everything a server writes to standard output.
"""

import logging
import re
from collections.abc import Mapping
from datetime import datetime

from gunicorn import glogging

# Characters that could end a line or hide what follows for a log reader or collector: C0 and
# C1 controls (CR, NUL, ESC … as well as LF), DEL and the Unicode line and paragraph separators.
CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029"
CONTROLS = re.compile(f"[{CONTROL}]")
NOT_BARE = re.compile(f'[ "={CONTROL}]')
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(char):
    code = ord(char)
    return NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def quoted(value):
    """A value as logfmt writes it: bare when it is one plain word, quoted otherwise, with
    every control character escaped, so that what a visitor sends (a path with %0d%0a in it,
    say) can never start a line of its own or end a value early."""
    text = str(value)
    if text and not NOT_BARE.search(text):
        return text
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + CONTROLS.sub(lambda match: escaped(match.group()), text) + '"'


def pairs(fields):
    return " ".join(f"{key}={quoted(value)}" for key, value in fields)


class LineFormatter(logging.Formatter):
    """time=… level=… logger=… [status=… method=… path=…] msg="…" [key=… …] [error="…"]

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
        # Values of their own a logger passes as extra={"fields": [(key, value), …]}.
        fields += [(key, value) for key, value in getattr(record, "fields", ())]
        if record.exc_info:
            # The traceback stays on one line, so a collector keeps it with its event.
            fields.append(("error", self.formatException(record.exc_info)))
        return pairs(fields)


# gunicorn's access log: each field and the gunicorn atom it comes from.
ACCESS_FIELDS = (
    ("remote", "h"),  # the proxy in front, or the visitor without one
    ("client", "{x-real-ip}i"),  # the visitor's address, as nginx sets it
    ("method", "m"),
    ("path", "U"),
    ("query", "q"),
    ("status", "s"),
    ("bytes", "B"),
    ("duration_ms", "M"),
    ("agent", "a"),
)


class Atoms(dict):
    """A request's values as gunicorn measured them, unescaped ("-" for what is missing):
    the formatter quotes and escapes them itself. gunicorn's own wrapper escapes only
    double quotes, which leaves CR, LF and backslashes to forge lines and fields."""

    def __getitem__(self, key):
        return self.get(key.lower() if key.startswith("{") else key, "-")


class AccessLogger(glogging.Logger):
    atoms_wrapper_class = Atoms


class AccessFormatter(LineFormatter):
    """gunicorn's access lines: ACCESS_FIELDS, each quoted like any value."""

    def format(self, record):
        if not isinstance(record.args, Mapping):
            return super().format(record)
        fields = [(name, record.args[atom]) for name, atom in ACCESS_FIELDS]
        return pairs([*self.head(record), *fields])


class TracebacksOnlyForOurFaults(logging.Filter):
    """A traceback is kept only where it helps find a fault of ours, a 500. What a visitor
    did wrong (a 403, a 404, a refused CSRF token, a Host we do not serve) is one line at
    WARNING, which pages nobody; so is a request that failed because the database could not
    be reached, whose outage `csrsite.database` logs once by itself."""

    def filter(self, record):
        from csrsite.database import is_unavailable

        if record.name.startswith("django.security."):
            # Django logs a refused Host or a malformed request at ERROR.
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            brief = True
        else:
            status = getattr(record, "status_code", None)
            brief = (status is not None and status < 500) or (
                record.exc_info is not None and is_unavailable(record.exc_info[1])
            )
        if brief:
            record.exc_info = None
            record.exc_text = None
        return True
