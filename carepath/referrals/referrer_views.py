"""Pages for the agency that referred: the referrals a police force made."""

from django.core.paginator import Paginator
from django.shortcuts import render

from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.referrals import referrer_selectors

PAGE_SIZE = 50


@staff_view("referrals.list_referrals_made")
def referrals_made(request):
    """The force's referrals (or only the user's), newest first, with their status and what
    the decision asks of the force."""
    mine = request.GET.get("mine") == "1"
    page = Paginator(referrer_selectors.referrals_made(user=request.user, mine=mine), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {"referral": r, "actions": referrer_selectors.routed_actions(referral=r, user=request.user)}
        for r in page.object_list
    ]
    access.people_shown(request, [r.victim_id for r in page.object_list], action=AccessAction.LISTED)
    return render(request, "referrals/referrals_made.html", {"page": page, "rows": rows, "mine": mine})
