"""The safe-accommodation figures for commissioners and administrators: the Part 4 annual
return to review and download, and the operational reports for a period and a district.
Counts only: no page or file here shows a name or an address, so nobody is logged as
shown. Thin: the counting is in ``returns``, the reads in ``report_selectors``."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from carepath.accommodation import report_selectors, return_files, returns
from carepath.core.decorators import staff_view
from carepath.core.report_files import FORMAT_WORDS, FORMATS
from carepath.referrals.forms import DATE_FORMATS

PERMISSION = "accommodation.view_reports"
#: Years offered on the page: this one and the ones before it, back to the duty's first.
FIRST_YEAR = 2021


class YearForm(forms.Form):
    year = forms.ChoiceField(label="Year (January to December)")

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        years = range(today.year, FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(str(y), str(y)) for y in years]
        self.fields["year"].initial = str(today.year - 1)  # the last whole year: the one to return

    def clean_year(self):
        try:
            return returns.year_parse(self.cleaned_data["year"])
        except returns.YearError as exc:
            raise forms.ValidationError(str(exc)) from None


class PeriodForm(forms.Form):
    first = forms.DateField(label="From", input_formats=DATE_FORMATS, help_text="For example, 1/4/2026")
    last = forms.DateField(label="To", input_formats=DATE_FORMATS, help_text="For example, 30/6/2026")
    district = forms.ChoiceField(label="District", required=False)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "All districts")] + [(str(pk), name) for pk, name in districts]

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            try:
                cleaned["period"] = returns.Period(first, last)
            except returns.PeriodError as exc:
                self.add_error("last", str(exc))
            else:
                if cleaned["period"].nights > 366 * 5:
                    self.add_error("last", "Choose a period of five years at most.")
        return cleaned


def _return_chosen(request):
    data = request.GET if "year" in request.GET else None
    form = YearForm(data, today=timezone.localdate())
    if data is None or not form.is_valid():
        return form, None
    return form, report_selectors.annual_return(year=form.cleaned_data["year"])


def _lines(lines) -> list[dict]:
    """Each line of a section in words, and how it is counted the first time only, so that
    the page does not repeat one sentence down a section."""
    shown, seen = [], set()
    for line in lines:
        counted = "" if line.counted in seen else line.counted
        seen.add(line.counted)
        shown.append({"label": line.label, "number": returns.in_words(line.value, line.kind), "counted": counted})
    return shown


@staff_view(PERMISSION)
def return_view(request):
    """The annual return for a year, section by section, to review and download."""
    form, annual = _return_chosen(request)
    sections = [{"title": title, "lines": _lines(lines)} for title, lines in annual.sections] if annual else []
    return render(
        request,
        "accommodation/reports/return.html",
        {
            "form": form,
            "annual": annual,
            "sections": sections,
            "query": request.GET.urlencode() if annual else "",
            "formats": FORMAT_WORDS,
        },
    )


@staff_view(PERMISSION)
def return_download(request):
    extension = request.GET.get("format", "")
    _, annual = _return_chosen(request)
    if extension not in FORMATS or annual is None:
        messages.error(request, "Choose a year and Excel, CSV or JSON to download the return.")
        return redirect("accommodation_return")
    response = HttpResponse(return_files.return_file(annual, extension), content_type=FORMATS[extension])
    response["Content-Disposition"] = f'attachment; filename="{return_files.return_filename(annual.year, extension)}"'
    return response


def _reports_chosen(request):
    """The form, the reports it asks for (None when it is not valid), their heading and the
    query that asks for them. Until a period is chosen: the year so far, every district,
    so that the page opens on figures."""
    districts = report_selectors.district_choices()
    data = request.GET
    if "first" not in data:
        today = timezone.localdate()
        data = QueryDict(mutable=True)
        data.update({"first": date(today.year, 1, 1).strftime("%d/%m/%Y"), "last": today.strftime("%d/%m/%Y")})
    form = PeriodForm(data, districts=districts)
    if not form.is_valid():
        return form, None, "", ""
    period, chosen = form.cleaned_data["period"], form.cleaned_data["district"]
    district_id = int(chosen) if chosen else None
    where = dict(districts).get(district_id, "all districts")
    tables = report_selectors.operational_reports(period=period, district_id=district_id)
    return form, tables, f"Safe accommodation, {where}: {period}", data.urlencode()


@staff_view(PERMISSION)
def reports_view(request):
    """Occupancy and voids, declines, unmet demand, length of stay and out of area, move-on
    and sufficiency, for a period and a district."""
    form, tables, heading, query = _reports_chosen(request)
    shown = [
        {
            "title": t.title,
            "note": t.note,
            "columns": t.columns,
            "rows": [[returns.in_words(value, kind) for value, kind in row] for row in t.rows],
        }
        for t in tables or []
    ]
    return render(
        request,
        "accommodation/reports/reports.html",
        {"form": form, "tables": shown, "heading": heading, "query": query},
    )


@staff_view(PERMISSION)
def reports_download(request):
    _, tables, heading, _ = _reports_chosen(request)
    if tables is None:
        messages.error(request, "Choose a period to download the reports.")
        return redirect("accommodation_reports")
    response = HttpResponse(return_files.reports_workbook(tables, heading=heading), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="safe-accommodation-reports.xlsx"'
    return response
