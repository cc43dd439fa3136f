from django.urls import path

from carepath.reporting import views

urlpatterns = [
    path("", views.board_dashboard, name="board_dashboard"),
]
