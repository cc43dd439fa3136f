"""Casework pages: the service queue, caseloads, the case, and service performance."""

from django.urls import path

from carepath.casework import views

urlpatterns = [
    path("performance/", views.performance_view, name="casework_performance"),
    path("performance/cases/", views.performance_cases_view, name="casework_performance_cases"),
]
