"""Scores on the social value impact index, for a case, a company and a comparison.

A case's score on a dimension is the mean of its assessed indicators' levels there, as a share
of the top level (0 to 100); its index is the weighted mean of its dimension scores, the reader
choosing the weights (equal by default). Indicators not assessed count in neither, and a case's
coverage says how many of the fourteen were assessed: a case is ranked only with enough.
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from .models import Assessment, IndexDimension, IndexIndicator, Project
from .models.index import TOP_LEVEL, scorecard_prefetch
from .spreadsheet import spreadsheet_safe

# A case is ranked when at least this many of the fourteen indicators are assessed and every
# dimension has at least one: fewer would rank a case on what little the documents say.
RANKING_COVERAGE = 9
# The reader's weight for one dimension, at most; larger values are refused, not capped.
MAX_WEIGHT = 100


@dataclass
class DimensionScore:
    dimension: IndexDimension
    cells: list  # (indicator, assessment or None)
    score: float | None = None

    @property
    def assessed(self):
        return sum(
            1 for _indicator, assessment in self.cells if assessment and assessment.is_assessed
        )


@dataclass
class Scorecard:
    """One case's levels on every indicator, grouped by dimension, with its scores."""

    case: Project
    dimensions: list
    index: float | None = None
    coverage: int = 0
    total: int = 0

    @property
    def ranked(self):
        return self.coverage >= RANKING_COVERAGE and all(
            dimension.score is not None for dimension in self.dimensions
        )

    @property
    def scores(self):
        """{dimension slug: score or None}, as a `Standing` has them."""
        return {d.dimension.slug: d.score for d in self.dimensions}

    def score_of(self, slug):
        return next((d.score for d in self.dimensions if d.dimension.slug == slug), None)


def framework():
    """The dimensions with their indicators, in order: [(dimension, [indicators])]."""
    indicators = list(IndexIndicator.objects.in_order())
    grouped = {}
    for indicator in indicators:
        grouped.setdefault(indicator.dimension, []).append(indicator)
    return list(grouped.items())


def weighted_mean(scores, weights):
    """The mean of `scores` ({slug: score or None}) weighted by `weights` (1 where not
    given); None without any score or weight. One pass: the index page takes the mean of
    every published case's dimensions."""
    total = weighted = 0
    for slug, score in scores.items():
        if score is not None:
            weight = weights.get(slug, 1)
            total += weight
            weighted += score * weight
    return weighted / total if total else None


def scorecard(case, structure, weights):
    """`case`'s scorecard from its prefetched `scorecard` (confirmed assessments), on the
    `framework()` structure, its index weighted by `weights` ({dimension slug: weight})."""
    by_indicator = {assessment.indicator_id: assessment for assessment in case.scorecard}
    dimensions = []
    for dimension, indicators in structure:
        cells = [(indicator, by_indicator.get(indicator.pk)) for indicator in indicators]
        levels = [a.level for _i, a in cells if a is not None and a.level is not None]
        score = 100 * sum(levels) / (TOP_LEVEL * len(levels)) if levels else None
        dimensions.append(DimensionScore(dimension, cells, score))
    card = Scorecard(case, dimensions, total=sum(len(i) for _d, i in structure))
    card.coverage = sum(dimension.assessed for dimension in dimensions)
    card.index = weighted_mean({d.dimension.slug: d.score for d in dimensions}, weights)
    return card


def scorecards(cases, weights=None, structure=None):
    """Scorecards of `cases` (loaded with `scorecard_prefetch()`), ranked cases first by
    index, then the rest by coverage. `structure` is `framework()`, read here if not given."""
    structure = framework() if structure is None else structure
    weights = weights or {}
    cards = [scorecard(case, structure, weights) for case in cases]
    return sorted(
        cards,
        key=lambda card: (not card.ranked, -(card.index or 0), -card.coverage, card.case.name_en),
    )


def cases_with_scorecards(queryset=None, levels_only=False):
    """Published cases with their company and confirmed assessments, for scorecards; with
    `levels_only`, for scores alone (see `scorecard_prefetch`)."""
    queryset = queryset if queryset is not None else Project.objects.published()
    return (
        queryset.select_related("company__parent")
        .prefetch_related(scorecard_prefetch(levels_only=levels_only))
        .without_documents()
    )


@dataclass
class Standing:
    """A case's scores without its levels' records: what ranking thousands of cases needs.
    `scores` are {dimension slug: score or None}; `ranked` as a scorecard's."""

    case_id: int
    company_id: int
    name_en: str
    scores: dict
    coverage: int
    index: float | None = None
    ranked: bool = False

    def score_of(self, slug):
        return self.scores.get(slug)


def standings(cases, weights=None, structure=None):
    """The standings of `cases` (a queryset of published cases) in the order `scorecards`
    gives: the same numbers as their scorecards, from one query that sums each case's
    confirmed levels per dimension in SQL (a row per case), never loading an assessment, so
    ranking thousands of cases stays cheap."""
    structure = framework() if structure is None else structure
    weights = weights or {}
    dimensions = [dimension for dimension, _indicators in structure]
    slugs = [dimension.slug for dimension in dimensions]
    assessed = Q(assessments__status=Assessment.Status.CONFIRMED, assessments__level__isnull=False)
    sums = {}
    for dimension in dimensions:
        in_dimension = assessed & Q(assessments__indicator__dimension=dimension)
        sums[f"total_{dimension.pk}"] = Sum("assessments__level", filter=in_dimension)
        # Levels, not rows: the same count (a counted level is never null), read from the
        # assessments' index.
        sums[f"assessed_{dimension.pk}"] = Count("assessments__level", filter=in_dimension)
    found = cases.order_by().values_list("pk", "company_id", "name_en").annotate(**sums)
    rows = []
    for case_id, company_id, name_en, *numbers in found:
        counts = numbers[1::2]
        values = [
            100 * total / (TOP_LEVEL * n) if n else None
            for total, n in zip(numbers[::2], counts, strict=True)
        ]
        scores = dict(zip(slugs, values, strict=True))
        coverage = sum(counts)
        ranked = coverage >= RANKING_COVERAGE and None not in values
        index = weighted_mean(scores, weights)
        rows.append(Standing(case_id, company_id, name_en, scores, coverage, index, ranked))
    return sorted(
        rows, key=lambda row: (not row.ranked, -(row.index or 0), -row.coverage, row.name_en)
    )


def scorecards_of(rows, weights=None, structure=None):
    """Full scorecards (levels and all) of the cases of `rows` (standings), in their order:
    for the few a page shows of a ranking made by `standings`."""
    ids = [row.case_id for row in rows]
    cases = cases_with_scorecards(Project.objects.filter(pk__in=ids), levels_only=True)
    cards = {card.case.pk: card for card in scorecards(cases, weights, structure)}
    return [cards[pk] for pk in ids if pk in cards]


@dataclass
class GroupSummary:
    """A company's (or compare column's) scores: the mean of its ranked cases' dimension
    scores and index, each case counted once, with each indicator's mean level."""

    cards: list
    dimensions: dict = field(default_factory=dict)
    index: float | None = None
    indicators: dict = field(default_factory=dict)  # indicator pk: (mean level, cases assessed)

    @property
    def ranked_cases(self):
        return [card for card in self.cards if card.ranked]


def summarise_cases(cases, structure=None, groups=None):
    """The summary of `cases` (a queryset of published cases; one company's, say): the mean
    dimension scores and index of its ranked cases, each counted once (unranked cases are
    left out of them), and every case's levels' mean on each indicator. From their
    `standings` and one GROUP BY of levels per lead company and indicator, however many
    cases there are. With `groups` (sets of company ids), a list with the summary of
    each group's cases instead, from the same two queries. A summary's `cards` are
    standings."""
    rows = standings(cases, structure=structure)
    levels = list(
        Assessment.objects.confirmed()
        .filter(project__in=cases.order_by().values("pk"), level__isnull=False)
        .values_list("project__company_id", "indicator_id")
        .annotate(total=Sum("level"), assessed=Count("level"))
        .order_by()
    )
    summaries = []
    for group in [None] if groups is None else groups:
        summary = _ranked_means(
            GroupSummary([row for row in rows if group is None or row.company_id in group])
        )
        sums = {}
        for company_id, indicator_id, total, assessed in levels:
            if group is None or company_id in group:
                before = sums.get(indicator_id, (0, 0))
                sums[indicator_id] = (before[0] + total, before[1] + assessed)
        summary.indicators = {pk: (total / n, n) for pk, (total, n) in sums.items()}
        summaries.append(summary)
    return summaries[0] if groups is None else summaries


def _ranked_means(summary):
    """`summary` with the mean dimension scores and index of its ranked cases."""
    ranked = summary.ranked_cases
    if ranked:
        for slug in ranked[0].scores:
            values = [card.score_of(slug) for card in ranked]
            summary.dimensions[slug] = sum(values) / len(values)
        summary.index = sum(card.index for card in ranked) / len(ranked)
    return summary


# Reader's weights -----------------------------------------------------------------------------


def weight_parameter(dimension):
    return f"w-{dimension.slug}"


def read_weights(params, dimensions):
    """({dimension slug: weight}, messages) from the URL's `w-<dimension>` parameters. A
    weight that is not a number from 0 to MAX_WEIGHT is named in a message and every weight
    falls back to equal, as it does when all are zero."""
    weights, problems = {}, []
    for dimension in dimensions:
        raw = params.get(weight_parameter(dimension), "").strip()
        if not raw:
            weights[dimension.slug] = 1
            continue
        try:
            value = Decimal(raw[:20])
            if not value.is_finite() or value < 0 or value > MAX_WEIGHT:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(
                _("The weight of %(dimension)s must be a number from 0 to %(max)s.")
                % {"dimension": dimension.name, "max": MAX_WEIGHT}
            )
            continue
        weights[dimension.slug] = float(value)
    known = {weight_parameter(dimension) for dimension in dimensions}
    unknown = [name for name in params if name.startswith("w-") and name not in known]
    if unknown:
        problems.append(_("There is no dimension “%(name)s”.") % {"name": unknown[0][2:40]})
    if problems or not any(weights.values()):
        if not problems:
            problems.append(_("All weights are zero, so every dimension counts equally."))
        else:
            problems.append(_("Every dimension counts equally instead."))
        return {dimension.slug: 1 for dimension in dimensions}, problems
    return weights, []


# The download --------------------------------------------------------------------------------

ASSESSMENT_COLUMNS = [
    "case",
    "case_zh",
    "case_en",
    "company",
    "dimension",
    "indicator",
    "indicator_zh",
    "indicator_en",
    "level",
    "top_level",
    "derived",
    "evidence_zh",
    "evidence_en",
    "quotation",
    "source",
    "locator",
    "case_page",
    "dimension_score",
    "case_index",
    "case_coverage",
    "case_ranked",
]


def write_assessments_csv(stream, cards, absolute_url):
    """Write one row per case and indicator of `cards` (UTF-8 with a byte-order mark): the
    level, empty when not assessed, its evidence, and the case's scores at equal weights."""
    stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=ASSESSMENT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for card in cards:
        case = card.case
        for dimension in card.dimensions:
            for indicator, assessment in dimension.cells:
                found = assessment if assessment is not None and assessment.is_assessed else None
                text = {
                    "case": case.slug,
                    "case_zh": case.name_zh,
                    "case_en": case.name_en,
                    "company": case.company.slug,
                    "dimension": dimension.dimension.slug,
                    "indicator": indicator.slug,
                    "indicator_zh": indicator.name_zh,
                    "indicator_en": indicator.name_en,
                    "evidence_zh": assessment.evidence_zh if assessment else "",
                    "evidence_en": assessment.evidence_en if assessment else "",
                    "quotation": assessment.quotation if assessment else "",
                    "source": assessment.source.slug if assessment and assessment.source else "",
                    "locator": assessment.locator if assessment else "",
                }
                row = {name: spreadsheet_safe(value) for name, value in text.items()}
                row.update(
                    {
                        "level": "" if found is None else found.level,
                        "top_level": TOP_LEVEL,
                        "derived": int(bool(assessment and assessment.derived)),
                        "case_page": absolute_url(case.get_absolute_url()),
                        "dimension_score": _plain_score(dimension.score),
                        "case_index": _plain_score(card.index),
                        "case_coverage": card.coverage,
                        "case_ranked": int(card.ranked),
                    }
                )
                writer.writerow(row)


def _plain_score(score):
    return "" if score is None else f"{score:.1f}"
