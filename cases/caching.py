"""What the public pages compute from the whole dataset is kept in Django's cache until the
data changes.

Every cached value is stored under the current data version and the code version; any save or
delete of a casebook record, once its transaction commits, starts a new data version, so
readers never get charts of data that has since changed, nor values an older release made.
With several app servers the cache must be shared (Redis, see CACHE_URL) for a change on one
to reach the others at once; with each process's own memory a value lives at most
CACHE_TIMEOUT seconds. When the cache does not answer, pages are computed without it and
saves still succeed (`CacheGuard`).
"""

import hashlib
import logging
import threading
import time
import uuid
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "data-version"
logger = logging.getLogger("cases.caching")


def code_version():
    """A digest of the app's source and compiled translations, so a release that changes how
    a value is computed or worded does not read what the one before cached (a shared Redis
    outlives restarts)."""
    app = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*app.rglob("*.py"), *(app.parent / "locale").rglob("*.mo")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_VERSION = code_version()


class CacheGuard:
    """The cache is an accelerator, never a requirement: an operation that fails (Redis
    killed, frozen past its socket timeout, unreachable) gives its fallback, and for
    RETRY_SECONDS no operation tries it, so pages stay fast. The outage and the recovery are
    logged once each. A process that saw the cache fail starts a new data version when it
    answers again, since saves made meanwhile could not renew it."""

    RETRY_SECONDS = 5

    def __init__(self):
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0

    def call(self, operation, fallback=None, *, probe=False):
        """`operation()`, or `fallback` while the cache is failing. A `probe` (the health
        check) always tries, so that it sees a recovery at once."""
        if self.down and not probe and time.monotonic() < self.retry_at:
            return fallback
        try:
            result = operation()
        except Exception as error:  # each backend raises its own (redis.TimeoutError …)
            self.failed(error)
            return fallback
        if self.down:
            self.recovered()
        return result

    def failed(self, error):
        with self.lock:
            first = not self.down
            self.down, self.retry_at = True, time.monotonic() + self.RETRY_SECONDS
        if first:
            logger.warning(
                "the cache does not answer; pages are computed without it until it does: %s",
                error,
            )

    def recovered(self):
        with self.lock:
            if not self.down:
                return
            self.down = False
        try:
            new_data_version()
        except Exception as error:
            self.failed(error)
            return
        logger.warning("the cache answers again; cached values start from a new data version")


guard = CacheGuard()
MISSING = object()


def fresh_version():
    """A new data version: when it started (seconds since the epoch, in hex) and a random part,
    so that two processes never start the same one and the API can say when data changed."""
    return f"{int(time.time()):x}.{uuid.uuid4().hex}"


def version_time(version):
    """When `version` started, as seconds since the epoch; None for one without a time."""
    started, dot, _random = (version or "").partition(".")
    try:
        return int(started, 16) if dot else None
    except ValueError:
        return None


def data_version():
    """The version that cached values are stored under, started on first use; None while
    the cache does not answer."""

    def read_or_start():
        version = cache.get(VERSION_KEY)
        if version is None:
            version = fresh_version()
            # add(), not set(): two processes starting at once agree on the first one stored.
            if not cache.add(VERSION_KEY, version, timeout=None):
                version = cache.get(VERSION_KEY) or version
        return version

    return guard.call(read_or_start)


def new_data_version():
    cache.set(VERSION_KEY, fresh_version(), timeout=None)


def renew_data_version():
    """Start a new data version, if the cache answers (see `CacheGuard.recovered`)."""
    guard.call(new_data_version)


def cached(name, *parts, compute):
    """`compute()`, or what it returned before for the same `name` and `parts` (e.g. the
    language) under the current data version; computed afresh while the cache is down."""
    version = data_version()
    if version is None:
        return compute()
    key = ":".join([name, CODE_VERSION, version, *parts])
    value = guard.call(lambda: cache.get(key, MISSING), MISSING)
    if value is MISSING:
        value = compute()
        guard.call(lambda: cache.set(key, value))
    return value


def cache_answers():
    """Whether the cache stores and returns a value now (for the health check)."""

    def round_trip():
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"

    return bool(guard.call(round_trip, False, probe=True))


def data_changed(sender, **kwargs):
    if sender._meta.app_label == "cases":
        # Now, so that this transaction reads its own change, and again after the commit: a
        # reader between the save and the commit would have cached the old data meanwhile.
        renew_data_version()
        transaction.on_commit(renew_data_version)


def connect():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(data_changed, dispatch_uid=f"casebook-cache-{signal!r}")
