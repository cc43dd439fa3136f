"""Pages of Clare's Law applications, mounted at /perpetrators/clares-law/."""

from django.urls import path

from carepath.perpetrators import disclosure_views as views

urlpatterns = [
    path("", views.disclosure_queue, name="disclosure_queue"),
    path("new/", views.disclosure_application_new, name="disclosure_application_new"),
    path("<int:application_id>/", views.disclosure_application_detail, name="disclosure_application_detail"),
    path("<int:application_id>/checks/", views.disclosure_checks_record, name="disclosure_checks_record"),
    path("<int:application_id>/meeting/", views.disclosure_meeting_record, name="disclosure_meeting_record"),
    path("<int:application_id>/decision/", views.disclosure_decision_record, name="disclosure_decision_record"),
    path("<int:application_id>/disclosed/", views.disclosure_delivered_record, name="disclosure_delivered_record"),
    path(
        "<int:application_id>/safety-plan/", views.disclosure_safety_plan_record, name="disclosure_safety_plan_record"
    ),
    path("report/", views.disclosure_report, name="disclosure_report"),
    path("report/download/", views.disclosure_report_download, name="disclosure_report_download"),
]
