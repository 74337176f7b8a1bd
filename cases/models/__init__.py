"""The casebook's domain: companies, social issues, cases (projects) and their outcome figures,
each figure tied to the document it was taken from."""

from .index import Assessment, IndexDimension, IndexIndicator
from .metrics import Indicator, Metric
from .projects import Milestone, Partnership, Project
from .reference import SDG, Company, IssueAlias, SocialIssue, Source, Unit

__all__ = [
    "SDG",
    "Assessment",
    "Company",
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
    "Unit",
]
