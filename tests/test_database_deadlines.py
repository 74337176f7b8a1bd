"""csrsite.database: every wait for PostgreSQL has a deadline, connecting included. Run in this
process against a socket that accepts connections and never answers, as a frozen server
does (the fault tests freeze a real PostgreSQL under gunicorn)."""

import socket
import time

import psycopg2
import psycopg2.extensions
import pytest

from csrsite import database


@pytest.fixture
def deadlines():
    """psycopg2 waiting through the site's callback; the guard cleared afterwards, so the
    failure provoked here does not make this process refuse queries for a few seconds."""
    previous = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(database.wait_with_deadline)
    yield
    psycopg2.extensions.set_wait_callback(previous)
    with database.guard.lock:
        database.guard.down, database.guard.retry_at = False, 0.0


@pytest.fixture
def silent_server():
    """The port of a socket that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def connect(port):
    # libpq's own connect_timeout (30 s here) does not apply to an asynchronous connection.
    return psycopg2.connect(
        host="127.0.0.1", port=port, dbname="casebook", user="casebook", connect_timeout=30
    )


def test_a_connection_gives_up_after_the_connect_timeout_not_the_query_timeout(
    deadlines, silent_server, settings
):
    settings.DATABASE_CONNECT_TIMEOUT = 1
    settings.DATABASE_QUERY_TIMEOUT = 5
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="no answer within 1 s"):
        connect(silent_server)
    assert 0.9 < time.monotonic() - started < 2


def test_after_a_failure_the_next_connection_fails_at_once(deadlines, silent_server, settings):
    settings.DATABASE_CONNECT_TIMEOUT = 1
    with pytest.raises(psycopg2.OperationalError):
        connect(silent_server)
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="not waiting again yet"):
        connect(silent_server)
    assert time.monotonic() - started < 0.5


def test_a_threads_own_timeout_bounds_its_connect_too(deadlines, silent_server, settings):
    settings.DATABASE_CONNECT_TIMEOUT = 5
    started = time.monotonic()
    with database.timeout(1), pytest.raises(psycopg2.OperationalError, match="within 1 s"):
        connect(silent_server)
    assert time.monotonic() - started < 2
