"""Safe-accommodation pages."""

from django.urls import include, path

from carepath.accommodation import placement_views, views

urlpatterns = [
    path("vacancies/", views.vacancy_board, name="accommodation_vacancy_board"),
    path("provider/", views.provider_units, name="accommodation_provider_units"),
    path("provider/units/<int:unit_id>/vacancy/", views.unit_vacancy_set, name="accommodation_unit_vacancy_set"),
    path("holds/", views.hold_place, name="accommodation_hold_place"),
    path("holds/<int:hold_id>/cancel/", views.hold_cancel, name="accommodation_hold_cancel"),
    path("provider/holds/<int:hold_id>/decide/", views.hold_decide, name="accommodation_hold_decide"),
    path("provider/holds/<int:hold_id>/extend/", placement_views.hold_extend, name="accommodation_hold_extend"),
    path("holds/<int:hold_id>/refer/", placement_views.placement_refer, name="accommodation_placement_refer"),
    path("refer-elsewhere/", placement_views.placement_refer_elsewhere, name="accommodation_placement_elsewhere"),
    path("provider/referrals/new/", placement_views.placement_receive, name="accommodation_placement_receive"),
    path("placements/<int:placement_id>/", placement_views.placement_detail, name="accommodation_placement_detail"),
    path(
        "placements/<int:placement_id>/decide/", placement_views.placement_decide, name="accommodation_placement_decide"
    ),
    path(
        "placements/<int:placement_id>/arrive/", placement_views.placement_arrive, name="accommodation_placement_arrive"
    ),
    path(
        "placements/<int:placement_id>/did-not-arrive/",
        placement_views.placement_did_not_arrive,
        name="accommodation_placement_did_not_arrive",
    ),
    path(
        "placements/<int:placement_id>/support/",
        placement_views.placement_support,
        name="accommodation_placement_support",
    ),
    path(
        "placements/<int:placement_id>/depart/", placement_views.placement_depart, name="accommodation_placement_depart"
    ),
    path("", include("carepath.accommodation.report_urls")),
]
