from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from carepath.api.api import api

urlpatterns = [
    path("", include("carepath.core.urls")),
    path("people/", include("carepath.people.urls")),
    path("events/", include("carepath.events.urls")),
    path("referrals/", include("carepath.referrals.urls")),
    path("marac/", include("carepath.marac.urls")),
    path("casework/", include("carepath.casework.urls")),
    path("accommodation/", include("carepath.accommodation.urls")),
    path("settings/", include("carepath.configuration.urls")),
    path("settings/risk-checklist/", include("carepath.risk.urls")),
    path("planning/", include("carepath.planning.urls")),
    path("directory/", include("carepath.directory.urls")),
    path("training/", include("carepath.training.urls")),
    path("perpetrators/", include("carepath.perpetrators.urls")),
    path("board/", include("carepath.reporting.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
# The public pages, in English at /help/... and in Welsh at /cy/help/... (the language comes
# from the address only: core.middleware.UrlLanguageMiddleware). Staff pages have no prefix.
urlpatterns += i18n_patterns(
    path("help/services/", include("carepath.directory.public_urls")),
    path("help/", include("carepath.referrals.public_urls")),
    prefix_default_language=False,
)
