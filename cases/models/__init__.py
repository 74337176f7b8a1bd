"""The casebook's domain: companies, social issues, cases (projects) and their outcome figures,
each figure tied to the document it was taken from."""

from .metrics import Indicator, Metric
from .projects import Milestone, Partnership, Project
from .reference import SDG, Company, IssueAlias, SocialIssue, Source, Unit

__all__ = [
    "SDG",
    "Company",
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
