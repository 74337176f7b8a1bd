"""What the public pages compute from the whole dataset is kept in Django's cache until the
data changes.

Every cached value is stored under the current data version and the code version; any save or
delete of a casebook record, once its transaction commits, starts a new data version, so
readers never get charts of data that has since changed, nor values an older release made.
With several app servers the cache must be shared (Redis, see CACHE_URL) for a change on one
to reach the others at once; with each process's own memory a value lives at most
CACHE_TIMEOUT seconds.
"""

import hashlib
import uuid
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "data-version"


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


def data_version():
    """The version that cached values are stored under, started on first use."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add(), not set(): two processes starting at once agree on the first one stored.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def new_data_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def cached(name, *parts, compute):
    """`compute()`, or what it returned before for the same `name` and `parts` (e.g. the
    language) under the current data version."""
    key = ":".join([name, CODE_VERSION, data_version(), *parts])
    return cache.get_or_set(key, compute)


def data_changed(sender, **kwargs):
    if sender._meta.app_label == "cases":
        # Now, so that this transaction reads its own change, and again after the commit: a
        # reader between the save and the commit would have cached the old data meanwhile.
        new_data_version()
        transaction.on_commit(new_data_version)


def connect():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(data_changed, dispatch_uid=f"casebook-cache-{signal!r}")
