"""Public help pages (no login): a start page, a self-referral, a referral by a friend or
family member, and one confirmation page.

Safety rules every page follows (domain.md "Safe contact"):
- the GOV.UK "Exit this page" button sends the browser to a neutral page on another
  site (``EXIT_URL``), by a click or by pressing Shift three times;
- nothing is loaded from another host;
- the confirmation is the same whatever was sent: nothing is looked up to show it, so
  it cannot tell anyone whether a person is already known to services;
- responses are neither cached nor sent as a referrer (``private_page``);
- the forms take a limited number of POSTs from one address (``rate_limited_posts``), so
  a bot cannot flood the front door; someone refused is given the helpline instead;
- each form has a field people never see (``HONEYPOT``): a POST that fills it is answered
  like any other, and nothing in it is recorded;
- no cookie is set, before or after a form is sent: the pages keep no session, and the
  forms are not protected by Django's CSRF cookie but by refusing any POST that does not
  come from a page of this site (``same_origin_posts``), so a shared or watched device keeps
  no trace of the visit;
- every page is in English at /help/... and in Welsh at /cy/help/...
"""

import logging
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from carepath.configuration.selectors import partnership_settings_get
from carepath.referrals.public_forms import CHILDLINE, SelfReferralForm, WorriedAboutSomeoneForm
from carepath.referrals.services import referral_create
from carepath.security.ratelimits import rate_limit_count

logger = logging.getLogger(__name__)

#: Where "Exit this page" goes: a neutral page on a different site.
EXIT_URL = "https://www.bbc.co.uk/weather"
HELPLINE = "0808 2000 247"
#: The hidden field's name (public/includes/honeypot.html): one that form-filling bots fill.
HONEYPOT = "website"


def private_page(view):
    """Ask the browser not to keep a copy of the page (so Back after leaving, or the next
    person at a shared computer, sees less) and not to tell the next site where the user
    came from."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        # The next site is never told where the user came from; our own pages still are,
        # which Django's CSRF check needs over HTTPS.
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def rate_limited(*, group: str, rate_setting: str, what: str, posts_only: bool = False):
    """Count each request (or each POST) from one address against the limit named by
    ``rate_setting``; over it, a 429 page with the helpline, and nothing that was sent is
    read or kept. The public forms share one limit (``CAREPATH_RATE_LIMIT_PUBLIC_FORMS``);
    the directory's searches have their own."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not posts_only or request.method == "POST":
                wait = rate_limit_count(request, group=group, rate=getattr(settings, rate_setting))
                if wait is not None:
                    logger.warning("%s refused: the address's rate limit is reached.", what)
                    response = public_render(request, "public/too_many_requests.html", status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


rate_limited_posts = rate_limited(
    group="public-forms", rate_setting="RATE_LIMIT_PUBLIC_FORMS", what="Public form POST", posts_only=True
)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def from_this_site(request) -> bool:
    """True when the browser says the POST came from a page of this site: its Origin header
    (sent by every current browser with a form), or failing that its Referer (our pages
    send it to themselves: Referrer-Policy same-origin), is this site's address or one of
    CSRF_TRUSTED_ORIGINS. Neither, or "null", is refused: another site's form, or a browser
    hiding where it came from, cannot be told apart from a forged request."""
    sent_from = request.headers.get("Origin") or _origin(request.headers.get("Referer", ""))
    if not sent_from or sent_from == "null":
        return False
    allowed = {f"{request.scheme}://{request.get_host()}".lower(), *(o.lower() for o in settings.CSRF_TRUSTED_ORIGINS)}
    return sent_from.lower() in allowed


def same_origin_posts(view):
    """The public forms' protection against cross-site request forgery, in place of Django's
    CSRF token: that needs a cookie set when the form is shown, and these pages set none.
    A POST not from this site gets a 403 page saying what happened, and nothing sent is read."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and not from_this_site(request):
            logger.warning("Public form POST refused: it did not come from a page of this site.")
            return public_render(request, "public/not_sent.html", {"form_url": request.path}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def public_render(request, template: str, context: dict | None = None, *, status: int = 200):
    """A public page with what every public page needs: the exit link and the helplines."""
    context = {
        "exit_url": EXIT_URL,
        "helpline": HELPLINE,
        "childline": CHILDLINE,
        "honeypot": HONEYPOT,
        **(context or {}),
    }
    return render(request, template, context, status=status)


@private_page
@require_safe
def start(request):
    return public_render(request, "public/start.html")


def _referral_form_view(request, form_class, template: str, channel: str):
    if request.method == "POST":
        if request.POST.get(HONEYPOT, "").strip():
            logger.info("Public %s referral not recorded: the hidden field was filled in (a bot).", channel)
            return redirect("public_sent")  # the same answer a person gets, so a bot learns nothing
        form = form_class(request.POST)
        if form.is_valid():
            try:
                referral_create(data=form.referral_input(received_at=timezone.now()))
            except ValidationError:
                # No front-door agency is set up. Ids only in logs, never what was typed.
                logger.error("Public %s referral not recorded: no front-door agency to receive it.", channel)
                return public_render(request, "public/unavailable.html", status=503)
            # The same redirect and the same page for every referral, new name or known one.
            return redirect("public_sent")
    else:
        form = form_class()
    return public_render(request, template, {"form": form}, status=200)


@private_page
@same_origin_posts
@rate_limited_posts
@require_http_methods(["GET", "POST"])
def self_referral(request):
    return _referral_form_view(request, SelfReferralForm, "public/self_referral.html", "self")


@private_page
@same_origin_posts
@rate_limited_posts
@require_http_methods(["GET", "POST"])
def worried_about_someone(request):
    return _referral_form_view(request, WorriedAboutSomeoneForm, "public/worried_about_someone.html", "friends_family")


@private_page
@require_safe
def sent(request):
    # The partnership's first-contact deadline (the front door's task is due within it),
    # the same for everyone: nothing about the person is looked up.
    days = partnership_settings_get().first_contact_working_days_high
    return public_render(request, "public/sent.html", {"contact_days": days})
