from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

# Records by slug; `?format=csv` (not a suffix) chooses CSV.
router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("companies", views.CompanyViewSet, basename="company")
router.register("issues", views.IssueViewSet, basename="issue")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("figures", views.FigureViewSet, basename="figure")
router.register("sources", views.SourceViewSet, basename="source")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("index/dimensions", views.IndexDimensionViewSet, basename="index-dimension")
router.register("index/indicators", views.IndexIndicatorViewSet, basename="index-indicator")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")

urlpatterns = [
    path("", views.api_root, name="root"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    re_path(r"^(?P<path>.*)$", views.api_not_found, name="not-found"),
]
