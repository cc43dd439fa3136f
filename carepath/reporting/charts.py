"""The board dashboard's trend charts, as SVG to put inline in the page and the pack
(drawn and made safe to inline by ``carepath.core.charts``). Each is shown beside a table
of the same numbers, with a sentence saying what it shows."""

import math
from decimal import Decimal

import matplotlib

from carepath.core.charts import FUNDED_COLOUR, GRID_COLOUR, NEEDED_COLOUR, STYLE, Chart, chart_of, new_figure
from carepath.reporting import measures


def _number(value) -> float:
    """A point of the line; a gap for a figure not given or hidden."""
    return float(value) if isinstance(value, int | Decimal) else math.nan


def _words(value, kind: str) -> str:
    if value is None:
        return "not given"
    if isinstance(value, str):
        return value
    return f"{value}%" if kind == measures.PERCENT else f"£{value:,}" if kind == measures.MONEY else f"{value:,}"


def trend_chart(table: measures.Table, points: list[tuple[str, object]], *, key: str, for_print: bool = False) -> Chart:
    """The measure's headline figure quarter by quarter, with its benchmark drawn as a
    dashed line when it has one. A figure not shown (too few to show, or nothing to
    divide by) leaves a gap."""
    labels = [label for label, _ in points]
    values = [_number(value) for _, value in points]
    with matplotlib.rc_context(STYLE):
        figure, axes = new_figure(2.6)
        axes.plot(range(len(values)), values, marker="o", color=NEEDED_COLOUR, label=table.headline)
        for n, value in enumerate(table.benchmark_values):
            axes.axhline(
                float(value), color=FUNDED_COLOUR, linestyle="--", linewidth=1.2, label=None if n else table.benchmark
            )
        axes.set_xticks(list(range(len(labels))), labels, rotation=0, fontsize=8)
        axes.yaxis.grid(True, color=GRID_COLOUR, linewidth=0.5)
        axes.set_ylim(bottom=0)
        if table.headline_kind in (measures.PERCENT, measures.MONEY):
            axes.set_ylabel("%" if table.headline_kind == measures.PERCENT else "£")
        axes.margins(y=0.2)
        axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(0, -0.15), fontsize=8)
    summary = (
        f"Line chart of {table.headline[0].lower() + table.headline[1:]}, by quarter: "
        + "; ".join(f"{label}: {_words(value, table.headline_kind)}" for label, value in points)
        + (f". Benchmark: {table.benchmark}." if table.benchmark else ".")
    )
    return chart_of(figure, key=key, title=f"{table.headline}, by quarter", summary=summary, for_print=for_print)
