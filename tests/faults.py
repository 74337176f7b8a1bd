"""Real servers the fault tests can kill, freeze and restart: a Redis and a PostgreSQL of the
test's own, on their own ports, never the machine's shared ones."""

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.deploy_support import free_port

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def wait_for(check, timeout=30, interval=0.1):
    """Call `check()` until it returns something true; that value, or AssertionError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up waiting after {timeout} s")


class PrivateRedis:
    """redis-server on a port of its own, keeping nothing on disk."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed", pytrace=False)
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port, socket_timeout=1)
        wait_for(lambda: _answers(client))
        return self

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.thaw()
            self.kill()


def _answers(client):
    try:
        return client.ping()
    except Exception:
        return False


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, run as the
    postgres user, which the server requires), on a port of its own."""

    def __init__(self):
        # Not under pytest's own temporary folder, which only root may enter.
        self.folder = Path(tempfile.mkdtemp(prefix="casebook-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.process = None
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/casebook"

    def _as_postgres(self, *command, **kwargs):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            capture_output=True,
            text=True,
            timeout=120,
            **kwargs,
        )

    def create(self):
        if not (POSTGRES_BIN / "postgres").exists():
            pytest.fail(f"PostgreSQL server binaries are not in {POSTGRES_BIN}", pytrace=False)
        owner = pwd.getpwnam("postgres")
        os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        made = self._as_postgres(
            str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
        )
        assert made.returncode == 0, made.stderr
        self.start()
        created = subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "casebook"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert created.returncode == 0, created.stderr
        return self

    def start(self):
        # The postmaster is our own child, run as postgres directly: runuser would sit between
        # us as a "watching parent" that stops itself whenever it sees its child stopped, so a
        # freeze could leave it stopped for good and the postmaster never reaped.
        self.process = subprocess.Popen(
            [str(POSTGRES_BIN / "postgres"),
             "-D", str(self.data), "-p", str(self.port), "-k", str(self.folder),
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
            user="postgres",
            group="postgres",
            extra_groups=[],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        wait_for(self.accepts)

    def accepts(self):
        done = subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-q"], timeout=10
        )
        return done.returncode == 0

    def processes(self):
        """The server's processes: the postmaster and every backend and helper (each backend
        starts a session of its own, so a process group would miss them)."""
        children = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(parent, []).append(int(entry.name))
        found, waiting = [], [self.process.pid]
        while waiting:
            pid = waiting.pop()
            found.append(pid)
            waiting.extend(children.get(pid, []))
        return found

    def signal_all(self, number):
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):  # a backend that just ended
                os.kill(pid, number)

    def freeze(self):
        self.signal_all(signal.SIGSTOP)

    def thaw(self):
        self.signal_all(signal.SIGCONT)

    def restart(self):
        self.process.send_signal(signal.SIGINT)  # fast shutdown: every session ends at once
        self.process.wait(timeout=60)
        self.start()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.thaw()
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.signal_all(signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)
