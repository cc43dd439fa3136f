"""Pages of the champions network and its training, mounted at /training/."""

from django.urls import path

from carepath.training import views

urlpatterns = [
    path("", views.champions_view, name="training_champions"),
    path("champions/new/", views.champion_add, name="training_champion_add"),
    path("champions/<int:champion_id>/", views.champion_edit, name="training_champion_edit"),
    path("courses/", views.courses_view, name="training_courses"),
    path("sessions/", views.sessions_view, name="training_sessions"),
    path("sessions/<int:session_id>/", views.session_view, name="training_session"),
    path("certificates/<int:booking_id>/", views.certificate_view, name="training_certificate"),
    path("refreshers/", views.refreshers_view, name="training_refreshers"),
    path("report/", views.report_view, name="training_report"),
    path("report/download/", views.report_download, name="training_report_download"),
]
