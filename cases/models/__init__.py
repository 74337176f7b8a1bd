"""The casebook's domain: companies, social issues, cases (projects) and their outcome figures,
each figure tied to the document it was taken from."""

from django.db.models.signals import pre_save

from .base import fill_name_sort
from .corrections import Correction
from .index import Assessment, IndexDimension, IndexIndicator
from .indicators import Indicator, Unit
from .metrics import Metric
from .projects import Milestone, Partnership, Project
from .reference import SDG, Company, IssueAlias, SocialIssue
from .search import SynonymGroup
from .sources import Source

__all__ = [
    "SDG",
    "Assessment",
    "Company",
    "Correction",
    "IndexDimension",
    "IndexIndicator",
    "Indicator",
    "IssueAlias",
    "Metric",
    "Milestone",
    "Partnership",
    "Project",
    "SocialIssue",
    "Source",
    "SynonymGroup",
    "Unit",
]

# pre_save, not save(): fixtures are saved raw, which skips save() but still sends pre_save.
for _model in (Company, Project, SocialIssue):
    pre_save.connect(fill_name_sort, sender=_model, dispatch_uid=f"name-sort-{_model.__name__}")
