from django.urls import include, path

urlpatterns = [
    path("", include("carepath.perpetrators.order_urls")),
    path("panel/", include("carepath.perpetrators.panel_urls")),
    path("programmes/", include("carepath.perpetrators.programme_urls")),
    path("clares-law/", include("carepath.perpetrators.disclosure_urls")),
]
