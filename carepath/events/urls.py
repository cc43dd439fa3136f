from django.urls import path

from carepath.events import views

urlpatterns = [path("<int:event_id>/", views.event_detail, name="event_detail")]
