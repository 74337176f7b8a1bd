from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<slug:slug>/", views.case_detail, name="case"),
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/<slug:slug>/", views.issue_detail, name="issue"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<slug:slug>/", views.company_detail, name="company"),
    path("compare/", views.compare, name="compare"),
    path("compare/figures.csv", views.compare_csv, name="compare_csv"),
    path("metrics/", views.metrics, name="metrics"),
    path("metrics/figures.csv", views.metrics_csv, name="metrics_csv"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("index/", views.index, name="index"),
    path("index/assessments.csv", views.index_csv, name="index_csv"),
    path("about/", views.about, name="about"),
]
