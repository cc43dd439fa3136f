"""The signed-in member of staff's own account: their second factor and their password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.shortcuts import redirect, render

from carepath.core.forms import OwnPasswordChangeForm
from carepath.core.lockout import lockout_count_failure


@login_required
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
                request, username=request.user.get_username()):
            return redirect("login")
    return render(request, "core/password_change.html",
                  {"form": form, "password_rules": password_validators_help_texts()})
