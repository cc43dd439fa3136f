"""The safe-accommodation figures' pages (``report_views``), included by ``urls``."""

from django.urls import path

from carepath.accommodation import report_views

urlpatterns = [
    path("returns/", report_views.return_view, name="accommodation_return"),
    path("returns/download/", report_views.return_download, name="accommodation_return_download"),
    path("reports/", report_views.reports_view, name="accommodation_reports"),
    path("reports/download/", report_views.reports_download, name="accommodation_reports_download"),
]
