"""A figure's own page, and the forms readers report a wrong figure or case with."""

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from csrsite import throttle

from . import citations
from .corrections import ReportForm
from .figure_history import public_history
from .models import Correction, Metric, Project
from .page_cache import cached_page
from .spreadsheet import plain_number

# Readers' reports per address (csrsite/throttle.py); "report" counts CSP reports.
THROTTLE_GROUP = "correction"


@require_safe
@cached_page
def figure_detail(request, slug):
    """One public figure: its value as the document gives it, where it comes from, where it
    appears, and the history of its public changes."""
    figure = get_object_or_404(Metric.objects.for_page(), slug=slug)
    context = {
        "figure": figure,
        "base_value": plain_number(figure.value, grouped=True),
        "base_value_high": plain_number(figure.value_high, grouped=True),
        "history": public_history(figure),
        "citation": citations.for_figure(figure, request),
    }
    return render(request, "cases/figure_detail.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_figure(request, slug):
    figure = get_object_or_404(Metric.objects.public().for_display(), slug=slug)
    report = Correction(figure=figure, case_id=figure.project_id)
    sent = reverse("cases:figure_report_sent", args=[slug])
    return report_form(request, report, sent, {"figure": figure})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_case(request, slug):
    case = get_object_or_404(Project.objects.published().select_related("company"), slug=slug)
    sent = reverse("cases:case_report_sent", args=[slug])
    return report_form(request, Correction(case=case), sent, {"case": case})


def report_form(request, report, sent_url, context):
    """GET shows the form; a valid POST stores the report in one save and redirects to the
    thanks page. A filled honeypot gets the thanks page too, and nothing is stored."""
    form = ReportForm(instance=report)
    if request.method == "POST":
        throttle.check(request, THROTTLE_GROUP)
        form = ReportForm(request.POST, instance=report)
        if form.is_from_a_robot:
            return redirect(sent_url)
        if form.is_valid():
            with transaction.atomic():
                form.save()
            return redirect(sent_url)
    return render(request, "cases/report_form.html", {**context, "form": form})


@require_safe
def figure_report_sent(request, slug):
    figure = get_object_or_404(Metric.objects.public().select_related("indicator"), slug=slug)
    return render(request, "cases/report_sent.html", {"figure": figure})


@require_safe
def case_report_sent(request, slug):
    case = get_object_or_404(Project.objects.published(), slug=slug)
    return render(request, "cases/report_sent.html", {"case": case})
