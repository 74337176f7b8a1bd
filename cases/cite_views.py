"""Citation downloads: a case, a figure, a source document or the dataset as a BibTeX or RIS
file for reference managers (`cases.citation_files` writes them). Drafts and figures of drafts
are not found, like their pages."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from . import citation_files, citations
from .models import Metric, Project, Source

FORMATS = {
    "bib": (citation_files.bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (citation_files.ris, "application/x-research-info-systems; charset=utf-8"),
}

CITABLE = {
    "case": lambda: Project.objects.published(),
    "figure": lambda: Metric.objects.public().select_related("project", "company", "source"),
    "source": lambda: Source.objects.all(),
}


def download(reference, fmt, name):
    """`reference` written in `fmt` as an attachment named csi-casebook-<name>[-en].<fmt>."""
    write, content_type = FORMATS[fmt]
    response = HttpResponse(write(reference), content_type=content_type)
    suffix = "" if get_language() == "zh-hans" else f"-{get_language()}"
    response["Content-Disposition"] = f'attachment; filename="csi-casebook-{name}{suffix}.{fmt}"'
    return response


@require_safe
def cite(request, kind, slug, fmt):
    """/cite/<kind>/<slug>.<fmt>: a case, figure or source as BibTeX (bib) or RIS (ris)."""
    if kind not in CITABLE or fmt not in FORMATS:
        raise Http404
    record = get_object_or_404(CITABLE[kind](), slug=slug)
    reference = citations.reference_for(kind, record, request)
    return download(reference, fmt, f"{kind}-{slug}")


@require_safe
def cite_dataset(request, fmt):
    """/cite/dataset.<fmt>: the casebook's data as a whole."""
    if fmt not in FORMATS:
        raise Http404
    return download(citations.reference_for("dataset", None, request), fmt, "dataset")
