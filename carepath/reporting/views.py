"""The board's dashboard and its pack: every measure for a period and a place, each with
its trend chart and the data table beside it. Counts only: nobody is named, so nobody is
logged as shown; small numbers are hidden unless the user asks to see them."""

from dataclasses import dataclass

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify

from carepath.core.decorators import staff_view
from carepath.core.report_files import attachment
from carepath.reporting import charts, measures, pack, selectors
from carepath.reporting.forms import BoardForm

PERMISSION = "reporting.view_board_reports"


@dataclass(frozen=True)
class Section:
    table: measures.Table
    trend: list[tuple[str, object]]
    chart: object


def _threshold(small_numbers: bool) -> int:
    return 1 if small_numbers else selectors.small_number_threshold()


SCREEN, PRINT = "screen", "print"


def _board(request, charts_for: str | None = SCREEN) -> tuple[dict, bool]:
    """The page's context for the choices in the address, and whether they are ones offered:
    each measure's table (small numbers hidden unless asked for) with its trend and its chart
    (drawn for the screen, for print, or not at all), and what changed since the period before."""
    form = BoardForm(request.GET)
    chosen = form.chosen()
    context = {"form": form, "sections": [], "query": request.GET.urlencode()}
    if chosen:
        period, place, small_numbers = chosen
        figures = selectors.board_figures(period=period, place=place, threshold=_threshold(small_numbers))
        sections = []
        for n, table in enumerate(figures.tables):
            trend = figures.trends.get(table.measure.key, []) if table.headline else []
            chart = None
            if trend and charts_for:
                chart = charts.trend_chart(table, trend, key=f"trend-{n}", for_print=charts_for == PRINT)
            sections.append(Section(table, trend, chart))
        context.update(
            period=period,
            place=place,
            small_numbers=small_numbers,
            threshold=selectors.small_number_threshold(),
            sections=sections,
            previous=figures.previous,
            narrative=measures.what_changed(figures.tables, figures.previous_tables, since=figures.previous.label),
        )
    return context, chosen is not None


@staff_view(PERMISSION)
def board_dashboard(request):
    context, chosen = _board(request)
    return render(request, "reporting/dashboard.html", context, status=200 if chosen or not request.GET else 400)


def _download_name(context: dict, extension: str) -> str:
    return f"board-pack-{slugify(context['place'].name)}-{slugify(context['period'].label)}.{extension}"


@staff_view(PERMISSION)
def board_pack_pdf(request):
    context, chosen = _board(request, charts_for=PRINT)
    if not chosen:
        return redirect(f"{reverse('board_dashboard')}?{request.GET.urlencode()}")
    return attachment(pack.pack_pdf(context), _download_name(context, "pdf"))


@staff_view(PERMISSION)
def board_pack_excel(request):
    context, chosen = _board(request, charts_for=None)
    if not chosen:
        return redirect(f"{reverse('board_dashboard')}?{request.GET.urlencode()}")
    content = pack.pack_workbook(
        sections=context["sections"],
        period=context["period"],
        place=context["place"],
        narrative=context["narrative"],
        small_numbers=context["small_numbers"],
    )
    return attachment(content, _download_name(context, "xlsx"))
