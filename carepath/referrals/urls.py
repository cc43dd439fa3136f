from django.urls import path

from carepath.referrals import police_views, views

urlpatterns = [
    path("new/", views.referral_new, name="referral_new"),
    path("triage/", views.triage_queue, name="triage_queue"),
    path("<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("police-extracts/", police_views.police_imports, name="police_imports"),
    path("police-extracts/<int:import_id>/", police_views.police_import_detail, name="police_import_detail"),
    path(
        "police-extracts/<int:import_id>/rejected.csv", police_views.police_import_rejects, name="police_import_rejects"
    ),
]
