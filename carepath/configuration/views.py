from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from carepath.configuration import selectors, services


def _require_administrator(user) -> None:
    if not user.has_perm("configuration.change_settings"):
        raise PermissionDenied


@login_required
def settings_edit(request):
    _require_administrator(request.user)
    errors: dict[str, list[str]] = {}
    rows = selectors.setting_rows()
    submitted = {}
    if request.method == "POST":
        submitted = {row.definition.key: request.POST.get(row.definition.key, "") for row in rows}
        try:
            changed = services.partnership_settings_update(
                user=request.user, values=submitted, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, f"{len(changed)} setting(s) changed." if changed else "Nothing changed.")
            return redirect("settings_edit")
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.definition.group, []).append(
            {"row": row, "shown": submitted.get(row.definition.key, row.value), "errors": errors.get(row.definition.key, [])}
        )
    return render(
        request,
        "configuration/settings_edit.html",
        {"groups": groups, "errors": errors, "reason": request.POST.get("reason", "")},
    )


@login_required
def settings_history(request):
    _require_administrator(request.user)
    return render(request, "configuration/settings_history.html", {"changes": selectors.setting_changes_list()})
