from django.urls import path

from carepath.referrals import triage_views, views

urlpatterns = [
    path("new/", views.referral_new, name="referral_new"),
    path("triage/", triage_views.triage_queue, name="triage_queue"),
    path("<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("<int:referral_id>/take/", triage_views.referral_take_view, name="referral_take"),
    path("<int:referral_id>/routed/", triage_views.referral_routed_view, name="referral_routed"),
    path("<int:referral_id>/close/", triage_views.referral_close_view, name="referral_close"),
    path("<int:referral_id>/reopen/", triage_views.referral_reopen_view, name="referral_reopen"),
    path("<int:referral_id>/pass-on/", triage_views.referral_assign_view, name="referral_assign"),
]
