"""Timing requests over HTTP for `bench/run.py`: one request at a time (cold latency, time to
first byte), and a fixed number of concurrent keep-alive clients for a few seconds (latency
percentiles and requests per second), with wrk when it is installed, else Python threads."""

import http.client
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

LUA = Path(__file__).resolve().parent / "wrk_report.lua"


def tool():
    """ "wrk" or "python": BENCH_LOAD chooses; wrk when installed otherwise."""
    chosen = os.environ.get("BENCH_LOAD", "").strip().lower()
    if chosen in ("wrk", "python"):
        return chosen
    return "wrk" if shutil.which("wrk") else "python"


def fetch(url, accept, timeout=120):
    """One GET on a new connection: status, body bytes, seconds to the last byte and to the
    first byte of the body, and the page cache's verdict (X-Page-Cache) if the site gives one."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", target, headers={"Accept": accept})
        response = connection.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - started
        size = len(first) + len(response.read())
        seconds = time.perf_counter() - started
        return {
            "status": response.status,
            "bytes": size,
            "ms": seconds * 1000,
            "first_byte_ms": first_byte * 1000,
            "page_cache": response.getheader("X-Page-Cache"),
        }
    finally:
        connection.close()


def hammer(url, accept, seconds, connections):
    """`connections` clients requesting `url` over and over for `seconds`: p50, p95 and p99
    latency in ms, requests/s, and the count of answers that were not 2xx or 3xx."""
    if tool() == "wrk":
        return with_wrk(url, accept, seconds, connections)
    return with_threads(url, accept, seconds, connections)


def with_wrk(url, accept, seconds, connections):
    threads = max(1, min(os.cpu_count() or 1, connections))
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
        "-H", f"Accept: {accept}", "-s", str(LUA), url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    lines = [line for line in output.splitlines() if line.startswith("BENCH ")]
    if not lines:
        raise RuntimeError(f"wrk gave no summary for {url}:\n{output}")
    found = json.loads(lines[-1].removeprefix("BENCH "))
    return {
        "p50_ms": found["p50_us"] / 1000,
        "p95_ms": found["p95_us"] / 1000,
        "p99_ms": found["p99_us"] / 1000,
        "max_ms": found["max_us"] / 1000,
        "requests": found["requests"],
        "rps": found["requests"] / (found["duration_us"] / 1e6),
        "failed": found["status_errors"],
        "socket_errors": sum(
            found[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
    }


def with_threads(url, accept, seconds, connections):
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, failed, socket_errors = [], [0], [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        mine, bad, broken = [], 0, 0
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers={"Accept": accept})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                broken += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
            bad += not 200 <= response.status < 400
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        connection.close()
        with lock:
            latencies.extend(mine)
            failed[0] += bad
            socket_errors[0] += broken

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(share):
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    return {
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "max_ms": latencies[-1] * 1000 if latencies else None,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "failed": failed[0],
        "socket_errors": socket_errors[0],
    }


def wrk_version():
    if tool() != "wrk":
        return None
    found = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (found.stdout or found.stderr).splitlines()[0].strip()
