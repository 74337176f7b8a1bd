"""What each searchable record's document holds, and keeping documents current.

A document is computed on save (`pre_save`, so fixtures' raw saves are covered) from the
record's own texts and the names of what it belongs to: a case is found by its company's and
its issues' names too, a figure by its case's. When one of those names changes, or a case's
issues do, the documents that copy it are recomputed (`refresh`) without touching the
records' edit history or save counters.

The builders read only fields and relations, so the migration that fills the documents of
existing records uses them on its historical models.
"""

from .text import document, name_tokens, text_tokens


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _names(record, with_aliases=True):
    names = [record.name_zh, record.name_en]
    if with_aliases:
        names += _lines(getattr(record, "aliases", ""))
    return names


def _name_tokens(names):
    tokens = set()
    for name in names:
        tokens |= name_tokens(name)
    return tokens


def _text_tokens(texts):
    tokens = set()
    for text in texts:
        tokens |= text_tokens(text)
    return tokens


def _company_names(company):
    if company is None:
        return []
    names = _names(company)
    if company.parent_id:
        names += _names(company.parent)
    return names


def _issue_names(issues):
    names = []
    for issue in issues:
        names += _names(issue)
        for other in issue.other_names.all():
            names += _names(other, with_aliases=False)
    return names


def _fill(record, names, related=(), texts=()):
    name = _name_tokens(names)
    related_tokens = _name_tokens(related)
    record.search_name_tokens = document(name)
    if hasattr(record, "search_related_tokens"):
        record.search_related_tokens = document(related_tokens)
    record.search_tokens = document(name | related_tokens | _text_tokens(texts))


def _related(record, attribute):
    """A related record, or None where it is not set or (in a fixture) not loaded yet."""
    try:
        return getattr(record, attribute)
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist of any model
        return None


def fill_project(project):
    issues = project.issues.all() if project.pk else []
    _fill(
        project,
        _names(project),
        related=_company_names(_related(project, "company")) + _issue_names(issues),
        texts=[
            getattr(project, f"{part}_{language}")
            for part in ("summary", "goal", "practice", "innovation")
            for language in ("zh", "en")
        ],
    )


def fill_company(company):
    parent = _related(company, "parent")
    _fill(
        company,
        _names(company),
        related=_names(parent) if parent else [],
        texts=[company.description_zh, company.description_en],
    )


def fill_issue(issue):
    others = []
    for other in issue.other_names.all() if issue.pk else []:
        others += [other.name_zh, other.name_en]
    _fill(issue, _names(issue) + others, texts=[issue.description_zh, issue.description_en])


def fill_source(source):
    _fill(
        source,
        [source.title_zh, source.title_en],
        related=[source.publisher_zh, source.publisher_en],
    )


def fill_metric(metric):
    project = _related(metric, "project")
    indicator = _related(metric, "indicator")
    _fill(
        metric,
        [metric.label_zh, metric.label_en],
        related=(_names(indicator, with_aliases=False) if indicator else [])
        + (_names(project) if project else [])
        + _company_names(_related(metric, "company")),
        texts=[metric.original_wording, metric.note_zh, metric.note_en],
    )


FILLERS = {
    "Project": fill_project,
    "Company": fill_company,
    "SocialIssue": fill_issue,
    "Source": fill_source,
    "Metric": fill_metric,
}
FIELDS = ["search_name_tokens", "search_tokens"]


def fill(sender, instance, **kwargs):
    """pre_save receiver: compute `instance`'s document; runs for raw (fixture) saves too."""
    FILLERS[sender.__name__](instance)


def refresh(queryset):
    """Recompute the documents of `queryset`'s records and store them, leaving their save
    counters, edit dates and history alone."""
    model = queryset.model
    fields = FIELDS + (["search_related_tokens"] if model.__name__ == "Project" else [])
    records = list(queryset)
    for record in records:
        FILLERS[model.__name__](record)
    model.objects.bulk_update(records, fields, batch_size=500)


def dependents_changed(sender, instance, created=False, **kwargs):
    """post_save receiver: a name others' documents copy may have changed; recompute them.
    (A new issue or company has no cases yet; a new alias does change its issue's cases.)"""
    from ..models import Company, IssueAlias, Metric, Project, SocialIssue

    if created and sender is not IssueAlias:
        return
    if sender is Company:
        cases = Project.objects.filter(company__in=[instance.pk]) | Project.objects.filter(
            company__parent=instance.pk
        )
        refresh(cases.prefetch_related("issues__other_names").select_related("company__parent"))
        refresh(Metric.objects.filter(company__in=[instance.pk]).select_related("company__parent"))
        refresh(Company.objects.filter(parent=instance.pk))
    elif sender in (SocialIssue, IssueAlias):
        issue = instance if sender is SocialIssue else _related(instance, "issue")
        if issue is not None:
            refresh(
                Project.objects.filter(issues=issue.pk)
                .select_related("company__parent")
                .prefetch_related("issues__other_names")
            )
            if sender is IssueAlias:
                refresh(SocialIssue.objects.filter(pk=issue.pk).prefetch_related("other_names"))
    elif sender is Project:
        refresh(Metric.objects.filter(project=instance.pk).select_related("project", "indicator"))


def issues_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed receiver for a case's issues: the case's document names them."""
    from ..models import Project

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    pks = [instance.pk] if not reverse else list(pk_set or [])
    if pks:
        refresh(
            Project.objects.filter(pk__in=pks)
            .select_related("company__parent")
            .prefetch_related("issues__other_names")
        )


def connect():
    from django.db.models.signals import m2m_changed, post_save, pre_save

    from ..models import Company, IssueAlias, Metric, Project, SocialIssue, Source

    for model in (Project, Company, SocialIssue, Source, Metric):
        pre_save.connect(fill, sender=model, dispatch_uid=f"search-document-{model.__name__}")
    for model in (Company, SocialIssue, IssueAlias, Project):
        post_save.connect(
            dependents_changed, sender=model, dispatch_uid=f"search-dependents-{model.__name__}"
        )
    m2m_changed.connect(
        issues_changed, sender=Project.issues.through, dispatch_uid="search-case-issues"
    )
