"""Casework pages: the service queue, caseloads, the case, and service performance."""

from django.urls import path

from carepath.casework import recovery_views, referral_views, views

urlpatterns = [
    path("allocate/", views.casework_allocate, name="casework_allocate"),
    path("allocate/<int:task_id>/", views.casework_allocate_one, name="casework_allocate_one"),
    path("cases/", views.casework_my_cases, name="casework_my_cases"),
    path("cases/<int:case_id>/", views.casework_case_detail, name="casework_case_detail"),
    path("cases/<int:case_id>/contact/", views.casework_contact_attempt, name="casework_contact_attempt"),
    path("cases/<int:case_id>/status/", views.casework_status_move, name="casework_status_move"),
    path("cases/<int:case_id>/close/", views.casework_case_close, name="casework_case_close"),
    path("cases/<int:case_id>/safety-plan/", views.casework_safety_plan, name="casework_safety_plan"),
    path("cases/<int:case_id>/needs/", views.casework_needs, name="casework_needs"),
    path("cases/<int:case_id>/message/", views.casework_message_send, name="casework_message_send"),
    path("cases/<int:case_id>/reassess/", views.casework_reassess, name="casework_reassess"),
    path("cases/<int:case_id>/support/", views.casework_intervention, name="casework_intervention"),
    path("performance/", views.performance_view, name="casework_performance"),
    path("performance/cases/", views.performance_cases_view, name="casework_performance_cases"),
    path("cases/<int:case_id>/handover/", views.casework_handover, name="casework_handover"),
    path("refer/", referral_views.casework_referral_new, name="casework_referral_new"),
    path(
        "cases/<int:case_id>/handover/service/",
        referral_views.casework_handover_to_service,
        name="casework_handover_to_service",
    ),
    path("cases/<int:case_id>/recovery/", recovery_views.recovery_place_add, name="casework_recovery_place_add"),
    path("recovery/", recovery_views.recovery_programmes, name="casework_recovery_programmes"),
    path("recovery/<int:programme_id>/", recovery_views.recovery_programme, name="casework_recovery_programme"),
    path(
        "recovery/<int:programme_id>/courses/",
        recovery_views.recovery_course_add,
        name="casework_recovery_course_add",
    ),
    path(
        "recovery/places/<int:place_id>/offer/",
        recovery_views.recovery_place_offer,
        name="casework_recovery_place_offer",
    ),
    path(
        "recovery/places/<int:place_id>/move/", recovery_views.recovery_place_move, name="casework_recovery_place_move"
    ),
]
