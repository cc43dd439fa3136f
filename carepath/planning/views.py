"""The Planner page, its downloads and the upload of new inputs (commissioners and administrators).

The page is a GET form: the assumptions live in the address, so a plan can be shared and
the Excel and PDF downloads show the page's figures. With HTMX the form swaps only the
planner region; without JavaScript it is an ordinary form.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify

from carepath.core.decorators import staff_view
from carepath.core.report_files import attachment
from carepath.planning import exports, selectors, services
from carepath.planning.charts import plan_charts
from carepath.planning.forms import InputsUploadForm, PlannerForm
from carepath.planning.inputs import CONFIGURED_ASSUMPTIONS, PlanInputErrors, PlanInputs, assumption_fields
from carepath.planning.models import PlanningInputs
from carepath.planning.recorded import Comparison, FinancialYear, RecordedFigures, financial_year_of, inputs_compared

PERMISSION = "planning.use_planner"
REVIEW = "review"  # the ``figures`` of the address that plans from the input set's own figures


@dataclass
class Planner:
    """Everything the page and the downloads show, from one request's address."""

    stored: PlanningInputs | None
    inputs: PlanInputs | None = None
    form: PlannerForm | None = None
    plan: dict | None = None
    comparison: dict | None = None
    stored_errors: list = field(default_factory=list)
    # The figures planned from: the input set's (``year`` None), or the records of ``year``.
    years: list[FinancialYear] = field(default_factory=list)
    year: FinancialYear | None = None
    base: PlanInputs | None = None
    recorded: RecordedFigures | None = None
    compared: list[Comparison] = field(default_factory=list)

    @property
    def figures(self) -> str:
        """The ``figures`` of the address: ``review`` or the year's first (April's) year."""
        return str(self.year.start) if self.year else REVIEW

    @property
    def current_year(self) -> FinancialYear:
        """This financial year: its figures are so far, not the year's."""
        return financial_year_of(timezone.localdate())

    @property
    def records(self) -> dict | None:
        """What the comparison of the records with the input set shows (None: not planned from records)."""
        if not self.compared:
            return None
        return {
            "recorded": self.recorded,
            "compared": self.compared,
            "base_name": self.base.name,
            "so_far": self.year == self.current_year,
        }

    @property
    def year_without_events(self) -> bool:
        return self.year is not None and not self.compared

    @property
    def name(self) -> str:
        return self.plan["inputs"]["name"] if self.plan else (self.stored.name if self.stored else "")


def _year_asked(request) -> FinancialYear | None:
    """The year in the address's ``figures`` (None: the input set's own figures). A year
    with no records is still a year: the page says so rather than refusing it."""
    figures = request.GET.get("figures", REVIEW).strip()
    if figures.isdigit() and len(figures) == 4:
        return FinancialYear(int(figures))
    return None


def _planner(request) -> Planner:
    stored = selectors.planning_inputs_current()
    try:
        inputs = selectors.plan_inputs_of(stored)
    except PlanInputErrors as exc:
        return Planner(stored=stored, stored_errors=exc.errors)
    years, year = selectors.recorded_years(user=request.user), _year_asked(request)
    base, recorded, compared = inputs, None, []
    if year is not None:
        recorded, from_records = selectors.recorded_inputs(base, user=request.user, year=year)
        if from_records is not None:
            inputs, compared = from_records, inputs_compared(base, from_records)
    form = PlannerForm(
        request.GET,
        starting=selectors.planner_starting_assumptions(inputs),
        sources={f.name: inputs.assumption_source(f.name) for f in assumption_fields()},
        scenarios=selectors.scenario_names(inputs),
        configured=set(CONFIGURED_ASSUMPTIONS),
    )
    planner = Planner(
        stored=stored, inputs=inputs, form=form, years=years, year=year, base=base, recorded=recorded, compared=compared
    )
    if not form.is_valid():
        return planner
    try:
        planner.inputs, planner.plan = selectors.plan_with_assumptions(inputs, form.assumptions())
    except PlanInputErrors as exc:
        for error in exc.errors:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        return planner
    if scenarios := form.scenario_names():
        planner.comparison = selectors.scenario_comparison(planner.plan, *scenarios)
    return planner


def _download_name(planner: Planner, extension: str) -> str:
    return f"carepath-plan-{slugify(planner.name) or 'inputs'}-{timezone.localdate():%Y-%m-%d}.{extension}"


@staff_view(PERMISSION)
def planner(request):
    planner = _planner(request)
    # HTMX asks for the planner region only, except when it restores a page from history.
    region_only = request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")
    context = {
        "planner": planner,
        "form": planner.form,
        "plan": planner.plan,
        "comparison": planner.comparison,
        "charts": plan_charts(planner.plan) if planner.plan else None,
        "query": request.GET.urlencode(),
        "upload_form": InputsUploadForm(),
        "region_only": region_only,
    }
    response = render(
        request, "planning/includes/planner_region.html" if region_only else "planning/planner.html", context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _planner_or_page(request):
    """The plan for a download; None (with the page to go back to) when the address has errors."""
    planner = _planner(request)
    if planner.plan is None:
        return None, redirect(f"{reverse('planner')}?{request.GET.urlencode()}")
    return planner, None


@staff_view(PERMISSION)
def planner_excel(request):
    planner, back = _planner_or_page(request)
    if back:
        return back
    content = exports.plan_workbook(planner.plan, planner.inputs, planner.comparison)
    return attachment(content, _download_name(planner, "xlsx"))


@staff_view(PERMISSION)
def planner_pdf(request):
    planner, back = _planner_or_page(request)
    if back:
        return back
    content = exports.plan_pdf(planner.plan, planner.comparison, stored=planner.stored, records=planner.records)
    return attachment(content, _download_name(planner, "pdf"))


@staff_view(PERMISSION)
def planner_inputs_download(request):
    """The current inputs as a workbook to edit and upload again."""
    try:
        inputs = selectors.plan_inputs_of(selectors.planning_inputs_current())
    except PlanInputErrors:
        return redirect("planner")  # which lists the problems
    content = exports.inputs_workbook(inputs)
    return attachment(content, f"carepath-planner-inputs-{slugify(inputs.name) or 'inputs'}.xlsx")


@staff_view(PERMISSION)
def planner_inputs_upload(request):
    """Make an uploaded workbook the partnership's inputs, or list every problem in it."""
    form = InputsUploadForm(request.POST or None, request.FILES or None)
    input_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.planning_inputs_upload(
                user=request.user, file=form.cleaned_data["workbook"], name=form.input_set_name()
            )
        except PlanInputErrors as exc:
            input_errors = exc.errors
        else:
            messages.success(request, f"The planner now uses the inputs ‘{stored.name}’.")
            return redirect("planner")
    return render(
        request,
        "planning/inputs_upload.html",
        {
            "form": form,
            "input_errors": input_errors,
            "current": selectors.planning_inputs_current(),
            "recent": selectors.planning_inputs_recent(),
        },
    )
