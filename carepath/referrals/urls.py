from django.urls import path

from carepath.referrals import children_views, police_views, referrer_views, triage_views, views

urlpatterns = [
    path("new/", views.referral_new, name="referral_new"),
    path("triage/", triage_views.triage_queue, name="triage_queue"),
    path("<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("<int:referral_id>/take/", triage_views.referral_take_view, name="referral_take"),
    path("<int:referral_id>/routed/", triage_views.referral_routed_view, name="referral_routed"),
    path("<int:referral_id>/close/", triage_views.referral_close_view, name="referral_close"),
    path("<int:referral_id>/reopen/", triage_views.referral_reopen_view, name="referral_reopen"),
    path("<int:referral_id>/pass-on/", triage_views.referral_assign_view, name="referral_assign"),
    path("children/", children_views.children_queue, name="children_queue"),
    path("children/<int:child_id>/", children_views.child_outcome, name="child_outcome"),
    path("made/", referrer_views.referrals_made, name="referrals_made"),
    path("police-extracts/", police_views.police_imports, name="police_imports"),
    path("police-extracts/<int:import_id>/", police_views.police_import_detail, name="police_import_detail"),
    path(
        "police-extracts/<int:import_id>/rejected.csv", police_views.police_import_rejects, name="police_import_rejects"
    ),
    path("<int:referral_id>/risk-checklist/", views.referral_risk_assess, name="referral_risk_assess"),
]
