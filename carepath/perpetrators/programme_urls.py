"""Pages of perpetrator programmes, mounted at /perpetrators/programmes/."""

from django.urls import path

from carepath.perpetrators import programme_views as views

urlpatterns = [
    path("", views.programme_list, name="perpetrator_programmes"),
    path("new/", views.programme_add, name="perpetrator_programme_add"),
    path("<int:perpetrator_programme_id>/", views.programme_detail, name="perpetrator_programme_detail"),
    path("<int:perpetrator_programme_id>/change/", views.programme_edit, name="perpetrator_programme_edit"),
    path("refer/", views.programme_referral_create, name="programme_referral_create"),
    path("waiting/", views.programme_referrals_waiting, name="programme_referrals_waiting"),
    path("referrals/<int:programme_referral_id>/", views.programme_referral_detail, name="programme_referral_detail"),
    path(
        "referrals/<int:programme_referral_id>/progress/",
        views.programme_referral_progress,
        name="programme_referral_progress",
    ),
    path(
        "referrals/<int:programme_referral_id>/partner-contacts/new/",
        views.partner_contact_record,
        name="partner_contact_record",
    ),
    path("report/", views.programme_report, name="programme_report"),
    path("report/download/", views.programme_report_download, name="programme_report_download"),
]
