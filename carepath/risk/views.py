from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from carepath.configuration.selectors import partnership_settings_get
from carepath.core.decorators import staff_view
from carepath.risk import selectors, services
from carepath.risk.checklist import ChecklistError, checklist_from_questions, checklist_from_upload, thresholds_fit
from carepath.risk.forms import ChecklistAdoptForm, ChecklistUploadForm
from carepath.risk.models import Checklist


def _preview(request, form: ChecklistAdoptForm, checklist, problems=()):
    settings = partnership_settings_get()
    return render(
        request,
        "risk/checklist_preview.html",
        {
            "form": form,
            "checklist": checklist,
            "in_force": selectors.checklist_in_force(),
            "settings": settings,
            "problems": list(problems),
        },
    )


@staff_view("risk.adopt_checklist")
def checklist_list(request):
    """The checklist in force, every earlier version, and the upload of a new one."""
    form = ChecklistUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            checklist = checklist_from_upload(d["name"], d["version"], d["file"].read(), d["file"].name)
        except ChecklistError as exc:
            for problem in exc.problems:
                form.add_error("file", problem)
        else:
            settings = partnership_settings_get()
            adopt = ChecklistAdoptForm(
                initial={"name": checklist.name, "version": checklist.version, "questions": checklist.questions_data()}
            )
            fit = thresholds_fit(checklist, high=settings.dash_high_threshold, medium=settings.dash_medium_threshold)
            return _preview(request, adopt, checklist, fit)
    return render(
        request,
        "risk/checklist_list.html",
        {"form": form, "versions": selectors.checklist_versions(), "in_force": selectors.checklist_in_force()},
    )


@staff_view("risk.adopt_checklist")
def checklist_adopt(request):
    if request.method != "POST":
        return redirect("checklist_list")
    form = ChecklistAdoptForm(request.POST)
    if not form.is_valid() or not isinstance(form.cleaned_data.get("questions"), list):
        messages.error(request, "The preview could not be read back: upload the file again.")
        return redirect("checklist_list")
    d = form.cleaned_data
    try:
        checklist = checklist_from_questions(d["name"], d["version"], d["questions"])
    except ChecklistError:
        messages.error(request, "The preview could not be read back: upload the file again.")
        return redirect("checklist_list")
    try:
        adopted = services.checklist_adopt(
            checklist=checklist,
            user=request.user,
            reason=d["reason"],
            high_threshold=d["high_threshold"],
            medium_threshold=d["medium_threshold"],
        )
    except ValidationError as exc:
        problems = []
        for field, errors in exc.message_dict.items():
            if field in ("reason", "high_threshold", "medium_threshold"):
                for error in errors:
                    form.add_error(field, error)
            else:
                problems += errors
        return _preview(request, form, checklist, problems)
    messages.success(request, f"{adopted} is now the checklist in force.")
    return redirect("checklist_list")


@staff_view("risk.adopt_checklist")
def checklist_detail(request, checklist_id: int):
    row = get_object_or_404(Checklist.objects.select_related("adopted_by"), pk=checklist_id)
    return render(
        request,
        "risk/checklist_detail.html",
        {"row": row, "checklist": selectors.checklist_get(pk=row.pk)},
    )
