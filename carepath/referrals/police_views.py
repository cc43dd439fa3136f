"""The police extract page: a force's incident extract uploaded in the browser, the result
of each import, its rejected rows to download and fix, and the history of imports."""

import re
from pathlib import Path

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from carepath.core import access, audit
from carepath.core.codes import AccessAction
from carepath.core.decorators import staff_view
from carepath.referrals import selectors
from carepath.referrals.models import PoliceImport
from carepath.referrals.police_extract import PoliceExtractError
from carepath.referrals.police_forms import PoliceExtractUploadForm
from carepath.referrals.police_import import police_extract_upload

PERMISSION = "referrals.import_police_extract"
PAGE_SIZE = 50


@staff_view(PERMISSION)
def police_imports(request):
    """Upload an extract, or see why it could not be imported; and the imports so far."""
    forces = list(selectors.police_forces_for(request.user))
    posted = request.method == "POST"
    form = PoliceExtractUploadForm(request.POST if posted else None, request.FILES if posted else None, forces=forces)
    file_errors: list[str] = []
    if posted and forces and form.is_valid():
        try:
            report = police_extract_upload(
                upload=form.cleaned_data["extract"], agency=form.chosen_force(), user=request.user
            )
        except PoliceExtractError as exc:
            file_errors = [error[:1].upper() + error[1:] for error in exc.errors]
        else:
            return redirect("police_import_detail", import_id=report.record_id)
    page = Paginator(selectors.police_imports_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/police_imports.html",
        {"form": form, "file_errors": file_errors, "forces": forces, "page": page},
    )


@staff_view(PERMISSION)
def police_import_detail(request, import_id: int):
    """What came of one import: rows read, imported, already imported, rejected, warnings."""
    record = access.record_open(
        request, PoliceImport, import_id, queryset=PoliceImport.objects.select_related("agency", "imported_by")
    )
    return render(
        request,
        "referrals/police_import_detail.html",
        {"record": record, "same_file_before": selectors.police_import_same_file_before(record)},
    )


@staff_view(PERMISSION)
def police_import_rejects(request, import_id: int):
    """The rejected rows as CSV, with line and reason, to fix and upload again. They hold
    names, so each download is logged as an export of the import."""
    record = selectors.police_imports_visible_to(request.user).filter(pk=import_id).first()
    if record is None:
        raise access.refused(request, PoliceImport, import_id)
    if not record.rejected_rows:
        raise Http404("This import rejected no rows.")
    audit.views_record(user=request.user, action=AccessAction.EXPORTED, records=[record], path=request.path)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(record.file_name).stem).strip("-.")[:100] or "police-extract"
    # With a byte-order mark, so that Excel opens it as UTF-8.
    response = HttpResponse("\ufeff" + record.rejected_rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{stem}.rejected.csv")
    return response
