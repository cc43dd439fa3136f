"""The board's dashboard: every measure for a period and a place, each with its trend
chart and the data table beside it. Counts only: nobody is named, so nobody is logged as
shown; small numbers are hidden unless the user asks to see them."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone

from carepath.core.decorators import staff_view
from carepath.reporting import charts, measures, selectors
from carepath.reporting.forms import BoardForm

PERMISSION = "reporting.view_board_reports"


@dataclass(frozen=True)
class Section:
    table: measures.Table
    trend: list[tuple[str, object]]
    chart: object


def board_sections(*, period, place, small_numbers: bool) -> list[Section]:
    """Each measure's table (small numbers hidden unless asked for), with its trend."""
    now = timezone.now()
    threshold = 1 if small_numbers else selectors.small_number_threshold()
    tables = [measures.suppress(t, threshold) for t in selectors.board_tables(period=period, place=place, now=now)]
    trends = selectors.trends(period=period, place=place, now=now, threshold=threshold)
    sections = []
    for n, table in enumerate(tables):
        trend = trends.get(table.measure.key, []) if table.headline else []
        chart = charts.trend_chart(table, trend, key=f"trend-{n}") if trend else None
        sections.append(Section(table, trend, chart))
    return sections


@staff_view(PERMISSION)
def board_dashboard(request):
    form = BoardForm(request.GET)
    chosen = form.chosen()
    context = {"form": form, "sections": [], "query": request.GET.urlencode()}
    if chosen:
        period, place, small_numbers = chosen
        context.update(
            period=period,
            place=place,
            small_numbers=small_numbers,
            threshold=selectors.small_number_threshold(),
            sections=board_sections(period=period, place=place, small_numbers=small_numbers),
        )
    return render(request, "reporting/dashboard.html", context, status=200 if chosen or not request.GET else 400)
