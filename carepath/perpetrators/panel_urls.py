"""Pages of the serial and repeat perpetrator panel, mounted at /perpetrators/panel/."""

from django.urls import path

from carepath.perpetrators import panel_views as views

urlpatterns = [
    path("", views.panel_list, name="perpetrator_panel"),
    path("meetings/", views.panel_meetings, name="perpetrator_panel_meetings"),
    path("meetings/<int:panel_meeting_id>/", views.panel_meeting, name="perpetrator_panel_meeting"),
    path("meetings/<int:panel_meeting_id>/held/", views.panel_meeting_held, name="perpetrator_panel_meeting_held"),
    path("plans/", views.perpetrator_plans, name="perpetrator_plans"),
    path("perpetrators/<int:perpetrator_id>/plans/new/", views.perpetrator_plan_new, name="perpetrator_plan_new"),
    path("plans/<int:plan_id>/", views.perpetrator_plan_detail, name="perpetrator_plan_detail"),
    path("plans/<int:plan_id>/edit/", views.perpetrator_plan_edit, name="perpetrator_plan_edit"),
    path("plans/<int:plan_id>/close/", views.perpetrator_plan_close, name="perpetrator_plan_close"),
]
