"""The API's endpoints: read-only, public data only, filtered by the pages' own FilterSets.

Each list is paginated (`page`, `page_size` up to 500, links in the body and a `Link`
header), answers JSON or CSV (`?format=csv` or `Accept: text/csv`), and carries an `ETag`
and `Last-Modified` from the data version, so a client revalidates with one cheap request.
"""

from functools import wraps

from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, viewsets
from rest_framework.decorators import api_view, renderer_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .. import scores
from ..filters import CaseFilter
from ..metric_filters import MetricFilter
from ..models import (
    Company,
    IndexDimension,
    IndexIndicator,
    Indicator,
    Metric,
    Milestone,
    Partnership,
    Project,
    SocialIssue,
    Source,
)
from ..models.index import scorecard_prefetch
from . import schema_docs
from .conditional import Revalidated, speaking_the_request_language
from .filters import MilestoneFilter, PartnerFilter
from .rendering import FigurePages
from .serializers import (
    CaseDetailSerializer,
    CaseSerializer,
    CompanySerializer,
    FigureSerializer,
    IndexDimensionSerializer,
    IndexIndicatorSerializer,
    IndicatorSerializer,
    IssueSerializer,
    MilestoneSerializer,
    PartnerSerializer,
    ScorecardSerializer,
    SourceSerializer,
)

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class FoundBySlug:
    """Records found by their slug; an unknown one is a 404 that names it."""

    lookup_field = "slug"
    lookup_value_regex = SLUG
    missing = gettext_lazy("There is no record “%(slug)s”.")

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(self.missing % {"slug": self.kwargs.get("slug", "")}) from None


class PublicData(Revalidated, FoundBySlug, viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint of public records."""


@schema_docs.cases
class CaseViewSet(PublicData):
    """Published cases, filtered as the case list filters them."""

    missing = gettext_lazy("There is no published case “%(slug)s”.")

    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self):
        cases = Project.objects.for_list().ordered_by("name", "zh-hans")
        if self.action == "retrieve":
            return cases.prefetch_related(
                "sources",
                Prefetch("milestones", queryset=Milestone.objects.select_related("source")),
                Prefetch("partnerships", queryset=Partnership.objects.select_related("company")),
            ).order_by()
        return cases.prefetch_related("sources")

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer


@schema_docs.companies
class CompanyViewSet(PublicData):
    """Every company and organisation on record, with its group and subsidiaries."""

    missing = gettext_lazy("There is no company “%(slug)s”.")

    serializer_class = CompanySerializer

    def get_queryset(self):
        return (
            Company.objects.with_case_counts()
            .select_related("parent")
            .prefetch_related("subsidiaries")
            .in_name_order()
        )


@schema_docs.issues
class IssueViewSet(PublicData):
    missing = gettext_lazy("There is no issue “%(slug)s”.")

    serializer_class = IssueSerializer

    def get_queryset(self):
        return (
            SocialIssue.objects.with_case_counts()
            .select_related("parent")
            .prefetch_related("sdgs")
            .in_name_order()
        )


@schema_docs.indicators
class IndicatorViewSet(PublicData):
    missing = gettext_lazy("There is no indicator “%(slug)s”.")

    serializer_class = IndicatorSerializer

    def get_queryset(self):
        return Indicator.objects.in_category_order().select_related("unit")


@schema_docs.figures
class FigureViewSet(PublicData):
    """Public figures with their provenance, filtered as the figures explorer filters them."""

    missing = gettext_lazy("There is no public figure “%(slug)s”.")

    serializer_class = FigureSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MetricFilter
    pagination_class = FigurePages

    def get_queryset(self):
        return Metric.objects.for_listing().select_related("indicator")


@schema_docs.sources
class SourceViewSet(PublicData):
    missing = gettext_lazy("There is no source “%(slug)s”.")

    serializer_class = SourceSerializer

    def get_queryset(self):
        return Source.objects.for_list().order_by("slug")


@schema_docs.milestones
class MilestoneViewSet(Revalidated, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Milestones of published cases, by case and date."""

    serializer_class = MilestoneSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MilestoneFilter

    def get_queryset(self):
        return (
            Milestone.objects.filter(project__status=Project.Status.PUBLISHED)
            .select_related("project", "source")
            .order_by("project__slug", "happened_on", "pk")
        )


@schema_docs.partners
class PartnerViewSet(Revalidated, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Partners in published cases, by case."""

    serializer_class = PartnerSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PartnerFilter

    def get_queryset(self):
        return (
            Partnership.objects.in_published_cases()
            .select_related("company")
            .order_by("project__slug", "role", "company__slug")
        )


@schema_docs.index_dimensions
class IndexDimensionViewSet(PublicData):
    """The impact index's four dimensions, each with its indicators, in the report's order."""

    missing = gettext_lazy("There is no dimension “%(slug)s”.")

    serializer_class = IndexDimensionSerializer

    def get_queryset(self):
        return IndexDimension.objects.order_by("position").prefetch_related(
            Prefetch("indicators", queryset=IndexIndicator.objects.in_order())
        )


@schema_docs.index_indicators
class IndexIndicatorViewSet(PublicData):
    missing = gettext_lazy("There is no index indicator “%(slug)s”.")

    serializer_class = IndexIndicatorSerializer

    def get_queryset(self):
        return IndexIndicator.objects.in_order()


@schema_docs.scorecards
class ScorecardViewSet(
    Revalidated,
    FoundBySlug,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Each published case's scorecard on the impact index: its confirmed assessments with
    their evidence, its dimension scores and its index (equal weights)."""

    missing = gettext_lazy("There is no published case “%(slug)s”.")

    serializer_class = ScorecardSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self):
        return (
            Project.objects.published()
            .select_related("company__parent")
            .prefetch_related(scorecard_prefetch())
            .ordered_by("name", "zh-hans")
        )

    def list(self, request, *args, **kwargs):
        cases = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        structure = scores.framework()
        cards = [scores.scorecard(case, structure, {}) for case in cases]
        return self.get_paginated_response(self.get_serializer(cards, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        card = scores.scorecard(self.get_object(), scores.framework(), {})
        return Response(self.get_serializer(card).data)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, always in English (the API's own words; records carry both)."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        with translation.override("en"):
            return super().get(request, *args, **kwargs)


ENDPOINTS = [
    ("cases", "api:case-list"),
    ("companies", "api:company-list"),
    ("issues", "api:issue-list"),
    ("indicators", "api:indicator-list"),
    ("figures", "api:figure-list"),
    ("sources", "api:source-list"),
    ("milestones", "api:milestone-list"),
    ("partners", "api:partner-list"),
    ("index_dimensions", "api:index-dimension-list"),
    ("index_indicators", "api:index-indicator-list"),
    ("scorecards", "api:scorecard-list"),
]


def in_request_language(view):
    """A function view answering in the request's language (see Revalidated)."""
    in_language = speaking_the_request_language(lambda _view, request, **kw: view(request, **kw))
    return wraps(view)(lambda request, **kwargs: in_language(None, request, **kwargs))


@api_view(["GET", "HEAD"])
@renderer_classes([JSONRenderer])
@schema(None)
def root(request):
    """Where everything is: each list, the schema, its documentation, the licence."""
    return Response(
        {
            "endpoints": {
                name: request.build_absolute_uri(reverse(url)) for name, url in ENDPOINTS
            },
            "schema": request.build_absolute_uri(reverse("api:schema")),
            "docs": request.build_absolute_uri(reverse("api:docs")),
            "licence": _(
                "The curated data is licensed CC BY 4.0; the source documents remain their "
                "authors'."
            ),
        }
    )


@api_view(["GET", "HEAD"])
@renderer_classes([JSONRenderer])
@schema(None)
def not_found(request, path=""):
    """A 404 in JSON for any other address under the API; a path missing only its final
    slash is sent to the one with it."""
    if not path.endswith("/"):
        try:
            match = resolve(f"{request.path}/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not-found":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{request.path}/" + (f"?{query}" if query else "")
            )
    return JsonResponse({"detail": _("There is no such address in the API.")}, status=404)


api_root = in_request_language(root)
api_not_found = in_request_language(not_found)
