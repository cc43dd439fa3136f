"""Staff pages of the directory of services, mounted at /directory/."""

from django.urls import path

from carepath.directory import views

urlpatterns = [
    path("", views.directory_search, name="directory_search"),
    path("new/", views.directory_entry_new, name="directory_entry_new"),
    path("to-check/", views.directory_to_check, name="directory_to_check"),
    path("directory.csv", views.directory_download_csv, name="directory_download_csv"),
    path("directory.xlsx", views.directory_download_xlsx, name="directory_download_xlsx"),
    path("<int:entry_id>/", views.directory_entry, name="directory_entry"),
    path("<int:entry_id>/edit/", views.directory_entry_edit, name="directory_entry_edit"),
    path("<int:entry_id>/checked/", views.directory_entry_checked, name="directory_entry_checked"),
]
