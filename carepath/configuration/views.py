from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from carepath.configuration import selectors, services
from carepath.core.decorators import staff_view
from carepath.core.words import citation_for_readers


@staff_view("configuration.change_settings")
def settings_edit(request):
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
            {
                "row": row,
                "source": citation_for_readers(row.definition.source),
                "shown": submitted.get(row.definition.key, row.value),
                "errors": errors.get(row.definition.key, []),
            }
        )
    return render(
        request,
        "configuration/settings_edit.html",
        {"groups": groups, "errors": errors, "reason": request.POST.get("reason", "")},
    )


@staff_view("configuration.change_settings")
def settings_history(request):
    return render(request, "configuration/settings_history.html", {"changes": selectors.setting_changes_list()})
