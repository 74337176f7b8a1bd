"""Lighthouse (mobile) on the production stack: `make lighthouse`.

Starts what `make serve` runs — gunicorn with gunicorn.conf.py, debug off, hashed static files
from WhiteNoise, PostgreSQL and the Redis cache — on its own port, database, Redis database and
gunicorn control socket; loads the curated fixtures into that database; runs Lighthouse with
its default mobile settings (simulated slow 4G and a 4× slower CPU) on the home page, the case
list, a case, compare and the impact index; prints a table; stops the server by its PID; and
exits non-zero when a page scores below the targets:

    performance ≥ 95, accessibility 100, best practices 100, SEO 100, CLS < 0.1

Lighthouse comes from npm, pinned below, installed into .lighthouse/ (untracked) on first use.
It needs Node.js 18.16 or newer and Chromium (CSR_CHROMIUM or CHROME_PATH, else
/usr/bin/chromium). Reports are kept in .lighthouse/reports/ (HTML and JSON, one per page).

Settings, all optional (environment):
    LIGHTHOUSE_PORT          port for gunicorn (8770)
    LIGHTHOUSE_DATABASE_URL  PostgreSQL database, dropped and created afresh
                             (postgres://postgres@127.0.0.1:5432/casebook_lighthouse)
    LIGHTHOUSE_CACHE_URL     Redis database, emptied first (redis://127.0.0.1:6379/12)
    LIGHTHOUSE_RUNS          runs per page; the run with the median performance score counts (1)
    LIGHTHOUSE_BIN           a lighthouse binary to use instead of the pinned one
    LIGHTHOUSE_JSON          also write the scores to this file as JSON
    LIGHTHOUSE_ENGLISH=1     also test the English pages (/en/…)

Performance depends on the machine: on a busy machine (a test suite running alongside, say)
the simulated timings grow; run it on an idle one, or with LIGHTHOUSE_RUNS=3.
"""

import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "12.8.2"
INSTALL_DIR = ROOT / ".lighthouse"
REPORT_DIR = INSTALL_DIR / "reports"

PAGES = [
    ("home", "/"),
    ("list", "/cases/"),
    ("case", "/cases/douyin-xunren/"),
    ("compare", "/compare/?company=tencent&company=alibaba&company=meituan"),
    ("index", "/index/"),
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# The lowest score that passes, per category (Lighthouse's 0–100).
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_CLS = 0.1

PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def say(message):
    print(message, flush=True)


def lighthouse_binary():
    chosen = os.environ.get("LIGHTHOUSE_BIN", "").strip()
    if chosen:
        return chosen
    binary = INSTALL_DIR / "node_modules" / ".bin" / "lighthouse"
    package = INSTALL_DIR / "node_modules" / "lighthouse" / "package.json"
    installed = json.loads(package.read_text())["version"] if package.is_file() else None
    if installed != LIGHTHOUSE_VERSION or not binary.exists():
        if not shutil.which("npm"):
            sys.exit("make lighthouse needs npm (Node.js 18.16 or newer) to install Lighthouse")
        say(f"== installing Lighthouse {LIGHTHOUSE_VERSION} into {INSTALL_DIR}")
        INSTALL_DIR.mkdir(exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(INSTALL_DIR), "--no-audit", "--no-fund",
             f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )  # fmt: skip
    return str(binary)


def chromium():
    path = os.environ.get("CSR_CHROMIUM") or os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        sys.exit(f"make lighthouse needs Chromium at {path} (set CSR_CHROMIUM or CHROME_PATH)")
    return path


def fresh_database(url):
    """Drops and creates the PostgreSQL database named in `url`."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"LIGHTHOUSE_DATABASE_URL must name a PostgreSQL database, not {url!r}")
    server = parts._replace(path="/postgres").geturl()
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def empty_cache(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def wait_for(url, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


def run_lighthouse(binary, chrome, url, output):
    command = [
        binary, url,
        "--output=json", "--output=html", f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync",
        "--quiet",
    ]  # fmt: skip
    env = {**os.environ, "CHROME_PATH": chrome}
    # Lighthouse now and then fails to record a trace (NO_NAVSTART on a busy machine): once more.
    for attempt in range(3):
        if subprocess.run(command, env=env, timeout=300).returncode == 0:
            break
        say(f"   Lighthouse failed on {url}" + (", trying again" if attempt < 2 else ""))
    else:
        sys.exit(f"Lighthouse failed three times on {url}")
    report = json.loads(Path(f"{output}.report.json").read_text())
    audits = report["audits"]
    scores = {}
    for category in CATEGORIES:
        score = report["categories"][category]["score"]
        scores[category] = None if score is None else round(score * 100)
    scores["cls"] = audits["cumulative-layout-shift"].get("numericValue")
    scores["lcp_ms"] = audits["largest-contentful-paint"].get("numericValue")
    scores["tbt_ms"] = audits["total-blocking-time"].get("numericValue")
    scores["fcp_ms"] = audits["first-contentful-paint"].get("numericValue")
    # Lighthouse's measure of this machine's speed at the time (higher is faster): a busy
    # machine gives low performance scores.
    scores["benchmark_index"] = report["environment"].get("benchmarkIndex")
    # What kept a category below 100, so that the table says where to look.
    scores["failing_audits"] = {
        category: sorted(
            ref["id"]
            for ref in report["categories"][category]["auditRefs"]
            if ref["weight"] > 0
            and audits[ref["id"]].get("score") is not None
            and audits[ref["id"]]["score"] < 1
        )
        for category in CATEGORIES[1:]
    }
    return scores


def problems(scores):
    found = []
    for category, target in TARGETS.items():
        value = scores[category]
        if value is None or value < target:
            found.append(f"{category} {value} < {target}")
    if scores["cls"] is None or scores["cls"] >= MAX_CLS:
        found.append(f"CLS {scores['cls']} ≥ {MAX_CLS}")
    return found


def table(results):
    header = f"{'page':<12} {'perf':>4} {'a11y':>4} {'b-p':>4} {'seo':>4} {'CLS':>6} {'LCP s':>6}"
    lines = [header, "-" * len(header)]
    for name, scores in results.items():
        cls = "-" if scores["cls"] is None else f"{scores['cls']:.3f}"
        lcp = "-" if scores["lcp_ms"] is None else f"{scores['lcp_ms'] / 1000:.1f}"
        values = [scores[category] for category in CATEGORIES]
        cells = " ".join(f"{'-' if v is None else v:>4}" for v in values)
        lines.append(f"{name:<12} {cells} {cls:>6} {lcp:>6}")
    return "\n".join(lines)


def main():
    port = int(os.environ.get("LIGHTHOUSE_PORT", "8770"))
    database_url = os.environ.get(
        "LIGHTHOUSE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/casebook_lighthouse"
    )
    cache_url = os.environ.get("LIGHTHOUSE_CACHE_URL", "redis://127.0.0.1:6379/12")
    runs = max(1, int(os.environ.get("LIGHTHOUSE_RUNS", "1")))
    pages = list(PAGES)
    if os.environ.get("LIGHTHOUSE_ENGLISH") == "1":
        pages += [(f"{name} (en)", f"/en{path}") for name, path in PAGES]

    binary = lighthouse_binary()
    chrome = chromium()
    work = Path(tempfile.mkdtemp(prefix="casebook-lighthouse-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        DJANGO_STATIC_ROOT=str(work / "static"),
        # Plain http on the loopback, as `make serve` runs without a proxy in front.
        DJANGO_SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_CONTROL_SOCKET=str(work / "gunicorn.ctl"),
    )

    say(f"== a fresh database ({database_url}) and cache ({cache_url})")
    fresh_database(database_url)
    empty_cache(cache_url)
    manage = [str(PYTHON), "manage.py"]
    quiet = {"cwd": ROOT, "env": env, "check": True}
    subprocess.run([*manage, "collectstatic", "--no-input", "--verbosity", "0"], **quiet)
    subprocess.run([*manage, "migrate", "--no-input", "--verbosity", "0"], **quiet)
    fixtures = sorted(str(path) for path in (ROOT / "fixtures").glob("*.json"))
    subprocess.run([*manage, "load_curated", "--verbosity", "0", *fixtures], **quiet)

    say(f"== gunicorn on 127.0.0.1:{port} (log: {work / 'gunicorn.log'})")
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        if not wait_for(f"{base}/healthz"):
            sys.exit(f"gunicorn did not answer {base}/healthz; see {work / 'gunicorn.log'}")
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        for name, path in pages:
            # One request first, so that the measured load finds the page in the cache, as a
            # reader of a running site would.
            urllib.request.urlopen(base + path, timeout=30).read()
            attempts = []
            for attempt in range(runs):
                slug = name.replace(" ", "-").replace("(", "").replace(")", "")
                output = REPORT_DIR / (slug if runs == 1 else f"{slug}-{attempt + 1}")
                say(f"== Lighthouse: {name} {path}" + (f" (run {attempt + 1})" if runs > 1 else ""))
                attempts.append(run_lighthouse(binary, chrome, base + path, output))
            attempts.sort(key=lambda scores: scores["performance"] or 0)
            results[name] = {"path": path, **attempts[len(attempts) // 2]}
            if runs > 1:
                performance = [scores["performance"] or 0 for scores in attempts]
                results[name]["performance_runs"] = performance
                results[name]["performance_median"] = statistics.median(performance)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()

    say("")
    say(table(results))
    failures = {name: problems(scores) for name, scores in results.items()}
    failures = {name: found for name, found in failures.items() if found}
    for name, found in failures.items():
        audits = results[name]["failing_audits"]
        below = "; ".join(f"{kind}: {', '.join(ids)}" for kind, ids in audits.items() if ids)
        say(f"FAIL {name}: {', '.join(found)}" + (f" (below 100: {below})" if below else ""))
    say(f"reports: {REPORT_DIR}")
    if os.environ.get("LIGHTHOUSE_JSON"):
        Path(os.environ["LIGHTHOUSE_JSON"]).write_text(
            json.dumps({"lighthouse": LIGHTHOUSE_VERSION, "pages": results}, indent=2) + "\n"
        )
    shutil.rmtree(work / "static", ignore_errors=True)
    if failures:
        sys.exit(1)
    say("all pages meet the targets")


if __name__ == "__main__":
    main()
