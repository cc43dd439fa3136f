from django.urls import path

from carepath.reporting import views

urlpatterns = [
    path("", views.board_dashboard, name="board_dashboard"),
    path("pack.pdf", views.board_pack_pdf, name="board_pack_pdf"),
    path("pack.xlsx", views.board_pack_excel, name="board_pack_excel"),
]
