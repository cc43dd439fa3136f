from django.urls import path

from carepath.configuration import views

urlpatterns = [
    path("", views.settings_edit, name="settings_edit"),
    path("history/", views.settings_history, name="settings_history"),
]
