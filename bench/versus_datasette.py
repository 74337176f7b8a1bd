"""The curated data served by Datasette from SQLite, as a yardstick for `bench/run.py`: its
faceted table page of the cases against our case list, and its table JSON of the figures
against our figures CSV, under the same load, one after the other in the same run.

Datasette is installed on first use into its own virtualenv, .bench/datasette (untracked); the
SQLite copy, .bench/casebook.sqlite3, is migrated and loaded with the curated fixtures by our own
manage.py, so both sites serve the same records (made again when the fixtures or the code of
cases/ change). Datasette runs with its defaults (one process,
facet suggestions on) except for longer time limits, so that no facet is skipped on a busy
machine, and as many rows per JSON answer as there are figures.
"""

import hashlib
import sqlite3
import subprocess
import sys
import time

import load
import stack
from pages import ACCEPT

DATASETTE_VERSION = "0.65.5"
HOME = stack.ROOT / ".bench"
VENV = HOME / "datasette"
DATABASE = HOME / "casebook.sqlite3"
# The database's name in Datasette's addresses is the file's stem.
NAME = DATABASE.stem

# The case list's own filters include the lead company, the mechanism and the trigger.
ONE_FACET = "company_id"
THREE_FACETS = ["company_id", "mechanism", "trigger"]


def install():
    binary = VENV / "bin" / "datasette"
    if binary.exists():
        return binary
    stack.say(f"== installing Datasette {DATASETTE_VERSION} into {VENV.relative_to(stack.ROOT)}")
    HOME.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(VENV / "bin" / "pip"), "install", "--quiet", f"datasette=={DATASETTE_VERSION}"],
        check=True,
    )
    return binary


def build_sqlite(env):
    """A SQLite copy of the curated data, made afresh when the fixtures or the app's code have
    changed since the last one; the number of figures in it."""
    digest = hashlib.sha256()
    for path in sorted(
        [*(stack.ROOT / "fixtures").glob("*.json"), *(stack.ROOT / "cases").rglob("*.py")]
    ):
        digest.update(path.read_bytes())
    stamp = DATABASE.with_suffix(".digest")
    if not (DATABASE.exists() and stamp.is_file() and stamp.read_text() == digest.hexdigest()):
        DATABASE.unlink(missing_ok=True)
        env = {**env, "DATABASE_URL": f"sqlite:///{DATABASE}", "CACHE_URL": "locmem://"}
        stack.say(f"== a SQLite copy of the curated data ({DATABASE.relative_to(stack.ROOT)})")
        stack.manage(env, "migrate", "--no-input", "--verbosity", "0")
        fixtures = sorted(str(path) for path in (stack.ROOT / "fixtures").glob("*.json"))
        stack.manage(env, "load_curated", "--verbosity", "0", *fixtures)
        stamp.write_text(digest.hexdigest())
    with sqlite3.connect(DATABASE) as connection:
        return connection.execute("SELECT count(*) FROM cases_metric").fetchone()[0]


def pages():
    """(name, Datasette's address or None for ours, our address, Accept) in the order run."""
    facets = "&".join(f"_facet={column}" for column in THREE_FACETS)
    table = f"/{NAME}/cases_project"
    return [
        ("our case list", None, "/cases/", ACCEPT["page"]),
        ("Datasette cases, 1 facet", f"{table}?_facet={ONE_FACET}", None, "text/html"),
        ("Datasette cases, 3 facets", f"{table}?{facets}", None, "text/html"),
        ("our figures CSV", None, "/metrics/figures.csv", ACCEPT["download"]),
        ("Datasette figures JSON", f"/{NAME}/cases_metric.json?_shape=array&_size=max", None,
         "application/json"),
    ]  # fmt: skip


def facets_shown(base):
    """The facets Datasette computed for the 3-facet page, and those it gave up on."""
    import json
    import urllib.request

    facets = "&".join(f"_facet={column}" for column in THREE_FACETS)
    with urllib.request.urlopen(f"{base}/{NAME}/cases_project.json?{facets}", timeout=60) as answer:
        found = json.load(answer)
    return sorted(found.get("facet_results", {})), found.get("facets_timed_out", [])


def compare(env, our_base, port, seconds, connections, log_path):
    """Both sites under the same load; {name: measurements} and what Datasette reported."""
    binary = install()
    figures = build_sqlite(env)
    command = [
        str(binary), "serve", str(DATABASE), "--host", "127.0.0.1", "--port", str(port),
        "--setting", "sql_time_limit_ms", "20000",
        "--setting", "facet_time_limit_ms", "5000",
        "--setting", "max_returned_rows", str(max(1000, figures)),
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    stack.say(f"== Datasette on {base} (log: {log_path})")
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=stack.ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            if not stack.wait_for(f"{base}/-/versions.json", seconds=60):
                raise RuntimeError(f"Datasette did not answer {base}; see {log_path}")
            shown, timed_out = facets_shown(base)
            results = {}
            for name, theirs, ours, accept in pages():
                url = f"{base}{theirs}" if theirs else f"{our_base}{ours}"
                load.fetch(url, accept)  # computed once, as a reader before would have
                single = load.fetch(url, accept)
                results[name] = {
                    "url": theirs or ours,
                    "status": single["status"],
                    "bytes": single["bytes"],
                    **load.hammer(url, accept, seconds, connections),
                }
                stack.say(f"   {name}: {results[name]['rps']:.0f} req/s")
                time.sleep(0.2)
        finally:
            stack.stop(server, 10)
    return {
        "datasette": DATASETTE_VERSION,
        "figures": figures,
        "facets": shown,
        "facets_timed_out": timed_out,
        "pages": results,
        "ratios": {
            "case list / 1 facet": ratio(results, "our case list", "Datasette cases, 1 facet"),
            "case list / 3 facets": ratio(results, "our case list", "Datasette cases, 3 facets"),
            "figures CSV / JSON": ratio(results, "our figures CSV", "Datasette figures JSON"),
        },
    }


def ratio(results, ours, theirs):
    if not results[theirs]["rps"]:
        return None
    return results[ours]["rps"] / results[theirs]["rps"]
