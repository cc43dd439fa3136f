"""The signed-in member of staff's own account: their second factor and their password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.password_validation import password_validators_help_texts
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from carepath.core import two_factor
from carepath.core.decorators import staff_view
from carepath.core.forms import EnrolmentCodeForm, OwnPasswordChangeForm, TokenForm
from carepath.core.lockout import lockout_count_failure
from carepath.core.middleware import user_has_second_factor

#: The unconfirmed authenticator this session may set up, once its enrolment code was accepted.
ENROLMENT_DEVICE_SESSION_KEY = "carepath_enrolment_device"


@staff_view()
def two_factor_view(request):
    """The second factor: the code from the user's authenticator app or, the first time
    (or after a lost phone), their enrolment code, then the QR code to set up the app."""
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if user_has_second_factor(request.user):
        return redirect(next_url or "home")
    device = two_factor.confirmed_device(request.user) or two_factor.enrolment_device(
        request.user, request.session.get(ENROLMENT_DEVICE_SESSION_KEY)
    )
    if device is None:
        return _enrolment_code_step(request, next_url)
    enrolling = not device.confirmed
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = two_factor.verify_token(request, device, form.cleaned_data["token"])
        if error is None:
            request.session.pop(ENROLMENT_DEVICE_SESSION_KEY, None)
            return redirect(next_url or "home")
        form.add_error("token", error)
    context = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        context |= {"qr_svg": two_factor.qr_code_svg(device), "manual_key": two_factor.manual_key(device)}
    return render(request, "core/two_factor.html", context)


def _enrolment_code_step(request, next_url: str):
    """Before any QR code is shown, the one-time code an administrator issued. Wrong codes
    count towards the account's lockout as failed sign-ins do."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.enrolment_code_redeem(user=request.user, code=form.cleaned_data["enrolment_code"])
        if outcome.accepted:
            device = two_factor.enrolment_device_start(request.user)
            request.session[ENROLMENT_DEVICE_SESSION_KEY] = device.pk
            return redirect(f"{reverse('two_factor')}?{urlencode({'next': next_url})}" if next_url else "two_factor")
        if lockout_count_failure(request, username=request.user.get_username()):
            return redirect("login")
        form.add_error("enrolment_code", outcome.message)
    return render(request, "core/enrolment_code.html", {"form": form, "next": next_url})


@staff_view()
def password_change_view(request):
    """Change your own password. This session stays signed in; every other session of the
    account ends at its next request (Django checks each session against the password)."""
    form = OwnPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            update_session_auth_hash(request, form.save())
            messages.success(request, "Your password has been changed. You have been signed out everywhere else.")
            return redirect("home")
        # Someone at an unlocked screen must not be able to guess the password here.
        if form.has_error("old_password", "password_incorrect") and lockout_count_failure(
            request, username=request.user.get_username()
        ):
            return redirect("login")
    return render(
        request, "core/password_change.html", {"form": form, "password_rules": password_validators_help_texts()}
    )
