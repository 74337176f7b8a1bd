"""Publish a versioned data release of the public data as a Frictionless data package.

    python manage.py release 1.0.0
    python manage.py release 1.1.0 --notes "Figures from Tencent's 2023 report added."

It writes `CASEBOOK_RELEASES_DIR/VERSION/` (by default `releases/` in the project folder), which
/data/ lists and serves. What the package holds and how it is written is in `cases.releases`.
"""

from django.core.management.base import BaseCommand, CommandError

from cases.releases import ReleaseError, build_release


class Command(BaseCommand):
    help = (
        "Write data release VERSION (MAJOR.MINOR.PATCH, newer than the latest) of the public "
        "data: a Frictionless data package with one CSV per table, its README, licence, "
        "checksums, a zip, and the changes since the previous release."
    )

    def add_arguments(self, parser):
        parser.add_argument("version", help="The new release's version, e.g. 1.2.0.")
        parser.add_argument(
            "--notes", default="", help="A sentence on what this release brings, for its changelog."
        )
        parser.add_argument("--notes-zh", default="", help="The same sentence in Chinese.")

    def handle(self, *args, version, notes, notes_zh, **options):
        try:
            release = build_release(version.strip(), notes.strip(), notes_zh=notes_zh.strip())
        except ReleaseError as error:
            raise CommandError(str(error)) from error
        figures = release.changelog["figures"]
        self.stdout.write(f"Release {release.version} written to {release.path}")
        self.stdout.write(", ".join(f"{name} {count}" for name, count in release.counts.items()))
        if release.is_first:
            self.stdout.write("First release.")
        else:
            self.stdout.write(
                f"Since {release.changelog['previous']}: figures "
                f"{len(figures['added'])} added, {len(figures['changed'])} changed, "
                f"{len(figures['removed'])} removed."
            )
