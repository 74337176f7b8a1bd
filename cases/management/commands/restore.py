"""Load a backup written by `manage.py backup` into a new, empty database.

    createdb casebook_restored
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/casebook_restored
    python manage.py migrate
    python manage.py restore backups/casebook-20250301-143000.json.gz

Only an empty database is accepted (migrate's "editors", "viewers" and "reviewers" groups
aside, which the backup's copies update): loading into one that holds data would mix two
casebooks. The file is loaded in one transaction, so a bad or incomplete file loads nothing.

The backup is loaded exactly as written, with Django's own loaddata: `load_curated`
validates each record and writes a "loaded from fixtures" history row for it, but a backup
already holds its history, and rules that changed since a record was saved must not stop it
from coming back. Raw loading also bypasses `save()`, so each record's save counter
(`version`) and last-edited time stay as they were.
"""

import gzip
import re
import warnings
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from cases.backups import backed_up_models
from cases.management.commands.backup import SUFFIXES
from cases.management.commands.createeditor import EDITORS, REVIEWERS, VIEWERS

# loaddata puts this before every problem it reports; the restore names the file itself.
LOADDATA_PREFIX = re.compile(r"^Problem installing fixtures?(?: '[^']*')?: ")
SHOWN_KINDS = 5


class RawLoader(loaddata.Command):
    """Django's loaddata, reading exactly the file it is given and adding no history rows:
    the backup already holds every history row there was, and setting a case's issues or
    sources would otherwise add one."""

    def find_fixtures(self, fixture_label):
        # loaddata looks a label up by name, so "casebook.json" would also find a
        # "casebook.json.gz" beside it and refuse to choose.
        path = Path(fixture_label)
        return [(str(path), str(path.parent), path.name)]

    def save_obj(self, obj):
        obj.object.skip_history_when_saving = True
        return super().save_obj(obj)


def one_line(exc):
    text = LOADDATA_PREFIX.sub("", " ".join(str(exc).split()))
    return text or type(exc).__name__


def problem(exc):
    """What is wrong with a backup that could not be loaded, in one line."""
    if isinstance(exc, EOFError):
        return "the file is cut short (was the backup or its copy interrupted?)."
    if isinstance(exc, gzip.BadGzipFile):
        return "its name ends in .gz, but it is not gzip-compressed."
    if isinstance(exc, UnicodeDecodeError):
        return f"it is not a JSON text file ({exc})."
    if isinstance(exc, DeserializationError) and isinstance(exc.__cause__, ValueError):
        return f"it is not valid JSON ({one_line(exc.__cause__)})."
    return one_line(exc)


class Command(BaseCommand):
    help = (
        "Load a backup written by `manage.py backup` into an empty, migrated database, all "
        "or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="The backup file (.json.gz or .json).")

    @no_translations  # English messages throughout, record names included
    def handle(self, *args, path, **options):
        path = Path(path).expanduser().absolute()
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        if not path.name.endswith(SUFFIXES):
            raise CommandError(f"{path.name} is not a backup: backups end in .json.gz or .json.")
        try:
            self.refuse_unmigrated()
            with transaction.atomic():
                self.refuse_unless_empty()
                count = self.load(path)
        except DatabaseError as exc:
            raise CommandError(f"Nothing was restored: {one_line(exc)}") from exc
        self.stdout.write(f"Restored {count} records from {path}.")

    def refuse_unmigrated(self):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                "The database is not fully migrated: run `manage.py migrate` first, then restore."
            )

    def refuse_unless_empty(self):
        held = []
        for model in backed_up_models():
            rows = model._base_manager.all()
            if model is Group:
                rows = rows.exclude(name__in=[EDITORS, VIEWERS, REVIEWERS])
            if rows.exists():
                held.append(str(model._meta.verbose_name_plural))
        if held:
            shown = ", ".join(held[:SHOWN_KINDS]) + (", …" if len(held) > SHOWN_KINDS else "")
            raise CommandError(
                f"Nothing was restored: the database already holds data ({shown}). Restore "
                "into an empty database: create a new one, run `manage.py migrate` on it, then "
                "restore."
            )

    def load(self, path):
        loader = RawLoader()
        try:
            with warnings.catch_warnings():
                # An empty file gets its own message below.
                warnings.filterwarnings("ignore", "No fixture data found", RuntimeWarning)
                call_command(loader, str(path), verbosity=0)
            # loaddata checks the tables of the records it loaded, not the many-to-many
            # tables it filled on the way; without this a dangling reference there would
            # surface only at commit, without the name of the file.
            connection.check_constraints()
        except Exception as exc:
            # Whatever broke (not JSON, a cut-off file, an unknown model, a missing
            # reference), loaddata's transaction has already undone every row.
            raise CommandError(f"Nothing was restored from {path.name}: {problem(exc)}") from exc
        if not loader.loaded_object_count:
            raise CommandError(f"Nothing was restored: {path.name} holds no records.")
        return loader.loaded_object_count
