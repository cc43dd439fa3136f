"""Safe-accommodation pages."""

from django.urls import path

from carepath.accommodation import views

urlpatterns = [
    path("vacancies/", views.vacancy_board, name="accommodation_vacancy_board"),
    path("provider/", views.provider_units, name="accommodation_provider_units"),
    path("provider/units/<int:unit_id>/vacancy/", views.unit_vacancy_set, name="accommodation_unit_vacancy_set"),
]
