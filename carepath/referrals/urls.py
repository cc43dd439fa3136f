from django.urls import path

from carepath.referrals import views

urlpatterns = [
    path("new/", views.referral_new, name="referral_new"),
    path("triage/", views.triage_queue, name="triage_queue"),
    path("<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("<int:referral_id>/risk-checklist/", views.referral_risk_assess, name="referral_risk_assess"),
]
