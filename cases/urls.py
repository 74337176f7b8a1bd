from django.urls import path

from . import cite_views, data_views, figure_views, search_views, views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<slug:slug>/", views.case_detail, name="case"),
    path("cases/<slug:slug>/report/", figure_views.report_case, name="case_report"),
    path("cases/<slug:slug>/report/sent/", figure_views.case_report_sent, name="case_report_sent"),
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/<slug:slug>/", views.issue_detail, name="issue"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<slug:slug>/", views.company_detail, name="company"),
    path("compare/", views.compare, name="compare"),
    path("compare/figures.csv", views.compare_csv, name="compare_csv"),
    path("metrics/", views.metrics, name="metrics"),
    path("metrics/figures.csv", views.metrics_csv, name="metrics_csv"),
    path("figures/<slug:slug>/", figure_views.figure_detail, name="figure"),
    path("figures/<slug:slug>/report/", figure_views.report_figure, name="figure_report"),
    path(
        "figures/<slug:slug>/report/sent/",
        figure_views.figure_report_sent,
        name="figure_report_sent",
    ),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("index/", views.index, name="index"),
    path("index/assessments.csv", views.index_csv, name="index_csv"),
    path("about/", views.about, name="about"),
    path("search/", search_views.site_search, name="search"),
    path("cite/dataset.<slug:fmt>", cite_views.cite_dataset, name="cite_dataset"),
    path("cite/<slug:kind>/<slug:slug>.<slug:fmt>", cite_views.cite, name="cite"),
    path("data/", data_views.data, name="data"),
    path("data/latest/", data_views.data_latest, name="data_latest"),
    path("data/latest/<str:filename>", data_views.data_latest, name="data_latest_file"),
    path("data/<str:version>/", data_views.data_release, name="data_release"),
    path("data/<str:version>/<str:filename>", data_views.data_file, name="data_file"),
]
