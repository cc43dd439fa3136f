from django.urls import path

from carepath.people import views

urlpatterns = [path("<int:person_id>/", views.person_detail, name="person_detail")]
