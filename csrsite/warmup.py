"""A new worker's first answers, paid for before it takes requests.

A gunicorn worker starts with nothing compiled: its first request of each page compiles the
page's templates, and its first chart loads plotly's catalogue of attributes (a 3.8 MB file)
and the classes of each kind of trace, about 100 ms in all on our machine. Workers are
replaced every couple of thousand requests (gunicorn.conf.py), so without this a visitor
would meet that cost every few minutes on a busy site; the benchmark's cold requests met
it too. `warm()` compiles every template and draws one small chart of each kind the pages
draw, from made-up values, touching neither the database nor the cache, so a worker starts
even when those are down.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template

logger = logging.getLogger(__name__)


def templates():
    """Compile every template of the project's templates folder into the cached loader."""
    count = 0
    for folder in settings.TEMPLATES[0]["DIRS"]:
        root = Path(folder)
        for path in sorted(root.rglob("*.html")) + sorted(root.rglob("*.xml")):
            try:
                get_template(str(path.relative_to(root)))
            except (TemplateDoesNotExist, TemplateSyntaxError):
                # Reported where the template is used, as ever; a warm-up never stops a start.
                logger.exception("warm-up could not compile %s", path)
                continue
            count += 1
    return count


def charts():
    """One small chart of each kind pages draw (bars, lines over dates, grouped bars)."""
    from cases import charts as casebook_charts
    from cases import figure_charts, index_charts
    from cases.plotting import Point, Series

    measure = ("warm-up", "人")
    bars = Series(
        "warm-up",
        "人",
        [
            Point("A", 1, "1人", as_of="2024年", group="A", measure=measure),
            Point("B", 2, "2人", high=3, as_of="2024年", group="B", measure=measure),
        ],
    )
    dated = Series(
        "warm-up",
        "人",
        [
            Point("2023-12-31", 1, "1人", as_of="2023年底", group="A", measure=measure),
            Point("2024-12-31", 2, "2人", as_of="2024年底", group="A", measure=measure),
        ],
    )
    for language in ("zh-hans", "en"):
        figure_charts.comparison_bars(bars, ["A", "B"], language)
        figure_charts.values_over_time(dated, language)
        casebook_charts.growth_line(dated, language)
        casebook_charts.cases_per_issue([("A", 1), ("B", 2)], language)
        casebook_charts.launches_per_year({2023: 1, 2024: 2, None: 1}, language)
        casebook_charts.coverage_grid(["A", "B"], ["C"], {("A", "C"): 1}, language)
        figure_charts.figures_by_category([("people", "A", 1), ("money", "B", 2)], language)
        casebook_charts.industry_context([dated, dated], language)
        casebook_charts.milestone_timeline([("2023-01-01", "2023年", "A")], language)
        dimensions = [("Mission", "mission"), ("Finance", "finance")]
        scored = {"mission": 50.0, "finance": 25.0}
        index_charts.dimension_scores([("A", scored), ("B", {})], dimensions, language)
        index_charts.ranking([("A", scored, 37.5)], dimensions, {}, language)
        index_charts.distribution([37.5, 80.0], language)


def warm():
    """Compile the templates and draw the charts once; log how long it took. Never raises:
    a worker that could not warm up still answers, only its first requests are slower."""
    started = time.perf_counter()
    try:
        count = templates()
        charts()
    except Exception:
        logger.exception("warm-up failed; the worker starts cold")
        return
    elapsed = round(1000 * (time.perf_counter() - started))
    logger.info("worker warmed up", extra={"fields": [("templates", count), ("ms", elapsed)]})
