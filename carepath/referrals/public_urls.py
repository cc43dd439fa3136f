"""Public help pages, mounted at /help/ (no login)."""

from django.urls import path

from carepath.referrals import public_views

urlpatterns = [
    path("", public_views.start, name="public_start"),
    path("self-referral/", public_views.self_referral, name="public_self_referral"),
    path("worried-about-someone/", public_views.worried_about_someone, name="public_worried"),
    path("sent/", public_views.sent, name="public_sent"),
]
