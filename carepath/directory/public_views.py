"""Public pages of the directory: "Find help near you" (no login).

They follow the help pages' safety rules (``referrals.public_views``): "Exit this page",
nothing from another host, no copy kept by the browser nor a referrer sent
(``private_page``), and a search is a GET form that works without JavaScript. Searches are
counted per address (``CAREPATH_RATE_LIMIT_PUBLIC_SEARCH``) so the directory cannot be
scraped or flooded; someone over the limit is given the national helpline. An entry not
checked in the partnership's time is never shown (``selectors.entries_public``).
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from carepath.core.decorators import public_view
from carepath.directory import hours, selectors
from carepath.directory.forms import PublicSearchForm
from carepath.referrals.public_views import private_page, public_render, rate_limited

PAGE_SIZE = 20


searches_rate_limited = rate_limited(
    group="public-directory", rate_setting="RATE_LIMIT_PUBLIC_SEARCH", what="Public directory search"
)


def _welsh() -> bool:
    return (get_language() or "").startswith("cy")


@public_view
@private_page
@searches_rate_limited
@require_safe
def public_services(request):
    form = PublicSearchForm(request.GET if request.GET else None)
    results = page = None
    now = timezone.now()
    if form.is_bound and form.is_valid():
        entries = selectors.entries_public(form.search(now=now, today=timezone.localdate()))
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        results = selectors.listed(page.object_list, now=now)
    query = request.GET.copy()
    query.pop("page", None)
    return public_render(
        request,
        "directory/public/search.html",
        {"form": form, "page": page, "results": results, "query": f"&{query.urlencode()}", "welsh": _welsh()},
        status=200,
    )


@public_view
@private_page
@searches_rate_limited
@require_safe
def public_service(request, entry_id: int):
    entry = selectors.entry_public(entry_id, today=timezone.localdate())
    if entry is None:
        raise Http404
    week = selectors.week_of(entry)
    now = timezone.now()
    return public_render(
        request,
        "directory/public/service.html",
        {
            "entry": entry,
            "open_now": hours.is_open(week, now),
            "status": hours.status_words(week, now),
            "week": hours.week_words(week),
            "welsh": _welsh(),
        },
    )
