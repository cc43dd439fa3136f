from django.urls import path

from carepath.referrals import children_views, referrer_views, views

urlpatterns = [
    path("new/", views.referral_new, name="referral_new"),
    path("triage/", views.triage_queue, name="triage_queue"),
    path("<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("children/", children_views.children_queue, name="children_queue"),
    path("children/<int:child_id>/", children_views.child_outcome, name="child_outcome"),
    path("made/", referrer_views.referrals_made, name="referrals_made"),
]
