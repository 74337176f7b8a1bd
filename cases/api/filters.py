"""Filters of the API's own lists (milestones, partners), in the pages' manner: several
values of one parameter select any of them, an unknown value is a 400 naming it."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..filters import choices_filter
from ..models import Company, Milestone, Partnership, Project


class MilestoneFilter(django_filters.FilterSet):
    case = choices_filter(
        "project__slug", Project.objects.published(), _("There is no case “%(value)s”.")
    )

    class Meta:
        model = Milestone
        fields = []


class PartnerFilter(django_filters.FilterSet):
    case = choices_filter(
        "project__slug", Project.objects.published(), _("There is no case “%(value)s”.")
    )
    company = choices_filter(
        "company__slug", Company.objects.all(), _("There is no company “%(value)s”.")
    )

    class Meta:
        model = Partnership
        fields = []
