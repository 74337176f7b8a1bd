"""What the tests that start real servers share: the deploy/ paths, commands run as a server
would run them, from the environment file alone, one set of collected static files and one
migrated SQLite database to copy."""

import fcntl
import hashlib
import importlib.metadata
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY = BASE_DIR / "deploy"
ENV_EXAMPLE = DEPLOY / "casebook.env.example"
BIN = Path(sys.executable).parent
FIXTURES = sorted(str(path) for path in (BASE_DIR / "fixtures").glob("*.json"))

# The test run's own settings (make test sets several) must not leak into a "server".
OWN_PREFIXES = ("DJANGO_", "DATABASE_", "CACHE_", "REDIS_", "GUNICORN_", "AXES_", "CASEBOOK_")


def clean_environ(**values):
    env = {key: value for key, value in os.environ.items() if not key.startswith(OWN_PREFIXES)}
    env.update(values)
    return env


def read_env_file(path):
    """KEY=value lines, as systemd's EnvironmentFile reads plain ones."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";")):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def server_env(folder, **overrides):
    """The example environment made usable here: a real key, a throwaway SQLite database."""
    values = read_env_file(ENV_EXAMPLE)
    values.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(folder / "staticfiles"),
    )
    values.update(overrides)
    return values


def write_env_file(path, values):
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return path


def run(command, env, timeout=180):
    return subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )


def manage(*args, env):
    return run([sys.executable, "manage.py", *args], env=env)


def cache_key(inputs):
    """A short hash of the files `inputs` (paths and contents) and the installed packages."""
    key = hashlib.sha256()
    for path in inputs:
        key.update(str(path.relative_to(BASE_DIR)).encode() + b"\0" + path.read_bytes())
    packages = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    )
    key.update("\n".join(packages).encode())
    return key.hexdigest()[:16]


@contextmanager
def made_once(path, done=None):
    """Yields True to the one process (of pytest-xdist's workers, and of later runs) that
    must make `path`, False once it is made (once `done`, by default `path`, exists); the
    others wait for it meanwhile."""
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield not (done or path).exists()


def collected_static(env):
    """A static root as `collectstatic` writes it with `env`'s production settings (hashed,
    gzip and Brotli copies), collected once for these static files, settings and installed
    packages and shared by every server test of the run, and of later runs until one of those
    changes: compressing the API docs' and plotly's bundles costs about 40 s of CPU a time.
    Servers only read it."""
    inputs = [BASE_DIR / "csrsite" / "settings.py"]
    inputs += sorted(path for path in (BASE_DIR / "static").rglob("*") if path.is_file())
    root = Path(tempfile.gettempdir()) / f"casebook-static-{cache_key(inputs)}"
    with made_once(root, done=root / "staticfiles.json") as needed:
        if needed:
            partial = Path(tempfile.mkdtemp(prefix=root.name + "-", dir=root.parent))
            result = manage(
                "collectstatic", "--no-input", env={**env, "DJANGO_STATIC_ROOT": str(partial)}
            )
            assert result.returncode == 0, f"collectstatic: {result.stdout}{result.stderr}"
            # nginx's workers, running as nobody, serve from it.
            partial.chmod(0o755)
            shutil.rmtree(root, ignore_errors=True)
            partial.rename(root)
    return root


def migrated_sqlite(path):
    """Put at `path` an SQLite database as `manage.py migrate` leaves it, for a test that
    needs a migrated database to run a command on. It is migrated once for these migrations,
    settings and installed packages (about 5 s of CPU a time) and copied."""
    inputs = [BASE_DIR / "csrsite" / "settings.py"]
    inputs += sorted(BASE_DIR.glob("*/migrations/*.py"))
    template = Path(tempfile.gettempdir()) / f"casebook-migrated-{cache_key(inputs)}.sqlite3"
    with made_once(template) as needed:
        if needed:
            partial = Path(tempfile.mkdtemp(prefix=template.stem + "-")) / "db.sqlite3"
            env = clean_environ(
                DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=f"sqlite:///{partial}"
            )
            result = manage("migrate", "--no-input", env=env)
            assert result.returncode == 0, f"migrate: {result.stdout}{result.stderr}"
            shutil.move(partial, template)
            partial.parent.rmdir()
    shutil.copyfile(template, path)
    return path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
