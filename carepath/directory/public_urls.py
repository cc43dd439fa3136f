"""Public pages of the directory ("Find help near you"), mounted at /help/services/ (no login)."""

from django.urls import path

from carepath.directory import public_views

urlpatterns = [
    path("", public_views.public_services, name="public_services"),
    path("<int:entry_id>/", public_views.public_service, name="public_service"),
]
