"""The benchmark: `make bench` (or `make bench SIZES=1x,100x,10k`).

For each size it builds a fresh PostgreSQL database, casebook_bench_<size>: migrated, the
curated fixtures loaded, and for sizes other than 1x grown by bench/synthetic.py (10k is 10,000
cases, 100,000 figures and 500 companies; Nx is N times the curated data). It starts the
production stack as `make serve` does — gunicorn with gunicorn.conf.py, debug off, hashed static
files, the Redis cache — on its own port, Redis database and gunicorn control socket, with
/bench/floor/ switched on (CSR_BENCH_FLOOR, csrsite/floor.py), the per-address rate limits
raised, since every request comes from one address, and workers never replaced (max_requests
off; see bench/stack.py). Then, for every public page and API endpoint, with real slugs from
the database (bench/pages.py), one page after the other:

    queries      database queries of the page computed afresh (in-process, cache emptied)
    cold ms      one request over HTTP right after emptying the Redis database (FLUSHDB of the
                 benchmark's own database only); the median of 3
    p50/p95 ms   latency with 16 concurrent keep-alive clients for a few seconds, warm cache
    floor p95    the same load on /bench/floor/?bytes=<the page's size>, run right after the
                 page: the framework's floor (middleware, gunicorn, a body as large), so
    p95/floor    says how much the page itself adds; 1.0 would be free
    req/s        requests per second under that load
    KB           the body's size
    memory       the largest growth of one gunicorn worker's peak resident memory (VmHWM in
                 /proc/<pid>/status) over the page's load (its floor's, measured after it,
                 is in the JSON as floor_memory_growth_mb)
    first byte   for /metrics/figures.csv, which streams: seconds to the first byte, cold

At 1x it also serves the same curated data with Datasette from SQLite (bench/versus_datasette.py;
installed into .bench/) and compares requests per second: our /cases/ with Datasette's faceted
table page (1 and 3 facets), our /metrics/figures.csv with Datasette's table JSON.

The load comes from wrk when it is installed (apt-get install wrk; the p95 via
bench/wrk_report.lua), else from Python threads; the output says which. Results go to
bench/results/bench-<size>-<YYYYMMDD-HHMM>.md (the table, Datasette, the machine), .json (every
number) and .html (cold ms and p95/floor per page). The table is also printed, followed by the
goals missed: cold ≤ 300 ms (set for 10k), p95 ≤ 3× the floor's, /cases/ ≥ 5× Datasette's
faceted page and the figures CSV ≥ 2× Datasette's JSON in requests per second, the CSV's first
byte ≤ 0.5 s, worker memory growth ≤ 50 MB. Missing a goal is not an error: the exit status is
non-zero only when a page answers other than 2xx or 3xx (or the benchmark itself fails).

Numbers depend on the machine and on what else runs on it; compare runs from one machine, and
read the ratios to the floor, measured in the same run, before the absolute times. A page whose
answer comes from the whole-page cache (X-Page-Cache: hit, in the JSON) should sit near 1×.

Options (each also an environment variable):
    --size 1x,10k        BENCH_SIZES            sizes to run (1x,10k)
    --seconds 3          BENCH_SECONDS          seconds of load on each page and on its floor
                                                (2 at 1x, to stay within 5 minutes; else 3)
    --connections 16     BENCH_CONNECTIONS      concurrent clients
    --only case,api      BENCH_ONLY             only pages whose name contains one of these
    --reuse-data         BENCH_REUSE_DATA=1     keep casebook_bench_<size> if it exists
    --no-datasette       BENCH_DATASETTE=0      skip the comparison with Datasette
Other settings (environment):
    BENCH_PORT              gunicorn's port (8781); BENCH_DATASETTE_PORT Datasette's (8782)
    BENCH_DATABASE_SERVER   postgres://postgres@127.0.0.1:5432
    BENCH_CACHE_URL         the Redis database, emptied again and again (redis://127.0.0.1:6379/13)
    BENCH_LOAD              wrk or python (wrk when installed)
    BENCH_MAX_REQUESTS      gunicorn's max_requests (0: workers are never replaced, see stack.py)
    BENCH_RESULTS           folder for the results (bench/results)
"""

import argparse
import json
import os
import runpy
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import load
import report
import stack
import versus_datasette
from stack import ROOT, say

COLD_RUNS = 3


def options():
    env = os.environ.get
    parser = argparse.ArgumentParser(
        description="CSI Casebook's benchmark (see the docstring of bench/run.py)."
    )
    parser.add_argument("--size", default=env("BENCH_SIZES", "1x,10k"))
    parser.add_argument("--seconds", type=int, default=env("BENCH_SECONDS"))
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS", "16")))
    parser.add_argument("--only", default=env("BENCH_ONLY", ""))
    parser.add_argument(
        "--reuse-data", action="store_true", default=env("BENCH_REUSE_DATA", "") == "1"
    )
    parser.add_argument(
        "--no-datasette", action="store_true", default=env("BENCH_DATASETTE", "1") == "0"
    )
    chosen = parser.parse_args()
    chosen.sizes = [size.strip() for size in chosen.size.split(",") if size.strip()]
    for size in chosen.sizes:
        try:
            stack.synthetic_options(size)
        except ValueError as error:
            parser.error(str(error))
    chosen.only = [word.strip() for word in chosen.only.split(",") if word.strip()]
    return chosen


def commit():
    def git(*arguments):
        found = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True)
        return found.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" with uncommitted changes" if git("status", "--porcelain") else "")


def discover(env, work):
    """The pages to measure and their query counts (bench/pages.py, in a subprocess)."""
    output = work / "pages.json"
    with open(work / "pages.log", "w") as log:
        subprocess.run(
            [str(stack.PYTHON), "bench/pages.py", str(output)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=True,
        )  # fmt: skip
    return json.loads(output.read_text())


def gunicorn_settings(env):
    """Workers and threads as gunicorn.conf.py gives them in this environment."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    workers, threads = conf["workers"], conf["threads"]
    return f"{workers} workers × {threads} threads, max_requests {conf['max_requests']}"


def warm_up(base, pages):
    """Each page a few times from several clients, so that every worker has loaded its
    templates and opened its database connections before anything is timed."""
    jobs = [page for page in pages for _ in range(6)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda page: load.fetch(base + page["path"], page["accept"]), jobs))


def measure(server, cache_url, page, seconds, connections):
    """Cold and loaded timings of one page, its floor's, and the workers' memory growth."""
    url = server.base + page["path"]
    colds = []
    for _ in range(COLD_RUNS):
        stack.flush_cache(cache_url)
        colds.append(load.fetch(url, page["accept"]))
    warm = load.fetch(url, page["accept"])
    before = stack.memory(server.workers())
    loaded = load.hammer(url, page["accept"], seconds, connections)
    # The page's own growth, measured before its floor runs: the floor of a 46 MB download
    # builds 46 MB bodies in every thread, which is not the page's cost.
    after = stack.memory(server.workers())
    floor_url = f"{server.base}/bench/floor/?bytes={warm['bytes']}"
    floor = load.hammer(floor_url, page["accept"], seconds, connections)
    floor_growth, _floor_resident = stack.growth(after, stack.memory(server.workers()))
    peak_growth, resident_growth = stack.growth(before, after)
    statuses = sorted({answer["status"] for answer in [*colds, warm]})
    found = {
        **page,
        "statuses": statuses,
        "bytes": warm["bytes"],
        "cold_ms": statistics.median(answer["ms"] for answer in colds),
        "cold_runs_ms": [round(answer["ms"], 1) for answer in colds],
        "page_cache": {"cold": colds[0]["page_cache"], "warm": warm["page_cache"]},
        **{key: loaded[key] for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms", "rps")},
        "requests": loaded["requests"],
        "failed_under_load": loaded["failed"],
        "socket_errors": loaded["socket_errors"],
        "floor": floor,
        "floor_p95_ms": floor["p95_ms"],
        "p95_over_floor": (
            loaded["p95_ms"] / floor["p95_ms"] if loaded["p95_ms"] and floor["p95_ms"] else None
        ),
        "memory_growth_mb": peak_growth,
        "resident_growth_mb": resident_growth,
        "floor_memory_growth_mb": floor_growth,
        "worker_peak_mb": round(max((mb[0] for mb in after.values()), default=0), 1),
    }
    if page["kind"] == "download":
        found["first_byte_s"] = (
            statistics.median(answer["first_byte_ms"] for answer in colds) / 1000
        )
    return found


def problems(page):
    """Why a page counts as an error: an answer other than 2xx or 3xx, in-process (before any
    timing) or over HTTP (once timed)."""
    found = []
    if "statuses" not in page and not 200 <= page["status"] < 400:
        found.append(f"answered {page['status']} in-process")
    bad = [status for status in page.get("statuses", []) if not 200 <= status < 400]
    if bad:
        found.append(f"answered {', '.join(map(str, bad))} over HTTP")
    if page.get("failed_under_load"):
        found.append(f"{page['failed_under_load']} answers other than 2xx/3xx under load")
    if page.get("floor", {}).get("failed"):
        found.append(f"its floor view failed {page['floor']['failed']} times under load")
    return [f"{page['name']} ({page['path']}): {problem}" for problem in found]


def progress(page):
    def ms(value):
        return "–" if value is None else f"{value:.1f}"

    return (
        f"   {page['name']:<28} cold {ms(page['cold_ms']):>7} ms  p95 {ms(page['p95_ms']):>7} ms  "
        f"floor {ms(page['floor_p95_ms']):>6} ms  {page['rps']:6.0f} req/s"
    )


class Clock:
    """Seconds spent in each phase of a run, so that a slow run says where its time went."""

    def __init__(self):
        self.phases = {}
        self.mark = time.monotonic()

    def lap(self, name):
        now = time.monotonic()
        self.phases[name] = round(now - self.mark, 1)
        self.mark = now

    def __str__(self):
        return ", ".join(f"{name} {seconds:.0f} s" for name, seconds in self.phases.items())


def run_size(size, chosen, stamp):
    server_url = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    database_url = f"{server_url.rstrip('/')}/casebook_bench_{size}"
    cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
    seconds = chosen.seconds or (2 if size == "1x" else 3)
    port = int(os.environ.get("BENCH_PORT", "8781"))
    work = Path(tempfile.mkdtemp(prefix=f"casebook-bench-{size}-"))
    env = stack.environment(database_url, cache_url, work, port)
    started = datetime.now()
    clock = Clock()

    if chosen.reuse_data and stack.database_exists(database_url):
        say(f"== {size}: reusing {database_url}")
    else:
        stack.build_data(size, env)
    clock.lap("data")
    stack.collectstatic(env)
    stack.flush_cache(cache_url)
    clock.lap("collectstatic")
    say(f"== {size}: the pages and their queries (in-process; log: {work / 'pages.log'})")
    found = discover(env, work)
    pages = found["pages"]
    if chosen.only:
        pages = [page for page in pages if any(word in page["name"] for word in chosen.only)]
    errors = [problem for page in pages for problem in problems(page)]
    pages = [page for page in pages if 200 <= page["status"] < 400]
    clock.lap("queries")

    settings = {
        "seconds": seconds,
        "connections": chosen.connections,
        "cold_runs": COLD_RUNS,
        "tool": load.tool(),
        "tool_version": load.wrk_version(),
        "workers": gunicorn_settings(env),
        "cache_url": cache_url,
        "database_url": database_url,
    }
    results = {
        "size": size,
        "started": started.strftime("%Y-%m-%d %H:%M"),
        "commit": commit(),
        "settings": settings,
        "machine": stack.machine(database_url, cache_url),
        "counts": found["counts"],
        "samples": found["samples"],
        "pages": [],
        "datasette": None,
    }
    say(f"== {size}: gunicorn on {port} ({settings['workers']}; log: {work / 'gunicorn.log'})")
    say(f"   {chosen.connections} clients ({load.tool()}), {seconds} s on a page, then its floor")
    with stack.Gunicorn(env, work / "gunicorn.log") as server:
        warm_up(server.base, pages)
        clock.lap("warm-up")
        for page in pages:
            measured = measure(server, cache_url, page, seconds, chosen.connections)
            results["pages"].append(measured)
            errors += problems(measured)
            say(progress(measured))
        clock.lap("pages")
        if size == "1x" and not chosen.no_datasette:
            datasette_port = int(os.environ.get("BENCH_DATASETTE_PORT", "8782"))
            results["datasette"] = versus_datasette.compare(
                env, server.base, datasette_port, seconds, chosen.connections,
                work / "datasette.log",
            )  # fmt: skip
            for name, answer in results["datasette"]["pages"].items():
                if not 200 <= answer["status"] < 400 or answer["failed"]:
                    errors.append(f"{name} ({answer['url']}): answered {answer['status']}")
            clock.lap("datasette")

    results["errors"] = errors
    results["phase_seconds"] = clock.phases
    results["missed"] = report.missed_goals(results)
    folder = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
    written = report.write(results, folder, f"bench-{size}-{stamp}")
    rows = [report.page_row(page) for page in results["pages"]]
    say("")
    say(f"size {size}: {report.describe(results['counts'])}")
    say(report.text_table(report.HEADER, rows))
    if results["datasette"]:
        say("")
        for name, value in results["datasette"]["ratios"].items():
            say(f"against Datasette, {name} (req/s): {report.number(value, 1)}×")
    say("")
    for line in results["missed"]:
        say(f"goal missed: {line}")
    for line in errors:
        say(f"ERROR {line}")
    say(f"time: {clock}")
    say("written: " + ", ".join(os.path.relpath(path, ROOT) for path in written))
    return errors


def main():
    chosen = options()
    # Stopped from outside, as by Ctrl-C: the servers are still stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    started = time.monotonic()
    errors = []
    try:
        for size in chosen.sizes:
            errors += run_size(size, chosen, stamp)
    except KeyboardInterrupt:
        sys.exit("interrupted; the servers are stopped")
    say(f"== done in {time.monotonic() - started:.0f} s")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
