"""Safe-accommodation pages."""

from django.urls import include, path

from carepath.accommodation import views

urlpatterns = [
    path("vacancies/", views.vacancy_board, name="accommodation_vacancy_board"),
    path("provider/", views.provider_units, name="accommodation_provider_units"),
    path("provider/units/<int:unit_id>/vacancy/", views.unit_vacancy_set, name="accommodation_unit_vacancy_set"),
    path("holds/", views.hold_place, name="accommodation_hold_place"),
    path("holds/<int:hold_id>/cancel/", views.hold_cancel, name="accommodation_hold_cancel"),
    path("provider/holds/<int:hold_id>/decide/", views.hold_decide, name="accommodation_hold_decide"),
    path("", include("carepath.accommodation.report_urls")),
]
