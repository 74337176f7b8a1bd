"""The social value impact index's derived levels: what follows from the casebook's data.

A level is derived by the rule its indicator names (`IndexIndicator.method`), from a case
with its partners, milestones, figures and sources loaded; it is stored as a confirmed,
derived assessment whose history says why it moved (`refresh`), and refreshed whenever the
data it is derived from change. Scores are in `cases.scores`.
"""

import threading
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation
from django.utils.translation import gettext as _

from .dates import format_partial_date
from .models import (
    Assessment,
    Company,
    IndexIndicator,
    Metric,
    Milestone,
    Partnership,
    Project,
)

Method = IndexIndicator.Method

# Coverage figures, by the administrative level they count.
LEVEL_OF_COVERAGE = {
    "provinces-covered": ("省", "provinces"),
    "cities-covered": ("市", "cities"),
    "counties-covered": ("县", "counties"),
    "villages-covered": ("村", "villages"),
}
# Reaching this many provinces or cities is national in scale.
NATIONAL_PROVINCES, NATIONAL_CITIES = 10, 30
# Money figures that say how much went into or was raised for a programme, and what it spent
# (the curated documents report no spending yet; an editor records it as `money-spent`).
FUNDING_INDICATORS = {"money-committed", "money-raised", "online-giving"}
SPENDING_INDICATORS = {"money-spent"}


@dataclass(frozen=True)
class Finding:
    """A derived level (None: not assessed) and why, in both languages."""

    level: int | None
    evidence_zh: str
    evidence_en: str


def _both(chinese, english):
    return Finding(None, chinese, english)


def _wordings(figures):
    """The figures' original wordings, listed in Chinese and in English."""
    return (
        "、".join(figure.original_wording for figure in figures),
        ", ".join(figure.original_wording for figure in figures),
    )


def _dates(day, precision):
    return (
        format_partial_date(day, precision, "zh-hans"),
        format_partial_date(day, precision, "en"),
    )


# Derivations ---------------------------------------------------------------------------------


def business_fit(case):
    """Built into a product or platform: 2; a company's capabilities put beside its business
    (training, research, partnership …): 1; a donation or fund apart from it: 0."""
    mechanism = Project.Mechanism(case.mechanism)
    level = {Project.Mechanism.PRODUCT: 2, Project.Mechanism.PLATFORM: 2}.get(mechanism, 1)
    if mechanism == Project.Mechanism.DONATION:
        level = 0
    with translation.override("zh-hans"):
        chinese = _("Mechanism: %(mechanism)s.") % {"mechanism": mechanism.label}
    with translation.override("en"):
        english = _("Mechanism: %(mechanism)s.") % {"mechanism": mechanism.label}
    return Finding(level, chinese, english)


def collaboration(case):
    """Two or more partners, each with the part it plays: 2; any partner named: 1; none: 0."""
    partners = list(case.partnerships.all())
    described = [partner for partner in partners if partner.role_zh.strip()]
    names_zh = "、".join(partner.company.name_zh for partner in partners)
    names_en = ", ".join(partner.company.name_en for partner in partners)
    if not partners:
        return Finding(0, "来源文件未提到合作方。", "The sources name no partner.")
    level = 2 if len(described) >= 2 else 1
    named = "1 partner named" if len(partners) == 1 else f"{len(partners)} partners named"
    return Finding(
        level,
        f"合作方{len(partners)}个，其中{len(described)}个写明所起作用：{names_zh}。",
        f"{named}, {len(described)} with the part it plays: {names_en}.",
    )


def duration(case):
    """From the launch (or the first milestone) to the latest dated record of the case:
    three years or more: 2; one to three: 1; under a year: 0."""
    milestones = list(case.milestones.all())
    if case.launched_on:
        start, start_precision = case.launched_on, case.launched_precision
    elif milestones:
        first = min(milestones, key=lambda milestone: milestone.happened_on)
        start, start_precision = first.happened_on, first.precision
    else:
        return _both(
            "来源文件没有给出启动日期或任何带日期的进展。",
            "The sources give neither a launch date nor any dated step.",
        )
    dated = [(m.happened_on, m.precision) for m in milestones] + [
        (figure.as_of, figure.as_of_precision) for figure in case.metrics.all()
    ]
    end, end_precision = max(dated, default=(start, start_precision), key=lambda pair: pair[0])
    years = (end - start).days / 365.25
    level = 2 if years >= 3 else 1 if years >= 1 else 0
    start_zh, start_en = _dates(start, start_precision)
    end_zh, end_en = _dates(end, end_precision)
    return Finding(
        level,
        f"自{start_zh}至最近一条有日期的记录（{end_zh}），约{years:.1f}年。",
        f"From {start_en} to the latest dated record ({end_en}): about {years:.1f} years.",
    )


def _own_coverage(case):
    return [
        figure
        for figure in case.metrics.all()
        if figure.indicator.slug in LEVEL_OF_COVERAGE and not figure.part_of_id
    ]


def regional_span(case):
    """National (10+ provinces, 30+ cities, or 全国 in the case's texts): 2; several cities,
    counties or provinces: 1; one place: 0; no coverage figure and no such word: not assessed."""
    figures = _own_coverage(case)
    provinces = max(
        (f.value for f in figures if f.indicator.slug == "provinces-covered"), default=0
    )
    cities = max((f.value for f in figures if f.indicator.slug == "cities-covered"), default=0)
    texts = " ".join([case.summary_zh, case.goal_zh, case.practice_zh, case.innovation_zh])
    shown_zh = "、".join(figure.original_wording for figure in figures)
    shown_en = ", ".join(figure.original_wording for figure in figures)
    if provinces >= NATIONAL_PROVINCES or cities >= NATIONAL_CITIES or "全国" in texts:
        reason_zh = f"覆盖数据：{shown_zh}。" if figures else "案例文字写明面向全国。"
        reason_en = f"Coverage figures: {shown_en}." if figures else "The case texts say 全国."
        return Finding(2, reason_zh, reason_en)
    if not figures:
        return _both(
            "来源文件没有给出覆盖地域的数据。", "The sources give no figure of the area covered."
        )
    level = 1 if max(figure.value for figure in figures) > 1 else 0
    return Finding(level, f"覆盖数据：{shown_zh}。", f"Coverage figures: {shown_en}.")


def coverage_levels(case):
    """Reaching two or more administrative levels (province, city, county, village): 2; one:
    1; no coverage figure: not assessed."""
    reached = {LEVEL_OF_COVERAGE[figure.indicator.slug] for figure in _own_coverage(case)}
    if not reached:
        return _both(
            "来源文件没有给出覆盖地域的数据。", "The sources give no figure of the area covered."
        )
    chinese = "、".join(sorted(word for word, _english in reached))
    english = ", ".join(sorted(english for _word, english in reached))
    return Finding(
        2 if len(reached) >= 2 else 1,
        f"覆盖的行政层级：{chinese}。",
        f"Administrative levels reached: {english}.",
    )


def _money(case, slugs):
    return [figure for figure in case.metrics.all() if figure.indicator.slug in slugs]


def funding_disclosed(case):
    """A figure of the money put into or raised for the programme: 2; none in the sources: 0."""
    figures = _money(case, FUNDING_INDICATORS)
    if not figures:
        return Finding(
            0,
            "来源文件没有给出投入或募集的资金数额。",
            "The sources give no amount put in or raised.",
        )
    return Finding(
        2,
        "资金数据：" + "、".join(figure.original_wording for figure in figures) + "。",
        "Money figures: " + ", ".join(figure.original_wording for figure in figures) + ".",
    )


def spending_disclosed(case):
    """How the money was used, broken down: 2; what it was spent on, as one amount: 1; nothing
    about its use: 0."""
    money = [figure for figure in case.metrics.all() if figure.unit.kind == "money"]
    parts = [figure for figure in money if figure.part_of_id]
    spent = _money(case, SPENDING_INDICATORS)
    if parts:
        return Finding(
            2,
            "资金用途有分项数据：" + "、".join(f.original_wording for f in parts) + "。",
            "The use of money is broken down: "
            + ", ".join(f.original_wording for f in parts)
            + ".",
        )
    if spent:
        return Finding(
            1,
            "给出支出数额：" + "、".join(f.original_wording for f in spent) + "。",
            "An amount spent is given: " + ", ".join(f.original_wording for f in spent) + ".",
        )
    return Finding(
        0, "来源文件没有说明资金如何使用。", "The sources do not say how any money was used."
    )


def foundation_funding(case):
    """A foundation or charity among the partners as a funder: 2; taking part otherwise: 1;
    none named: 0."""
    foundations = [
        partner for partner in case.partnerships.all() if partner.company.kind == Company.Kind.NGO
    ]
    funders = [partner for partner in foundations if partner.role == Partnership.Role.FUNDER]
    if funders:
        names = [(p.company.name_zh, p.company.name_en) for p in funders]
        return Finding(
            2,
            "出资的基金会或公益机构：" + "、".join(zh for zh, _en in names) + "。",
            "Funding foundations or charities: " + ", ".join(en for _zh, en in names) + ".",
        )
    if foundations:
        names = [(p.company.name_zh, p.company.name_en) for p in foundations]
        return Finding(
            1,
            "有基金会或公益机构参与，但未写明出资：" + "、".join(zh for zh, _en in names) + "。",
            "Foundations or charities take part, not named as funders: "
            + ", ".join(en for _zh, en in names)
            + ".",
        )
    return Finding(
        0, "来源文件未提到基金会或公益机构。", "The sources name no foundation or charity."
    )


def web_news(case):
    """Reported in a news article among the sources: 2; only in a report: 1."""
    sources = list(case.sources.all())
    news = [source for source in sources if source.kind == source.Kind.NEWS]
    if news:
        return Finding(
            2,
            "新闻报道：" + "、".join(source.title_zh for source in news) + "。",
            "News coverage: " + "; ".join(source.title_en for source in news) + ".",
        )
    if sources:
        return Finding(
            1,
            "只见于报告，来源中没有新闻报道。",
            "Only in a report; no news article among the sources.",
        )
    return _both("案例没有来源文件。", "The case cites no source.")


DERIVATIONS = {
    Method.BUSINESS_FIT: business_fit,
    Method.COLLABORATION: collaboration,
    Method.DURATION: duration,
    Method.REGIONAL_SPAN: regional_span,
    Method.COVERAGE_LEVELS: coverage_levels,
    Method.FUNDING_DISCLOSED: funding_disclosed,
    Method.SPENDING_DISCLOSED: spending_disclosed,
    Method.FOUNDATION_FUNDING: foundation_funding,
    Method.WEB_NEWS: web_news,
}


def cases_for_deriving(queryset=None):
    """Cases with everything the derivations read, in a fixed number of queries."""
    return (queryset if queryset is not None else Project.objects.all()).prefetch_related(
        "partnerships__company",
        "milestones",
        "sources",
        "metrics__indicator",
        "metrics__unit",
        "assessments",
    )


def refresh(cases=None):
    """Store every derived level of `cases` (by default all) as it follows from the data now;
    a level or evidence that changed is saved, so the history says why it moved."""
    indicators = [i for i in IndexIndicator.objects.in_order() if i.is_derived]
    for case in cases_for_deriving(cases):
        stored = {
            assessment.indicator_id: assessment
            for assessment in case.assessments.all()
            if assessment.derived
        }
        for indicator in indicators:
            finding = DERIVATIONS[indicator.method](case)
            assessment = stored.get(indicator.pk)
            if assessment is None:
                assessment = Assessment(
                    project=case,
                    indicator=indicator,
                    derived=True,
                    status=Assessment.Status.CONFIRMED,
                )
            elif (assessment.level, assessment.evidence_zh, assessment.evidence_en) == (
                finding.level,
                finding.evidence_zh,
                finding.evidence_en,
            ):
                continue
            assessment.level = finding.level
            assessment.evidence_zh = finding.evidence_zh
            assessment.evidence_en = finding.evidence_en
            assessment._change_reason = f"derived: {finding.evidence_en}"[:100]
            assessment.save()


# Keep derived levels current ------------------------------------------------------------------

_pending = threading.local()


def _case_ids(sender, instance):
    if sender is Project:
        return {instance.pk}
    if sender is Metric:
        return {instance.project_id}
    if sender in (Partnership, Milestone):
        return {instance.project_id}
    if sender is Company:
        return set(
            Project.objects.filter(partnerships__company=instance).values_list("pk", flat=True)
        )
    return set()


def _schedule(case_ids):
    """Refresh `case_ids` once the transaction commits, all of a transaction's cases at once:
    the first callback to run refreshes every case pending, the rest find nothing to do. A
    rolled-back transaction's cases stay pending for the next commit, which is harmless."""
    case_ids = {case_id for case_id in case_ids if case_id}
    if not case_ids:
        return
    pending = _pending.__dict__.setdefault("ids", set())
    pending |= case_ids

    def run():
        ids = set(_pending.__dict__.get("ids", ()))
        _pending.ids = set()
        if ids:
            refresh(Project.objects.filter(pk__in=ids))

    transaction.on_commit(run)


def data_changed(sender, instance=None, raw=False, **kwargs):
    if raw or instance is None:  # fixtures: load_curated refreshes once it has loaded them
        return
    _schedule(_case_ids(sender, instance))


def sources_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Project):
        _schedule({instance.pk})


def connect():
    for model in (Project, Metric, Partnership, Milestone, Company):
        post_save.connect(data_changed, sender=model, dispatch_uid=f"impact-save-{model.__name__}")
        post_delete.connect(
            data_changed, sender=model, dispatch_uid=f"impact-delete-{model.__name__}"
        )
    m2m_changed.connect(
        sources_changed, sender=Project.sources.through, dispatch_uid="impact-sources"
    )
