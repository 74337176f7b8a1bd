"""A PostgreSQL server that freezes (rather than refusing connections) would hold every request
that touches it until the operating system gives up, minutes later. Every psycopg2 connection
here therefore waits through a callback with a deadline: a query the server has not answered
within DATABASE_QUERY_TIMEOUT seconds (a connection within DATABASE_CONNECT_TIMEOUT) fails,
and for the next few seconds every query fails at once instead of waiting again, so the site
answers a prompt 503 page (see `csrsite.views.server_error`) and recovers by itself once the
server answers. The server's own statement_timeout ends slow queries before this does.
"""

import logging
import select
import threading
import time
from contextlib import contextmanager

import psycopg2
import psycopg2.extensions
from django.conf import settings
from django.db import InterfaceError, OperationalError

logger = logging.getLogger("csrsite.database")

# After the database failed to answer, queries fail at once for this long before trying again.
RETRY_SECONDS = 5


class Guard:
    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.down = False
        self.local = threading.local()

    def deadline(self, connecting=False):
        """Seconds to wait and the moment to give up: this thread's own timeout if it set one,
        else the connect or the query timeout."""
        timeout = getattr(self.local, "timeout", None) or (
            settings.DATABASE_CONNECT_TIMEOUT if connecting else settings.DATABASE_QUERY_TIMEOUT
        )
        return timeout, time.monotonic() + timeout

    def failed(self, reason):
        with self.lock:
            first = not self.down
            self.down, self.retry_at = True, time.monotonic() + RETRY_SECONDS
        if first:
            logger.error("the database does not answer; pages answer 503 until it does: %s", reason)

    def answered(self):
        if self.down:
            with self.lock:
                was_down, self.down = self.down, False
            if was_down:
                logger.warning("the database answers again")

    def refusing(self):
        return self.down and time.monotonic() < self.retry_at


guard = Guard()


@contextmanager
def timeout(seconds):
    """Wait at most `seconds` for each answer from the database in this thread (the health
    check uses a short one)."""
    previous = getattr(guard.local, "timeout", None)
    guard.local.timeout = seconds
    try:
        yield
    finally:
        guard.local.timeout = previous


def wait_with_deadline(connection):
    """psycopg2's wait callback (its `wait_select`, with a deadline)."""
    if guard.refusing():
        raise psycopg2.OperationalError(
            "the database did not answer a moment ago; not waiting again yet"
        )
    # With a wait callback psycopg2 connects asynchronously, and libpq's own connect_timeout
    # does not apply: the deadline here is the only one.
    connecting = connection.status == psycopg2.extensions.STATUS_SETUP
    seconds, deadline = guard.deadline(connecting)
    while True:
        state = connection.poll()
        if state == psycopg2.extensions.POLL_OK:
            guard.answered()
            return
        remaining = deadline - time.monotonic()
        if remaining > 0:
            if state == psycopg2.extensions.POLL_READ:
                ready = select.select([connection.fileno()], [], [], remaining)[0]
            elif state == psycopg2.extensions.POLL_WRITE:
                ready = select.select([], [connection.fileno()], [], remaining)[1]
            else:
                raise psycopg2.OperationalError(f"unexpected connection state {state}")
            if ready:
                continue
        reason = f"no answer within {seconds:g} s"
        guard.failed(reason)
        raise psycopg2.OperationalError(f"the database gave {reason}")


def install():
    """Route every PostgreSQL connection through `wait_with_deadline`."""
    if any(db["ENGINE"].endswith("postgresql") for db in settings.DATABASES.values()):
        psycopg2.extensions.set_wait_callback(wait_with_deadline)


def is_unavailable(error):
    """Whether `error` says the database could not be reached or did not answer (rather than,
    say, a query that broke a constraint)."""
    return isinstance(error, (OperationalError, InterfaceError, psycopg2.OperationalError))
