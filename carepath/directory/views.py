"""Staff pages of the directory: search with filters, an entry's page, adding and changing
an entry, marking one checked, the owner's entries to check, and the downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from carepath.core.decorators import staff_view
from carepath.directory import exports, hours, selectors, services
from carepath.directory.forms import EntryForm, StaffSearchForm
from carepath.directory.models import Entry

PAGE_SIZE = 25


def _found(request):
    """The staff search of the request's query, and its form."""
    form = StaffSearchForm(request.GET or None)
    now = timezone.now()
    if form.is_bound and form.is_valid():
        entries = selectors.search(form.search(now=now, today=timezone.localdate()))
    else:
        entries = selectors.search(selectors.Search(today=timezone.localdate(), now=now))
    return form, entries, now


@staff_view("directory.view_entries")
def directory_search(request):
    form, entries, now = _found(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": page,
            "results": selectors.listed(page.object_list, now=now),
            "query": f"&{query.urlencode()}" if query else "",
            "download_query": query.urlencode(),
            "can_add": request.user.has_perm("directory.add_entry"),
        },
    )


def _entry(entry_id: int) -> Entry:
    entry = (
        Entry.objects.select_related("owner__agency").prefetch_related("districts", "hours").filter(pk=entry_id).first()
    )
    if entry is None:
        raise Http404("No such entry.")
    return entry


@staff_view("directory.view_entries")
def directory_entry(request, entry_id: int):
    entry = _entry(entry_id)
    today = timezone.localdate()
    stale = selectors.staleness()
    week = selectors.week_of(entry)
    return render(
        request,
        "directory/entry.html",
        {
            "entry": entry,
            "status": hours.status_words(week, timezone.now()),
            "open_now": hours.is_open(week, timezone.now()),
            "week": hours.week_words(week),
            "hidden": entry.last_checked_on < stale.hidden_before(today),
            "due": entry.last_checked_on < stale.due_before(today),
            "hidden_on": stale.hidden_on(entry),
            "can_change": request.user.has_perm("directory.change_entry", entry),
        },
    )


def _entry_form(request, entry: Entry | None):
    form = EntryForm(request.POST or None, instance=entry, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        # Saving the entry is checking it: its owner has just read it all.
        values["last_checked_on"] = timezone.localdate()
        try:
            saved = services.entry_save(
                user=request.user,
                values=values,
                districts=form.cleaned_data["districts"],
                hours=form.hours(),
                entry=entry,
            )
        except ValidationError as error:
            for field, message in error.message_dict.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, f"{saved.name} is saved, and checked today.")
            return redirect("directory_entry", entry_id=saved.pk)
    return render(request, "directory/entry_form.html", {"form": form, "entry": entry})


@staff_view("directory.add_entry")
@require_http_methods(["GET", "POST"])
def directory_entry_new(request):
    return _entry_form(request, None)


@staff_view("directory.view_entries")
@require_http_methods(["GET", "POST"])
def directory_entry_edit(request, entry_id: int):
    entry = _entry(entry_id)
    if not request.user.has_perm("directory.change_entry", entry):
        raise PermissionDenied
    return _entry_form(request, entry)


@staff_view("directory.view_entries")
@require_POST
def directory_entry_checked(request, entry_id: int):
    """One click: the entry is still right."""
    entry = _entry(entry_id)
    services.entry_mark_checked(entry=entry, user=request.user, today=timezone.localdate())
    messages.success(request, f"{entry.name} is marked as checked today.")
    if request.POST.get("next") == "queue":
        return redirect("directory_to_check")
    return redirect("directory_entry", entry_id=entry.pk)


@staff_view("directory.check_entries")
def directory_to_check(request):
    today = timezone.localdate()
    stale = selectors.staleness()
    entries = list(selectors.entries_to_check(user=request.user, today=today))
    return render(
        request,
        "directory/to_check.html",
        {
            "rows": [
                {"entry": e, "hidden": e.last_checked_on < stale.hidden_before(today), "hidden_on": stale.hidden_on(e)}
                for e in entries
            ],
            "stale_days": stale.stale_days,
        },
    )


@staff_view("directory.view_entries")
def directory_download_csv(request):
    _form, entries, _now = _found(request)
    response = HttpResponse(exports.directory_csv(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="directory-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@staff_view("directory.view_entries")
def directory_download_xlsx(request):
    _form, entries, _now = _found(request)
    today = timezone.localdate()
    response = HttpResponse(
        exports.directory_xlsx(entries, title=f"Directory of services, {today:%-d %B %Y}"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="directory-{today:%Y-%m-%d}.xlsx"'
    return response
