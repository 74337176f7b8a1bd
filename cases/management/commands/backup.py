"""Write a backup of the casebook that `manage.py restore` loads into any of our databases.

    python manage.py backup                      # backups/casebook-20250301-143000.json.gz
    python manage.py backup --output /srv/backups/casebook.json.gz

What it holds, and why rows keep their ids, is in `cases.backups`. The file holds password
hashes and email addresses, so it is created readable by its owner only. It is written under
a temporary name and renamed when complete: a backup that fails leaves no file behind, and
an existing file of the same name is replaced only by a complete one.
"""

import gzip
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.backups import write_backup

# Names `loaddata` (and so `restore`) can tell the format of.
SUFFIXES = (".json.gz", ".json")


def default_path():
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "backups" / f"casebook-{stamp}.json.gz"


class Command(BaseCommand):
    help = (
        "Write every record worth keeping (cases with their history, accounts, groups, the "
        "admin log) to a JSON file that `manage.py restore` loads into an empty database. "
        "Prints the path written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            metavar="PATH",
            help="File to write, ending in .json.gz (compressed) or .json. Default: "
            "backups/casebook-YYYYmmdd-HHMMSS.json.gz in the project folder.",
        )

    def handle(self, *args, output, **options):
        path = Path(output).expanduser().absolute() if output else default_path()
        if not path.name.endswith(SUFFIXES):
            raise CommandError(
                f"The backup's name must end in .json.gz or .json, so that restore can read "
                f"it: {path}"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            os.close(descriptor)
        except OSError as exc:
            reason = exc.strerror or exc
            raise CommandError(f"Cannot write a backup in {path.parent}: {reason}.") from exc

        try:
            opener = gzip.open if path.name.endswith(".gz") else open
            with opener(partial, "wt", encoding="utf-8") as stream:
                write_backup(stream)
            os.replace(partial, path)
        except Exception as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise CommandError(f"The backup failed and nothing was written: {reason}") from exc
        finally:
            # Also on Ctrl-C; after the rename there is nothing left under this name.
            Path(partial).unlink(missing_ok=True)
        self.stdout.write(str(path))
