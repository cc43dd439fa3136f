from django.urls import path

from carepath.planning import views

urlpatterns = [
    path("", views.planner, name="planner"),
    path("plan.xlsx", views.planner_excel, name="planner_excel"),
    path("plan.pdf", views.planner_pdf, name="planner_pdf"),
    path("inputs.xlsx", views.planner_inputs_download, name="planner_inputs_download"),
    path("inputs/upload/", views.planner_inputs_upload, name="planner_inputs_upload"),
]
