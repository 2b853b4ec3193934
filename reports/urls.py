"""The report pages (issue 6): list, queue, one report with its files and review actions."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report-list"),
    path("new/", views.ReportQueueView.as_view(), name="report-queue"),
    path("<uuid:uid>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("<uuid:uid>/files/<slug:kind>/", views.ReportFileView.as_view(), name="report-file"),
    path("<uuid:uid>/approve/", views.ReportApproveView.as_view(), name="report-approve"),
    path("<uuid:uid>/send/", views.ReportSendView.as_view(), name="report-send"),
    path("<uuid:uid>/submitted/", views.ReportSubmitView.as_view(), name="report-submit"),
    path("<uuid:uid>/retry/", views.ReportRetryView.as_view(), name="report-retry"),
    path("<uuid:uid>/recompile/", views.ReportRecompileView.as_view(), name="report-recompile"),
    path(
        "interventions/<uuid:uid>/response/",
        views.InterventionResponseView.as_view(),
        name="intervention-response",
    ),
]
