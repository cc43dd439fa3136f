"""Pages of a perpetrator's profile, his orders and breaches (at /perpetrators/)."""

from django.urls import path

from carepath.perpetrators import order_views

urlpatterns = [
    path("<int:perpetrator_id>/", order_views.perpetrator_profile, name="perpetrator_profile"),
    path("<int:perpetrator_id>/orders/new/", order_views.perpetrator_order_new, name="perpetrator_order_new"),
    path("<int:perpetrator_id>/releases/new/", order_views.perpetrator_release_new, name="perpetrator_release_new"),
    path("<int:perpetrator_id>/history/new/", order_views.perpetrator_history_new, name="perpetrator_history_new"),
    path("orders/<int:order_id>/", order_views.perpetrator_order_detail, name="perpetrator_order_detail"),
    path("orders/<int:order_id>/change/", order_views.perpetrator_order_update, name="perpetrator_order_update"),
    path("orders/<int:order_id>/breaches/new/", order_views.perpetrator_breach_new, name="perpetrator_breach_new"),
]
