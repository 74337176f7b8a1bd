"""The production setup in deploy/, as docs/deploy.md tells a server to use it.

The environment file passes Django's deployment checks, the manage.py wrapper and the backup
script run with it, gunicorn loads its configuration from it, the systemd units name files
that exist, and the guide mentions every file. nginx in front of a running gunicorn is
tests/test_deploy_nginx.py.
"""

import gzip
import json
import os
import re
import runpy
import secrets
import shutil
import subprocess
import time

import pytest

from tests.deploy_support import (
    BASE_DIR,
    BIN,
    DEPLOY,
    ENV_EXAMPLE,
    FIXTURES,
    clean_environ,
    manage,
    migrated_sqlite,
    read_env_file,
    run,
    server_env,
    write_env_file,
)

GUIDE = BASE_DIR / "docs" / "deploy.md"


# The environment file ----------------------------------------------------------------------


def test_env_example_passes_the_deploy_checks(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=clean_environ(**server_env(tmp_path))
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_env_example_placeholder_key_fails_the_deploy_checks(tmp_path):
    """A server started with the example's key unchanged is flagged, not quietly accepted."""
    values = server_env(tmp_path, DJANGO_SECRET_KEY=read_env_file(ENV_EXAMPLE)["DJANGO_SECRET_KEY"])
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=clean_environ(**values))
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_env_example_without_secret_key_refuses_to_start(tmp_path):
    values = server_env(tmp_path)
    del values["DJANGO_SECRET_KEY"]
    result = manage("check", env=clean_environ(**values))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_env_example_lines_read_the_same_in_systemd_and_the_shell():
    """No quotes, spaces, backslashes or dollars, which systemd and a shell treat differently."""
    plain = re.compile(r"[A-Z][A-Z0-9_]*=[^\s\"'\\$]*")
    for number, line in enumerate(ENV_EXAMPLE.read_text().splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            assert plain.fullmatch(line), f"line {number} is not a plain KEY=value: {line}"


def test_env_example_names_every_variable_the_server_reads():
    """Each variable csrsite/settings.py or gunicorn.conf.py reads, set or shown commented."""
    read = set()
    for source in (BASE_DIR / "csrsite" / "settings.py", BASE_DIR / "gunicorn.conf.py"):
        read |= set(
            re.findall(
                r"""(?:env_\w+|environ\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']""", source.read_text()
            )
        )
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    assert read, "found no variables in the settings; has the way they are read changed?"
    # XDG_RUNTIME_DIR is the system's (gunicorn.conf.py puts its control socket there).
    missing = read - named - {"DJANGO_DEBUG", "XDG_RUNTIME_DIR"}
    assert not missing, f"deploy/casebook.env.example does not mention {sorted(missing)}"
    assert "DJANGO_DEBUG" not in read_env_file(ENV_EXAMPLE)


# The manage.py wrapper ------------------------------------------------------------------------


def run_wrapper(tmp_path, values, *args):
    env = clean_environ(
        CASEBOOK_USER=subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip(),
        CASEBOOK_DIR=str(BASE_DIR),
        CASEBOOK_ENV_FILE=str(write_env_file(tmp_path / "casebook.env", values)),
    )
    return run([str(DEPLOY / "bin" / "casebook-manage"), *args], env=env)


def test_manage_wrapper_runs_commands_with_the_environment_file(tmp_path):
    """The caller's environment has no key: the check passes only if the file was read."""
    result = run_wrapper(
        tmp_path, server_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_manage_wrapper_passes_values_on_literally(tmp_path):
    """A database URL's query string (&) or a ; must reach Django as written, never run."""
    value = "a&b;c|d*e?f"
    result = run_wrapper(
        tmp_path,
        server_env(tmp_path, CASEBOOK_PROBE=value),
        "shell",
        "--verbosity=0",
        "-c",
        "import os; print(os.environ['CASEBOOK_PROBE'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == value


def test_manage_wrapper_refuses_a_broken_line_without_showing_it(tmp_path):
    env_file = tmp_path / "casebook.env"
    values = server_env(tmp_path)
    result = run_wrapper(tmp_path, {**values, "DATABASE URL": "postgres://u:hunter2@db/x"}, "check")
    assert result.returncode != 0
    assert f"line {len(values) + 1} of {env_file} is not KEY=value" in result.stderr
    assert "hunter2" not in result.stderr


# Backups ------------------------------------------------------------------------------------


def run_backup(folder, **values):
    env = clean_environ(
        CASEBOOK_DIR=str(BASE_DIR),
        CASEBOOK_BACKUP_DIR=str(folder / "backups"),
        CASEBOOK_BACKUP_KEEP_DAYS="30",
        **values,
    )
    return run([str(DEPLOY / "bin" / "casebook-backup")], env=env)


def age(path, days):
    stamp = time.time() - days * 24 * 3600
    os.utime(path, (stamp, stamp))


def test_backup_script_writes_the_portable_dump_and_prunes_old_backups(tmp_path):
    values = server_env(tmp_path)
    migrated_sqlite(tmp_path / "db.sqlite3")
    backups = tmp_path / "backups"
    backups.mkdir()
    expired, recent = backups / "casebook-20000101-000000.json.gz", backups / "casebook-recent.dump"
    for old in (expired, recent):
        old.write_bytes(b"")
    age(expired, 40)
    age(recent, 10)

    result = run_backup(tmp_path, **values)

    assert result.returncode == 0, result.stdout + result.stderr
    written = sorted(backups.glob("casebook-2*.json.gz"))
    assert len(written) == 1 and written[0] != expired
    assert str(written[0]) in result.stdout
    assert (written[0].stat().st_mode & 0o077) == 0, "a backup holds password hashes"
    assert isinstance(json.loads(gzip.decompress(written[0].read_bytes())), list)
    assert not expired.exists() and recent.exists()
    assert "no pg_dump" in result.stderr


def test_backup_script_keeps_old_backups_when_the_new_one_fails(tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    expired = backups / "casebook-20000101-000000.json.gz"
    expired.write_bytes(b"")
    age(expired, 40)
    # No migrations were run, so the dump fails.
    result = run_backup(tmp_path, **server_env(tmp_path))
    assert result.returncode != 0
    assert expired.exists()


def test_backup_script_reads_the_backup_database_url_when_set(tmp_path):
    """Backups can come from a read replica while the site's DATABASE_URL names the primary."""
    replica = server_env(tmp_path)["DATABASE_URL"]
    migrated_sqlite(tmp_path / "db.sqlite3")
    # The "primary" has no tables, so the backup only succeeds if it was read from the replica.
    values = server_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        CASEBOOK_BACKUP_DATABASE_URL=replica,
    )
    result = run_backup(tmp_path, **values)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list((tmp_path / "backups").glob("casebook-*.json.gz"))) == 1


@pytest.fixture
def scratch_databases():
    """Names for PostgreSQL databases on the test run's server, dropped afterwards. Creating
    and dropping a database waits for a checkpoint, which on a busy server takes longer than
    the site's deadline for one answer (csrsite.database): these wait up to two minutes."""
    import dj_database_url
    import psycopg2

    from csrsite.database import timeout

    server = dj_database_url.config()
    connection = psycopg2.connect(
        dbname="postgres",
        user=server["USER"],
        password=server["PASSWORD"],
        host=server["HOST"],
        port=server["PORT"] or None,
    )
    connection.autocommit = True
    names = []

    def create():
        name = f"casebook_deploy_{secrets.token_hex(4)}"
        with timeout(120), connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        netloc = os.environ["DATABASE_URL"].split("://", 1)[1].split("/", 1)[0]
        return f"postgres://{netloc}/{name}"

    yield create
    with timeout(120), connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


@pytest.mark.postgres
def test_backup_script_writes_a_pg_dump_that_pg_restore_loads(tmp_path, scratch_databases):
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is missing: install postgresql-client", pytrace=False)
    source = scratch_databases()
    values = server_env(tmp_path, DATABASE_URL=source)
    assert manage("migrate", "--no-input", env=clean_environ(**values)).returncode == 0
    loaded = manage("load_curated", FIXTURES[0], env=clean_environ(**values))
    assert loaded.returncode == 0, loaded.stderr

    result = run_backup(tmp_path, **values)

    assert result.returncode == 0, result.stdout + result.stderr
    (dump,) = (tmp_path / "backups").glob("casebook-*.dump")
    assert (dump.stat().st_mode & 0o077) == 0
    assert len(list((tmp_path / "backups").glob("casebook-*.json.gz"))) == 1
    target = scratch_databases()
    restored = subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", target, str(dump)],
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stderr
    count = subprocess.run(
        ["psql", "--no-psqlrc", "-tAc", "SELECT count(*) FROM cases_sdg", target],
        capture_output=True,
        text=True,
    )
    assert count.stdout.strip() == "17", count.stderr


# gunicorn -----------------------------------------------------------------------------------


def test_gunicorn_config_loads_the_app_with_the_env_example(tmp_path):
    env = clean_environ(**server_env(tmp_path))
    result = run([str(BIN / "gunicorn"), "--check-config", "-c", "gunicorn.conf.py"], env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_config_check_fails_without_a_secret_key(tmp_path):
    """The check above loads the app itself, so it catches a configuration Django refuses."""
    values = server_env(tmp_path)
    del values["DJANGO_SECRET_KEY"]
    result = run(
        [str(BIN / "gunicorn"), "--check-config", "-c", "gunicorn.conf.py"],
        env=clean_environ(**values),
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stdout + result.stderr


def gunicorn_settings(monkeypatch, **values):
    for key in list(os.environ):
        if key.startswith("GUNICORN_"):
            monkeypatch.delenv(key)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))


def test_gunicorn_reads_workers_bind_and_threads_from_the_environment(monkeypatch):
    config = gunicorn_settings(
        monkeypatch,
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="2",
        GUNICORN_BIND="unix:/run/casebook/gunicorn.sock,127.0.0.1:8001",
    )
    assert config["workers"] == 3
    assert config["threads"] == 2
    assert config["bind"] == ["unix:/run/casebook/gunicorn.sock", "127.0.0.1:8001"]
    assert config["worker_class"] == "gthread"


def test_gunicorn_defaults_to_loopback_and_two_workers_per_core(monkeypatch):
    config = gunicorn_settings(monkeypatch)
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == 2 * os.cpu_count() + 1
    assert config["wsgi_app"] == "csrsite.wsgi:application"


# systemd and the guide ----------------------------------------------------------------------


def unit_lines(name):
    return (DEPLOY / "systemd" / name).read_text().splitlines()


def test_systemd_units_run_files_from_the_checkout():
    """Every /srv/casebook path a unit names (bar the virtualenv) is a file in this checkout."""
    env_files = set()
    for unit in ("casebook.service", "casebook-backup.service"):
        lines = unit_lines(unit)
        assert "WorkingDirectory=/srv/casebook" in lines
        env_files |= {line for line in lines if line.startswith("EnvironmentFile=")}
        for line in lines:
            if line.startswith("#"):
                continue
            for relative in re.findall(r"/srv/casebook/([\w./-]+)", line):
                if not relative.startswith(".venv/"):
                    assert (BASE_DIR / relative).exists(), f"{unit} runs a missing {relative}"
    assert env_files == {"EnvironmentFile=/etc/casebook/casebook.env"}
    assert "ExecStart=/srv/casebook/.venv/bin/gunicorn -c gunicorn.conf.py" in unit_lines(
        "casebook.service"
    )
    assert "ExecStart=/srv/casebook/deploy/bin/casebook-backup" in unit_lines(
        "casebook-backup.service"
    )
    assert os.access(DEPLOY / "bin" / "casebook-backup", os.X_OK)
    assert os.access(DEPLOY / "bin" / "casebook-manage", os.X_OK)


def guide_paths():
    return set(re.findall(r"\bdeploy/[\w./-]*\w", GUIDE.read_text(encoding="utf-8")))


def test_guide_mentions_only_deploy_files_that_exist():
    missing = sorted(path for path in guide_paths() if not (BASE_DIR / path).exists())
    assert not missing, f"docs/deploy.md mentions {missing}, which do not exist"


def test_guide_mentions_every_deploy_file():
    files = {str(path.relative_to(BASE_DIR)) for path in DEPLOY.rglob("*") if path.is_file()}
    unmentioned = sorted(files - guide_paths())
    assert not unmentioned, f"docs/deploy.md never mentions {unmentioned}"
