"""Check every figure against the text of the document it cites.

    python manage.py verify_sources ../shared/seeds

For each figure: its source names a file (``Source.file_name``) that must be in the folder
and readable as UTF-8 text; the original wording must point to exactly one place in that text
(on its own, not inside a longer number: 9个 is not found in 79个), with the words around it
(``wording_context``) where the wording alone occurs more than once; and the value,
range, qualifier and unit must be what the wording says. The quotation an index assessment
gives as its evidence must likewise point to exactly one place in its document. Every failure
is printed with the record it concerns; the command exits with status 1 if any figure fails.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from cases.models import Assessment, Metric, Source, Unit
from cases.wording import anchor_problem, check_figure, normalise, unit_spellings


def read_document(folder, file_name):
    """The normalised text of ``folder/file_name``, or raise ValueError saying what is wrong."""
    path = folder / file_name
    if not path.exists():
        raise ValueError(f"document {file_name} is not in {folder}")
    if not path.is_file():
        raise ValueError(f"document {file_name} in {folder} is not a file")
    try:
        return normalise(path.read_text(encoding="utf-8"))
    except PermissionError:
        raise ValueError(f"document {path} cannot be read: permission denied") from None
    except UnicodeDecodeError as error:
        raise ValueError(
            f"document {path} cannot be read as UTF-8 text (bad byte at position {error.start})"
        ) from None
    except OSError as error:
        raise ValueError(f"document {path} cannot be read: {error.strerror}") from None


def metric_problems(metric, text, spellings):
    """Every way ``metric`` disagrees with its document's (normalised) ``text``."""
    problems = []
    if not metric.original_wording.strip():
        return ["it has no original wording"]
    problem = anchor_problem(
        text, normalise(metric.original_wording), normalise(metric.wording_context)
    )
    if problem:
        problems.append(f"{problem} ({metric.source.file_name})")
    problems.extend(str(problem) for problem in check_figure(metric, spellings))
    return problems


class Command(BaseCommand):
    help = (
        "Check every figure's original wording against the source documents in DIR "
        "(matched by the source's file name) and that its value, qualifier and unit agree "
        "with that wording."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="Folder holding the source documents.")

    @no_translations
    def handle(self, *args, folder, **options):
        folder = Path(folder)
        if not folder.exists():
            raise CommandError(f"Folder not found: {folder}")
        if not folder.is_dir():
            raise CommandError(f"Not a folder: {folder}")

        documents, unreadable = {}, {}
        for source in Source.objects.exclude(file_name=""):
            try:
                documents[source.pk] = read_document(folder, source.file_name)
            except ValueError as error:
                unreadable[source.pk] = str(error)
        spellings = unit_spellings(Unit.objects.all())

        metrics = Metric.objects.select_related("source", "unit", "project", "company").order_by(
            "source__slug", "slug"
        )
        failures = 0
        for metric in metrics:
            if not metric.source.file_name:
                problems = [f"its source “{metric.source.slug}” names no document file"]
            elif metric.source_id in unreadable:
                problems = [unreadable[metric.source_id]]
            else:
                problems = metric_problems(metric, documents[metric.source_id], spellings)
            if problems:
                failures += 1
                owner = metric.project or metric.company or "industry-wide"
                for problem in problems:
                    self.stderr.write(f"FAIL {metric.slug} ({owner}): {problem}")

        quoted = (
            Assessment.objects.exclude(quotation="")
            .select_related("project", "indicator", "source")
            .order_by("project__slug", "indicator__slug", "status")
        )
        for assessment in quoted:
            problem = None
            if assessment.source_id in unreadable:
                problem = unreadable[assessment.source_id]
            elif assessment.source_id in documents:
                found = anchor_problem(
                    documents[assessment.source_id], normalise(assessment.quotation)
                )
                problem = found and f"{found} ({assessment.source.file_name})"
            else:
                problem = f"its source “{assessment.source.slug}” names no document file"
            if problem:
                failures += 1
                self.stderr.write(
                    f"FAIL assessment {assessment.project.slug} / {assessment.indicator.slug}: "
                    f"the quotation: {problem}"
                )

        for message in sorted(set(unreadable.values())):
            self.stderr.write(f"ERROR {message}")
        summary = (
            f"Checked {metrics.count()} figures and {quoted.count()} quoted assessments against "
            f"{len(documents)} documents in {folder}: {failures} failed."
        )
        if failures or unreadable:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
