"""`manage.py backup` and `manage.py restore`: a casebook moved to a new, empty database comes
back identical, and a restore that cannot be done changes nothing."""

import gzip
import io
import json
import os
import re
import stat
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cases.backups import backed_up_models
from cases.management.commands import backup
from cases.models import Company, Metric, Project, SocialIssue, Source
from tests.conftest import CASEBOOK
from tests.deploy_support import migrated_sqlite

# A restored account's password is checked by `manage.py` in a process of its own, with the
# production settings' hashers.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production_password_hashing")]

PASSWORD = "correct horse battery staple"  # the conftest staff members' password
REUNITED = "douyin-xunren-people-reunited-2024-06-13"  # 22,859 people
EDITED = "douyin-xunren-alerts-sent-2024-06-13"
DELETED = "industry-digital-economy-2014"
SUBPROCESS_TIMEOUT = 120


# A small backup as `backup` writes it: ids kept, groups and permissions by natural key.
DOUYIN = {
    "model": "cases.company",
    "pk": 3,
    "fields": {
        "version": 2,
        "slug": "douyin-group",
        "name_zh": "抖音集团",
        "name_en": "Douyin Group",
        "kind": "internet",
    },
}
ASSISTANCE = {
    "model": "cases.socialissue",
    "pk": 5,
    "fields": {
        "version": 1,
        "slug": "social-assistance",
        "name_zh": "社会救助",
        "name_en": "Social assistance",
        "vocabulary": "chapter",
        "sdgs": [],
    },
}
XUNREN = {
    "model": "cases.project",
    "pk": 7,
    "fields": {
        "version": 4,
        "slug": "douyin-xunren",
        "name_zh": "抖音寻人",
        "name_en": "Douyin Missing Person Alerts",
        "company": 3,
        "mechanism": "product",
        "created_at": "2016-02-01T00:00:00Z",
        "updated_at": "2024-06-13T08:00:00Z",
        "issues": [5],
        "sources": [],
    },
}
EDITORS_WITH_ONE_PERMISSION = {
    "model": "auth.group",
    "fields": {"name": "editors", "permissions": [["view_project", "cases", "project"]]},
}
MEI = {
    "model": "auth.user",
    "pk": 4,
    "fields": {
        "username": "mei",
        "password": "!",
        "is_staff": True,
        "date_joined": "2024-07-01T09:00:00Z",
        "groups": [["editors"]],
        "user_permissions": [],
    },
}
SMALL_BACKUP = [DOUYIN, ASSISTANCE, XUNREN, EDITORS_WITH_ONE_PERMISSION, MEI]


def write_json(tmp_path, records, name="casebook.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def restore(path):
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)
    return out.getvalue()


def rows_held():
    """Rows of every backed-up table, the role groups that migrate creates aside."""
    counts = {model._meta.label_lower: model._base_manager.count() for model in backed_up_models()}
    counts["auth.group"] = Group.objects.exclude(
        name__in=["editors", "viewers", "reviewers"]
    ).count()
    return {label: count for label, count in counts.items() if count}


def log_change(user, record, message=""):
    """An admin log entry of `user` changing `record`, as the admin writes one."""
    return LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        object_repr=str(record),
        action_flag=CHANGE,
        change_message=message,
    )


def back_up(folder):
    """Run `manage.py backup` into `folder` and return the file's path."""
    path = folder / "casebook.json.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def records(path):
    """A backup's records in a fixed order, many-to-many lists sorted, for comparison."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        rows = json.load(stream)
    for row in rows:
        model = apps.get_model(row["model"])
        for field in model._meta.many_to_many:
            if field.name in row["fields"]:
                row["fields"][field.name].sort(key=json.dumps)
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False))


# --- The round trip: a casebook an editor has worked on, moved to a new database ---


@pytest.fixture
def edited_casebook(editor):
    """The tests' casebook after some admin work by Mei: a figure's note corrected twice, a
    figure deleted (so ids have a gap), a document attached to 抖音寻人 by mistake, removed and
    deleted (so history mentions a record that is gone), a proofreaders group and a log entry."""
    call_command("load_curated", CASEBOOK, verbosity=0)
    figure = Metric.objects.get(slug=EDITED)
    for note in ["Counted by Douyin.", "Counted by Douyin's missing-persons team."]:
        figure.note_en = note
        figure._history_user = editor
        figure._change_reason = "Corrected the note"
        figure.save()
    Metric.objects.get(slug=DELETED).delete()
    xunren = Project.objects.get(slug="douyin-xunren")
    mistaken = Source.objects.create(
        slug="mistaken-source",
        title_zh="误加的文件",
        title_en="A document added by mistake",
        kind="news",
        published_on="2024-01-01",
        published_precision="day",
    )
    xunren.sources.add(mistaken)
    xunren.sources.remove(mistaken)
    mistaken.delete()
    proofreaders = Group.objects.create(name="proofreaders")
    proofreaders.permissions.add(Permission.objects.get(codename="view_metric"))
    get_user_model().objects.create_user("li", password=PASSWORD).groups.add(proofreaders)
    log_change(editor, figure, "Corrected the note")


def casebook_facts():
    """What a person would look at after a restore, as JSON values (run in either database)."""
    xunren = Project.objects.get(slug="douyin-xunren")
    edited = Metric.objects.get(slug=EDITED)
    mei = get_user_model().objects.get(username="mei")
    entry = LogEntry.objects.get()
    return {
        "case": [xunren.name_zh, xunren.status, xunren.version, xunren.updated_at.isoformat()],
        "reunited": str(Metric.objects.get(slug=REUNITED).value.normalize()),
        "edited_version": edited.version,
        # Found through the figure's id: wrong if ids changed on the way.
        "edited_history": [
            [row.history_type, row.note_en, str(row.history_user), row.history_change_reason]
            for row in edited.history.order_by("history_date", "history_id")
        ],
        "deleted_history": list(
            Metric.history.filter(slug=DELETED)
            .order_by("history_id")
            .values_list("history_type", flat=True)
        ),
        "rows": {
            model._meta.label_lower: model._base_manager.count() for model in backed_up_models()
        },
        "mei": [
            sorted(mei.groups.values_list("name", flat=True)),
            mei.is_staff,
            mei.check_password(PASSWORD),
        ],
        "log_entry": [str(entry.user), entry.get_edited_object().slug, entry.change_message],
    }


def add_records():
    """New records in a restored database must get ids of their own (PostgreSQL sequences)."""
    company = Company.objects.create(
        slug="new-company", name_zh="新公司", name_en="New company", kind="internet"
    )
    case = Project.objects.create(
        slug="new-case", name_zh="新案例", name_en="New case", company=company, mechanism="other"
    )
    case.issues.add(SocialIssue.objects.order_by("pk").first())
    user = get_user_model().objects.create_user("newcomer")
    user.groups.add(Group.objects.create(name="newcomers"))
    return {"company": company.pk, "case": case.pk, "history": case.history.count()}


def run_in(database_url, *args):
    """Run a command against another database, as an operator would; fail with its output."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env.setdefault("DJANGO_SETTINGS_MODULE", "csrsite.settings")
    done = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def call_in(database_url, function):
    """Run one of this module's functions against another database and return its result."""
    script = (
        "import django, json, sys; django.setup(); from tests import test_backup; "
        "print(json.dumps(getattr(test_backup, sys.argv[1])()))"
    )
    return json.loads(run_in(database_url, "-c", script, function.__name__).splitlines()[-1])


def round_trip(database_url, tmp_path):
    """Back up this test's database, restore into the empty one at `database_url`, and check
    that a backup of the restored database is the same, record for record."""
    first = tmp_path / "first.json.gz"
    call_command("backup", output=str(first), stdout=io.StringIO())
    expected = casebook_facts()

    if database_url.startswith("sqlite:///"):
        migrated_sqlite(Path(database_url.removeprefix("sqlite:///")))
    else:
        run_in(database_url, "manage.py", "migrate", "--no-input", "--verbosity", "0")
    assert "Restored" in run_in(database_url, "manage.py", "restore", str(first))
    second = tmp_path / "second.json.gz"
    run_in(database_url, "manage.py", "backup", "--output", str(second))

    assert records(second) == records(first)
    assert call_in(database_url, casebook_facts) == expected
    return expected, records(first), call_in(database_url, add_records)


def check_round_trip(expected, backed_up, added):
    """What the round trip compared is the edited casebook, not an empty one."""
    assert expected["case"][:3] == ["抖音寻人", "published", 1]
    assert expected["reunited"] == "22859"
    assert expected["edited_version"] == 3
    assert [row[0] for row in expected["edited_history"]] == ["+", "~", "~"]
    assert expected["edited_history"][-1][1:] == [
        "Counted by Douyin's missing-persons team.",
        "mei",
        "Corrected the note",
    ]
    assert expected["deleted_history"] == ["+", "-"]
    assert expected["mei"] == [["editors"], True, True]
    assert expected["log_entry"] == ["mei", EDITED, "Corrected the note"]
    kinds = Counter(row["model"] for row in backed_up)
    assert kinds["cases.historicalmetric"] == expected["rows"]["cases.historicalmetric"] > 30
    assert kinds["auth.user"] == 2 and kinds["auth.group"] == 4 and kinds["admin.logentry"] == 1
    assert added["company"] > expected["rows"]["cases.company"]
    assert added["history"] == 2  # the new case, then its issue


def test_round_trip_into_a_new_sqlite_database_keeps_everything(edited_casebook, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    check_round_trip(*round_trip(database_url, tmp_path))


@pytest.fixture
def empty_postgres_database():
    """A new database on the test server, dropped afterwards; yields its URL."""
    import psycopg2
    from psycopg2 import sql

    from csrsite.database import timeout

    server = connection.settings_dict
    name = f"casebook_restore_{uuid.uuid4().hex[:12]}"
    login = {
        "host": server["HOST"] or "localhost",
        "port": server["PORT"] or 5432,
        "user": server["USER"],
        "password": server["PASSWORD"],
    }
    admin = psycopg2.connect(dbname="postgres", **{k: v for k, v in login.items() if v})
    admin.autocommit = True
    # Creating and dropping a database waits for a checkpoint, longer than the site's
    # deadline for one answer on a busy server (csrsite.database).
    with timeout(120), admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    password = f":{quote(login['password'], safe='')}" if login["password"] else ""
    try:
        yield (
            f"postgres://{quote(login['user'], safe='')}{password}"
            f"@{login['host']}:{login['port']}/{name}"
        )
    finally:
        with timeout(120), admin.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        admin.close()


@pytest.mark.postgres
def test_round_trip_into_a_new_postgres_database_keeps_everything(
    edited_casebook, empty_postgres_database, tmp_path
):
    check_round_trip(*round_trip(empty_postgres_database, tmp_path))


# --- backup ---


def test_backup_writes_a_dated_compressed_file_under_backups_by_default(settings, tmp_path, xunren):
    settings.BASE_DIR = tmp_path
    out = io.StringIO()
    call_command("backup", stdout=out)
    path = Path(out.getvalue().strip())
    assert path.parent == tmp_path / "backups"
    assert re.fullmatch(r"casebook-\d{8}-\d{6}\.json\.gz", path.name)
    slugs = [row["fields"].get("slug") for row in records(path) if row["model"] == "cases.project"]
    assert slugs == ["douyin-xunren"]


def test_backup_is_readable_by_its_owner_only(tmp_path, xunren):
    """It holds password hashes and email addresses."""
    path = back_up(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_backup_holds_history_accounts_and_the_admin_log_but_not_sign_ins(tmp_path, xunren, editor):
    log_change(editor, xunren)
    SessionStore().create()
    AccessAttempt.objects.create(
        username="mei", ip_address="192.0.2.1", user_agent="curl", failures_since_start=3
    )
    path = back_up(tmp_path)
    kinds = {row["model"] for row in records(path)}
    assert {
        "cases.project",
        "cases.historicalproject",
        "cases.historicalproject_issues",
        "auth.user",
        "auth.group",
        "admin.logentry",
    } <= kinds
    assert not kinds & {
        "sessions.session",
        "axes.accessattempt",
        "contenttypes.contenttype",
        "auth.permission",
    }


def test_backup_keeps_ids_and_names_what_migrate_recreates_by_natural_key(tmp_path, xunren, editor):
    log_change(editor, xunren)
    path = back_up(tmp_path)
    by_kind = {row["model"]: row for row in records(path)}
    assert by_kind["cases.project"]["pk"] == xunren.pk
    assert by_kind["cases.project"]["fields"]["company"] == xunren.company_id
    assert by_kind["cases.historicalproject"]["fields"]["id"] == xunren.pk
    assert by_kind["admin.logentry"]["fields"]["content_type"] == ["cases", "project"]
    assert by_kind["auth.user"]["fields"]["groups"] == [["editors"]]
    editors = next(row for row in records(path) if row["fields"].get("name") == "editors")
    assert "pk" not in editors
    assert ["view_project", "cases", "project"] in editors["fields"]["permissions"]


def test_backup_holds_the_casebook_accounts_and_admin_log_and_nothing_else():
    """A model added later must be backed up or left out on purpose (see cases.backups)."""
    casebook = {model._meta.label_lower for model in apps.get_app_config("cases").get_models()}
    assert {model._meta.label_lower for model in backed_up_models()} == casebook | {
        "auth.user",
        "auth.group",
        "admin.logentry",
        # Staff's authenticator apps and recovery codes: after a restore they sign in as before.
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "otp_static.statictoken",
    }


def test_backup_into_a_folder_that_cannot_be_written_fails_clearly(tmp_path):
    not_a_folder = tmp_path / "backups"
    not_a_folder.write_text("a file where the folder should be")
    with pytest.raises(CommandError, match=r"^Cannot write a backup in .*backups"):
        call_command("backup", output=str(not_a_folder / "casebook.json.gz"))


def test_a_failed_backup_leaves_no_file_and_keeps_an_older_one(tmp_path, monkeypatch, xunren):
    older = tmp_path / "casebook.json.gz"
    older.write_bytes(b"yesterday's backup")

    def write_half(stream):
        stream.write('[{"model": "cases.project", ')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "write_backup", write_half)
    with pytest.raises(CommandError, match="nothing was written: .*No space left on device"):
        call_command("backup", output=str(older))
    assert [path.name for path in tmp_path.iterdir()] == ["casebook.json.gz"]
    assert older.read_bytes() == b"yesterday's backup"


def test_backup_refuses_a_name_restore_could_not_read(tmp_path):
    with pytest.raises(CommandError, match=r"must end in \.json\.gz or \.json"):
        call_command("backup", output=str(tmp_path / "casebook.txt"))
    assert not list(tmp_path.iterdir())


# --- restore ---


def test_restore_loads_a_backup_into_an_empty_database(tmp_path):
    out = restore(write_json(tmp_path, SMALL_BACKUP))
    assert out.strip() == f"Restored 5 records from {tmp_path / 'casebook.json'}."
    case = Project.objects.get(pk=7)
    assert (case.slug, case.company.slug) == ("douyin-xunren", "douyin-group")
    assert list(case.issues.values_list("slug", flat=True)) == ["social-assistance"]


def test_restore_keeps_save_counters_and_edit_times(tmp_path):
    """Edit conflicts compare save counters, so a restore must not count itself as a save."""
    restore(write_json(tmp_path, SMALL_BACKUP))
    case = Project.objects.get(slug="douyin-xunren")
    assert case.version == 4
    assert case.updated_at.isoformat() == "2024-06-13T08:00:00+00:00"
    assert Company.objects.get(slug="douyin-group").version == 2


def test_restore_writes_no_history_of_its_own(tmp_path):
    """The backup holds the history as it was; setting a case's issues must not add a row."""
    restore(write_json(tmp_path, SMALL_BACKUP))
    assert Project.objects.get(slug="douyin-xunren").history.count() == 0
    assert Project.history.count() == Company.history.count() == 0


def test_restore_updates_the_role_groups_that_migrate_created(tmp_path):
    editors_before = Group.objects.get(name="editors")
    restore(write_json(tmp_path, SMALL_BACKUP))
    editors = Group.objects.get(name="editors")
    assert editors.pk == editors_before.pk
    assert list(editors.permissions.values_list("codename", flat=True)) == ["view_project"]
    assert list(editors.user_set.values_list("username", flat=True)) == ["mei"]
    assert Group.objects.filter(name="viewers").exists()


def test_restore_refuses_a_database_that_already_has_data(tmp_path, report):
    held = r"already holds data \(source documents, historical source documents\)"
    with pytest.raises(CommandError, match=held + r"\. Restore into an empty database"):
        restore(write_json(tmp_path, SMALL_BACKUP))
    assert rows_held() == {"cases.source": 1, "cases.historicalsource": 1}


def test_restore_refuses_a_database_that_has_an_account(tmp_path, editor):
    with pytest.raises(CommandError, match=r"already holds data \(users, TOTP devices\)"):
        restore(write_json(tmp_path, SMALL_BACKUP))
    assert rows_held() == {"auth.user": 1, "otp_totp.totpdevice": 1}


def test_restore_of_a_missing_file_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match=r"^No backup file at .*nowhere\.json\.gz\.$"):
        restore(tmp_path / "nowhere.json.gz")


def test_restore_of_a_file_that_is_not_json_changes_nothing(tmp_path):
    path = tmp_path / "casebook.json"
    path.write_text("<html>Not found</html>", encoding="utf-8")
    with pytest.raises(CommandError, match=r"casebook\.json: it is not valid JSON \(Expecting"):
        restore(path)
    assert rows_held() == {}


def test_restore_of_a_cut_off_backup_changes_nothing(tmp_path):
    whole = gzip.compress(json.dumps(SMALL_BACKUP * 50, ensure_ascii=False).encode())
    path = tmp_path / "casebook.json.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(CommandError, match=r"casebook\.json\.gz: the file is cut short"):
        restore(path)
    assert rows_held() == {}


def test_restore_of_a_record_of_an_unknown_model_changes_nothing(tmp_path):
    unknown = {"model": "cases.casestudy", "pk": 1, "fields": {"slug": "x"}}
    path = write_json(tmp_path, [*SMALL_BACKUP, unknown])
    with pytest.raises(CommandError, match=r"Invalid model identifier: cases\.casestudy$"):
        restore(path)
    assert rows_held() == {}


def test_a_restore_that_fails_part_way_leaves_the_database_empty(tmp_path):
    """Every record but the last loads before a dangling reference is found."""
    orphan = {**XUNREN, "pk": 8, "fields": {**XUNREN["fields"], "slug": "orphan", "company": 99}}
    with pytest.raises(CommandError, match=r"^Nothing was restored from casebook\.json: "):
        restore(write_json(tmp_path, [*SMALL_BACKUP, orphan]))
    assert rows_held() == {}
    assert list(Group.objects.get(name="editors").user_set.all()) == []


def test_restore_of_a_case_tagged_with_a_missing_issue_changes_nothing(tmp_path):
    tagged = {**XUNREN, "fields": {**XUNREN["fields"], "issues": [5, 404]}}
    with pytest.raises(CommandError, match=r"^Nothing was restored from casebook\.json: "):
        restore(write_json(tmp_path, [DOUYIN, ASSISTANCE, tagged]))
    assert rows_held() == {}


def test_restore_of_an_empty_backup_says_so(tmp_path):
    with pytest.raises(CommandError, match=r"casebook\.json holds no records"):
        restore(write_json(tmp_path, []))


def test_restore_asks_for_migrate_on_a_database_never_migrated(tmp_path):
    path = write_json(tmp_path, [{**DOUYIN}])
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "manage.py", "restore", str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "CommandError: The database is not fully migrated: run `manage.py migrate` first, "
        "then restore."
    )
