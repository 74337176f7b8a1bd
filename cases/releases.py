"""Versioned data releases: the public data as a Frictionless data package, one folder per
version under `settings.CASEBOOK_RELEASES_DIR`, served at /data/.

`build_release("1.2.0")` (`manage.py release`) writes the tables of `cases.release_tables` as
CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese), `datapackage.json` with each
table's schema, size and sha256, a README and the licence in both languages, the changes since
the previous release (`changes.json`, `CHANGELOG.md`), `checksums.sha256` and a zip of it all.
It writes into a hidden folder beside the others and renames that into place only when
everything is written, so a failure leaves nothing half-published. A published release never
changes: versions only go up, and one that exists is refused.

The changes are read from the previous release's own CSV files, not from the database, so
they hold across deployments and after the data has been edited since.

`list_releases()` and `latest()` read what is on disk, skipping (and logging once) a folder
that is not a complete release; they are cached until the releases folder changes.
"""

import csv
import datetime
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import release_texts
from .dates import is_chinese
from .release_tables import TABLES
from .spreadsheet import without_formula_guard

logger = logging.getLogger(__name__)

VERSION_PATTERN = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\Z")
PACKAGE_NAME = "csi-casebook"
CHECKSUMS = "checksums.sha256"
CHANGES = "changes.json"
DESCRIPTOR = "datapackage.json"
# The zip is named so that a download says what it holds.
ZIP_NAME = "csi-casebook-{version}.zip"
# The one date every zip entry carries, so that a zip's bytes depend on its contents only.
ZIP_TIMESTAMP = (2024, 1, 1, 0, 0, 0)


class ReleaseError(Exception):
    """A release that cannot be made, with the reason in a sentence."""


@dataclass(frozen=True)
class ReleaseTable:
    """One table of a release as /data/ lists it."""

    name: str
    path: str
    title_en: str
    title_zh: str
    rows: int

    @property
    def title(self):
        return self.title_zh if is_chinese() else self.title_en


@dataclass(frozen=True)
class Release:
    """A published release as read from disk."""

    version: str
    published: datetime.date
    counts: dict  # table name: rows
    changelog: dict  # changes.json: tables' added/removed/changed keys, figures in detail
    path: Path
    files: tuple = ()  # file names, the zip first
    sizes: dict = field(default_factory=dict)  # file name: bytes
    tables: tuple = ()  # ReleaseTable, in the package's order

    @property
    def zip_name(self):
        return ZIP_NAME.format(version=self.version)

    @property
    def zip_size(self):
        return self.sizes.get(self.zip_name, 0)

    @property
    def is_first(self):
        return not self.changelog.get("previous")


def releases_dir():
    return Path(settings.CASEBOOK_RELEASES_DIR)


def parse_version(text):
    """(major, minor, patch) of a semantic version such as 1.2.0, or None."""
    match = VERSION_PATTERN.match(text or "")
    return tuple(int(part) for part in match.groups()) if match else None


def check_new_version(version, existing):
    """Refuse `version` unless it is MAJOR.MINOR.PATCH and above every version in `existing`."""
    parsed = parse_version(version)
    if parsed is None:
        raise ReleaseError(
            f"“{version}” is not a version: use MAJOR.MINOR.PATCH, e.g. 1.0.0 or 1.2.3."
        )
    if version in existing:
        raise ReleaseError(f"Release {version} already exists; a published release never changes.")
    newest = max(existing, key=parse_version, default=None)
    if newest is not None and parsed <= parse_version(newest):
        raise ReleaseError(f"Release {version} must be newer than the latest, {newest}.")


def version_folders(root):
    """The names of `root`'s folders that are versions, complete releases or not."""
    if not root.is_dir():
        return []
    return [entry.name for entry in root.iterdir() if entry.is_dir() and parse_version(entry.name)]


# Reading releases -----------------------------------------------------------------------------

_cache = {"key": None, "releases": []}
_cache_lock = threading.Lock()
_reported_broken = set()


def list_releases():
    """Every complete release on disk, newest first; cached until the folder changes."""
    root = releases_dir()
    try:
        # The listing too: a folder's time may not change between two renames in a few ms.
        key = (str(root), root.stat().st_mtime_ns, tuple(sorted(os.listdir(root))))
    except OSError:
        return []
    with _cache_lock:
        if _cache["key"] != key:
            _cache["releases"] = _read_releases(root)
            _cache["key"] = key
        return list(_cache["releases"])


def latest():
    """The newest release, or None when there is none."""
    releases = list_releases()
    return releases[0] if releases else None


def get_release(version):
    """The release `version`, or None."""
    return next((release for release in list_releases() if release.version == version), None)


def _read_releases(root):
    releases = []
    for name in sorted(version_folders(root), key=parse_version, reverse=True):
        try:
            releases.append(read_release(root / name))
        except (OSError, ValueError, KeyError, TypeError) as error:
            if name not in _reported_broken:
                _reported_broken.add(name)
                logger.warning("release %s skipped: not a complete release (%s)", name, error)
    return releases


def read_release(path):
    """The release in the folder `path`; ValueError, KeyError or OSError when it is not one."""
    descriptor = json.loads((path / DESCRIPTOR).read_text(encoding="utf-8"))
    changes = json.loads((path / CHANGES).read_text(encoding="utf-8"))
    if descriptor["version"] != path.name:
        raise ValueError(f"its datapackage.json says version {descriptor['version']}")
    zip_name = ZIP_NAME.format(version=path.name)
    # Only what the release published: the files its checksums name, those, and its zip.
    checksums = (path / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    names = [line.split("  ", 1)[1] for line in checksums if "  " in line]
    names = [name for name in [*names, CHECKSUMS, zip_name] if (path / name).is_file()]
    missing = {DESCRIPTOR, CHANGES, CHECKSUMS, zip_name} - set(names)
    missing |= {resource["path"] for resource in descriptor["resources"]} - set(names)
    if missing:
        raise ValueError(f"missing {', '.join(sorted(missing))}")
    files = (zip_name, *sorted(name for name in names if name != zip_name))
    counts = changes["counts"]
    tables = tuple(
        ReleaseTable(
            name=resource["name"],
            path=resource["path"],
            title_en=resource.get("title", resource["name"]),
            title_zh=resource.get("title_zh", resource.get("title", resource["name"])),
            rows=counts.get(resource["name"], 0),
        )
        for resource in descriptor["resources"]
    )
    return Release(
        version=path.name,
        published=datetime.date.fromisoformat(descriptor["created"][:10]),
        counts=changes["counts"],
        changelog=changes,
        path=path,
        files=files,
        sizes={name: (path / name).stat().st_size for name in files},
        tables=tables,
    )


def read_table(path):
    """A release's CSV as (header, rows of cells), read back as written (formula guards off)."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, [])
        return header, [[without_formula_guard(cell) for cell in row] for row in reader]


# Comparing releases ---------------------------------------------------------------------------


def keyed(header, rows, primary_key):
    """{key: {column: cell}} of a table's rows, the key joining the primary key's cells."""
    positions = [header.index(name) for name in primary_key]
    return {
        "/".join(row[i] for i in positions): dict(zip(header, row, strict=True)) for row in rows
    }


def compare_table(before, after):
    """What changed between two tables, each (header, keyed rows): sorted keys added, removed
    and changed, and for each changed row {column: [before, after]} over the columns both
    releases have."""
    (before_header, before), (after_header, after) = before, after
    shared = [column for column in after_header if column in before_header]
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = {}
    for key in sorted(set(before) & set(after)):
        fields = {
            column: [before[key][column], after[key][column]]
            for column in shared
            if before[key][column] != after[key][column]
        }
        if fields:
            changed[key] = fields
    return added, removed, changed


def previous_tables(release):
    """{table name: keyed rows} of a published release, read from its own files."""
    descriptor = json.loads((release.path / DESCRIPTOR).read_text(encoding="utf-8"))
    tables = {}
    for resource in descriptor["resources"]:
        header, rows = read_table(release.path / resource["path"])
        tables[resource["name"]] = (header, keyed(header, rows, resource["schema"]["primaryKey"]))
    return tables


def changes_since(previous, current, version):
    """changes.json: counts, and what was added, removed and changed in each table since the
    `previous` release (None for the first), figures field by field with before and after."""
    changes = {
        "version": version,
        "previous": previous.version if previous else None,
        "counts": {name: len(rows) for name, (_header, rows) in current.items()},
        "tables": {},
        "figures": {"added": [], "changed": [], "removed": []},
    }
    if previous is None:
        return changes
    before_tables = previous_tables(previous)
    for name, after in current.items():
        added, removed, changed = compare_table(before_tables.get(name, ([], {})), after)
        changes["tables"][name] = {
            "added": added,
            "removed": removed,
            "changed": sorted(changed),
        }
        if name == "figures":
            changes["figures"] = {
                "added": added,
                "changed": [{"slug": slug, "fields": changed[slug]} for slug in sorted(changed)],
                "removed": removed,
            }
    changes["tables_dropped"] = sorted(set(before_tables) - set(current))
    return changes


# Writing a release ----------------------------------------------------------------------------


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_csv(path, header, rows):
    """UTF-8 with a byte-order mark and CRLF line ends, as Excel expects."""
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def build_release(version, notes="", now=None, notes_zh=""):
    """Write release `version` of the public data and return it (see the module's docstring),
    with `notes` on what it brings in English and `notes_zh` in Chinese. Raises ReleaseError
    for a version that is malformed, taken or not above the latest."""
    root = releases_dir()
    check_new_version(version, version_folders(root))
    now = now or timezone.now()
    previous = latest()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".building-{version}-", dir=root))
    try:
        _write_package(staging, version, {"notes": notes, "notes_zh": notes_zh}, now, previous)
        staging.chmod(0o755)  # mkdtemp's folder is private; a release is for everyone to read
        if (root / version).exists():
            raise ReleaseError(f"Release {version} appeared while this one was being written.")
        os.rename(staging, root / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return read_release(root / version)


def _write_package(folder, version, notes, now, previous):
    """Write every file of the package into `folder`; `notes` holds "notes" and "notes_zh"."""
    current, resources = {}, []
    for table in TABLES:
        cells = table.cells()
        write_csv(folder / table.path, table.header, cells)
        as_read = [[without_formula_guard(cell) for cell in row] for row in cells]
        current[table.name] = (table.header, keyed(table.header, as_read, table.primary_key))
        resources.append(release_texts.resource(table, folder / table.path, sha256_of))
    try:
        changes = changes_since(previous, current, version)
    except (OSError, ValueError, KeyError) as error:
        raise ReleaseError(
            f"Release {previous.version}'s files could not be read to list the changes: {error}"
        ) from error
    changes.update(notes)
    changes["published"] = now.date().isoformat()
    write_text(folder / CHANGES, json.dumps(changes, ensure_ascii=False, indent=2) + "\n")
    write_text(folder / "CHANGELOG.md", release_texts.changelog(changes))
    write_text(folder / "README.md", release_texts.readme(version, changes, TABLES))
    write_text(folder / "LICENSE", release_texts.LICENSE_TEXT)
    descriptor = release_texts.descriptor(version, now, resources)
    write_text(folder / DESCRIPTOR, json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    names = sorted(entry.name for entry in folder.iterdir())
    write_text(folder / CHECKSUMS, "".join(f"{sha256_of(folder / n)}  {n}\n" for n in names))
    write_zip(folder, version, [*names, CHECKSUMS])


def write_text(path, text):
    path.write_text(text, encoding="utf-8", newline="\n")


def write_zip(folder, version, names):
    """The package as one zip, its files under a folder named after the release."""
    archive = folder / ZIP_NAME.format(version=version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name in sorted(names):
            entry = zipfile.ZipInfo(f"{PACKAGE_NAME}-{version}/{name}", ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zipped.writestr(entry, (folder / name).read_bytes())
    archive.write_bytes(buffer.getvalue())
