from django.urls import path

from carepath.people import views

urlpatterns = [
    path("<int:person_id>/", views.person_detail, name="person_detail"),
    path("search/", views.person_search, name="person_search"),
    path("<int:person_id>/split/", views.person_identity_split_view, name="person_identity_split"),
    path("links/", views.record_link_queue, name="record_link_queue"),
    path("links/<int:link_id>/", views.record_link_detail, name="record_link_detail"),
    path("identity-changes/<int:change_id>/undo/", views.identity_change_undo_view, name="identity_change_undo"),
]
