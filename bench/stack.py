"""The production stack for one benchmark size (`bench/run.py`): its own PostgreSQL database
filled with the curated data (grown by bench/synthetic.py), its own Redis database, and gunicorn
with gunicorn.conf.py on its own port and control socket, stopped by its PID."""

import contextlib
import hashlib
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SYNTHETIC = ROOT / "bench" / "synthetic.py"
# Collected static files, kept between runs (untracked), since compressing them takes a while.
STATIC_ROOT = ROOT / ".bench" / "static"

# How each size grows the curated data (bench/synthetic.py's options); "1x" is the curated data.
SIZES = {
    "10k": ["--cases", "10000", "--figures", "100000", "--companies", "500"],
}


def say(message=""):
    print(message, flush=True)


def synthetic_options(size):
    """bench/synthetic.py's options for `size`: "10k", or "Nx" for N times the curated data;
    None for "1x"."""
    if size == "1x":
        return None
    if size in SIZES:
        return SIZES[size]
    if size.endswith("x") and size[:-1].isdigit() and int(size[:-1]) > 1:
        return ["--scale", size[:-1]]
    raise ValueError(f"unknown size {size!r}: use 1x, 10k or another multiple such as 100x")


def server_url(url):
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or not parts.path.strip("/"):
        raise ValueError(f"the benchmark needs a PostgreSQL database URL, not {url!r}")
    return parts._replace(path="/postgres").geturl(), parts.path.strip("/")


def fresh_database(url):
    """Drops and creates the PostgreSQL database named in `url`."""
    import psycopg2
    from psycopg2 import sql

    server, name = server_url(url)
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def database_exists(url):
    import psycopg2

    server, name = server_url(url)
    connection = psycopg2.connect(server)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def flush_cache(url):
    """Empties the benchmark's own Redis database (FLUSHDB), never the others."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def environment(database_url, cache_url, work, port):
    """The environment `make serve` would run with, on the benchmark's own database, Redis
    database, port and control socket; rate limits raised so that the load is not refused."""
    import secrets

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        DJANGO_STATIC_ROOT=str(STATIC_ROOT),
        DJANGO_SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_CONTROL_SOCKET=str(work / "gunicorn.ctl"),
        CSR_BENCH_FLOOR="1",
        # Under this load a worker serves its max_requests (2000) within seconds; replacing it
        # (a new process, its templates and connections cold) would land at random in one page's
        # run and not in its floor's, and hide its memory growth. Off unless asked for.
        GUNICORN_MAX_REQUESTS=os.environ.get("BENCH_MAX_REQUESTS", "0"),
    )
    # One address sends every request, so each per-address limit would refuse most of them;
    # the limits are still counted, as in production.
    for group in ("SEARCH", "DOWNLOAD", "COMPARE", "API", "REPORT", "CORRECTION", "LOGIN"):
        env[f"RATE_LIMIT_{group}"] = "100000000/s"
    return env


def manage(env, *arguments):
    subprocess.run([str(PYTHON), "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def build_data(size, env):
    """A fresh database for `size`: migrated, the curated fixtures loaded, then grown."""
    say(f"== {size}: a fresh database, migrated, with the curated fixtures")
    fresh_database(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    fixtures = sorted(str(path) for path in (ROOT / "fixtures").glob("*.json"))
    manage(env, "load_curated", "--verbosity", "0", *fixtures)
    options = synthetic_options(size)
    if options is None:
        return
    if not SYNTHETIC.exists():
        sys.exit(f"size {size} needs {SYNTHETIC.relative_to(ROOT)}, which is not there yet")
    say(f"== {size}: growing it with bench/synthetic.py {' '.join(options)}")
    started = time.monotonic()
    subprocess.run([str(PYTHON), str(SYNTHETIC), *options], cwd=ROOT, env=env, check=True)
    say(f"   grown in {time.monotonic() - started:.0f} s")
    analyze(env["DATABASE_URL"])


def analyze(url):
    """VACUUM ANALYZE, as autovacuum would do soon after a bulk load in production: without
    the planner's statistics the first minutes after growing measure guesses, not plans."""
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def collectstatic(env):
    """`manage.py collectstatic` into STATIC_ROOT, unless nothing it collects from has changed
    since the last time (our static/ folder, and the installed packages' files)."""
    sources = [*sorted((ROOT / "static").rglob("*")), ROOT / ".venv" / ".installed"]
    digest = hashlib.sha256()
    for path in sources:
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    stamp = STATIC_ROOT / ".collected"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    stamp.write_text(digest.hexdigest())


def wait_for(url, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False


class Gunicorn:
    """gunicorn -c gunicorn.conf.py as a context: started on entry, stopped by its PID on exit
    (an error and Ctrl-C included)."""

    def __init__(self, env, log_path):
        self.env = env
        self.log_path = log_path
        self.base = "http://" + env["GUNICORN_BIND"]
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        if not wait_for(f"{self.base}/healthz"):
            self.__exit__(None, None, None)
            sys.exit(f"gunicorn did not answer {self.base}/healthz; see {self.log_path}")
        return self

    def __exit__(self, *exc):
        stop(self.process, 40)
        self.log.close()

    def workers(self):
        """The PIDs of the worker processes now (workers are replaced after max_requests)."""
        return children(self.process.pid)


def stop(process, seconds):
    """SIGTERM to `process` (by its PID), SIGKILL if it has not ended after `seconds`."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return sorted(found)


def memory(pids):
    """{pid: (VmHWM, VmRSS) in MB} from /proc/<pid>/status, for those still running."""
    found = {}
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in lines if ":" in line)
        try:
            found[pid] = tuple(int(fields[key].split()[0]) / 1024 for key in ("VmHWM", "VmRSS"))
        except (KeyError, ValueError):
            continue
    return found


def growth(before, after):
    """The largest growth of one worker's peak (VmHWM) and resident (VmRSS) memory, in MB,
    over the workers that ran throughout; None when none did."""
    common = before.keys() & after.keys()
    if not common:
        return None, None
    peak = max(after[pid][0] - before[pid][0] for pid in common)
    resident = max(after[pid][1] - before[pid][1] for pid in common)
    return round(peak, 1), round(resident, 1)


def machine(database_url, cache_url):
    """What the numbers were measured on."""
    import django
    import psycopg2
    import redis

    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    connection = psycopg2.connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    connection.close()
    client = redis.Redis.from_url(cache_url)
    redis_version = client.info("server").get("redis_version")
    client.close()
    gunicorn = subprocess.run(
        [str(GUNICORN), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "cpu": cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "redis": redis_version,
        "gunicorn": gunicorn,
    }


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()
