from django.urls import path

from carepath.risk import views

urlpatterns = [
    path("", views.checklist_list, name="checklist_list"),
    path("adopt/", views.checklist_adopt, name="checklist_adopt"),
    path("<int:checklist_id>/", views.checklist_detail, name="checklist_detail"),
]
