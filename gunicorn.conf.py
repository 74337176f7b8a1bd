"""gunicorn for CSI Casebook: `gunicorn -c gunicorn.conf.py csrsite.wsgi` (`make serve`).

Every value can be set from the environment, so the systemd unit and `make serve` share this
file. gthread workers: each process answers several requests at once from threads, which
suits pages that mostly wait on the database.
"""

import multiprocessing
import os
import re


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "csrsite.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

worker_class = "gthread"
# Two processes per core plus one, the usual start for a database-bound site.
workers = env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = env_int("GUNICORN_THREADS", 4)
# A request still running after 30 s is stuck; its worker is replaced. Stopping waits up to
# 30 s for requests in flight, and idle keep-alive connections are closed after 5 s.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Workers are replaced after this many requests (with jitter, so not all at once), which
# bounds any slow growth in memory.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Oversized request lines and headers are refused by gunicorn before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# The proxy in front (nginx on the same machine by default) may tell us the visitor's scheme.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def control_socket_path(binds):
    """gunicornc's socket for this instance: GUNICORN_CONTROL_SOCKET, or one named after
    what the instance listens on, so that two instances of the same user (a second port, a
    test server) never take over each other's. `off` runs without one."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    folder = runtime if runtime and os.path.isdir(runtime) else os.path.expanduser("~/.gunicorn")
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", "_".join(binds)).strip("-")
    return os.path.join(folder, f"casebook-{name}.ctl")


_control = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
control_socket_disable = _control.lower() == "off"
control_socket = _control if _control and not control_socket_disable else control_socket_path(bind)

# Access and error logs on standard output as key=value lines, like the app's own
# (csrsite/logs.py): one line per request with its path, status and duration. The access
# formatter writes the fields of csrsite.logs.ACCESS_FIELDS from gunicorn's values, escaping
# what a visitor sent; remote is the proxy, client the visitor's address as nginx sets it.
accesslog = "-"
errorlog = "-"
logger_class = "csrsite.logs.AccessLogger"
_level = os.environ.get("GUNICORN_LOG_LEVEL", "info").upper()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"()": "csrsite.logs.LineFormatter"},
        "access": {"()": "csrsite.logs.AccessFormatter"},
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "stream": "ext://sys.stdout",
        },
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"level": _level, "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
    "root": {"level": _level, "handlers": []},
}

# Imports the app before forking, so a broken configuration (no secret key, say) stops the
# server at once with the reason instead of failing in every worker.
preload_app = True
