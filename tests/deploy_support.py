"""What tests/test_deploy.py and tests/test_deploy_nginx.py share: the deploy/ paths, and
commands run as a server would run them, from the environment file alone."""

import os
import secrets
import socket
import subprocess
import sys
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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
