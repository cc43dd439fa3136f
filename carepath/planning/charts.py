"""The planner's charts, as SVG to put inline in the page and the PDF (drawn and made
safe to inline by ``carepath.core.charts``). Every chart is shown with a table of the
same numbers and a sentence saying what it shows."""

import matplotlib

from carepath.core.charts import FUNDED_COLOUR, GRID_COLOUR, NEEDED_COLOUR, STYLE, Chart, chart_of, new_figure


def _fte(value) -> str:
    return f"{float(value):.1f}"


def capacity_chart(plan: dict) -> Chart:
    """IDVAs needed against IDVAs funded in each MARAC area (bar chart)."""
    rows = plan["capacity"]["idva"]["areas"]
    names = [r["area"] for r in rows]
    needed = [float(r["needed"]) for r in rows]
    funded = [float(r["funded"]) for r in rows]
    with matplotlib.rc_context(STYLE):
        figure, axes = new_figure(3.4)
        positions = range(len(rows))
        width = 0.38
        bars_needed = axes.bar(
            [p - width / 2 for p in positions], needed, width, label="IDVAs needed", color=NEEDED_COLOUR
        )
        bars_funded = axes.bar(
            [p + width / 2 for p in positions],
            funded,
            width,
            label="IDVAs funded",
            color="white",
            edgecolor=FUNDED_COLOUR,
            hatch="///",
        )
        axes.bar_label(bars_needed, labels=[_fte(v) for v in needed], padding=2)
        axes.bar_label(bars_funded, labels=[_fte(v) for v in funded], padding=2)
        axes.set_xticks(list(positions), names)
        axes.set_ylabel("Full-time IDVAs")
        axes.yaxis.grid(True, color=GRID_COLOUR, linewidth=0.5)
        axes.margins(y=0.15)
        axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    title = "IDVAs needed and funded, by MARAC area"
    summary = (
        "Bar chart. "
        + "; ".join(f"{r['area']}: {_fte(r['needed'])} needed, {_fte(r['funded'])} funded" for r in rows)
        + "."
    )
    return chart_of(figure, key="capacity-chart", title=title, summary=summary)


def _horizontal_bars(key: str, title: str, labels: list[str], thousands: list, what: str) -> Chart:
    values = [float(v) for v in thousands]
    with matplotlib.rc_context(STYLE):
        figure, axes = new_figure(0.45 * len(values) + 0.9)
        positions = range(len(values))
        bars = axes.barh(list(positions), values, color=NEEDED_COLOUR)
        axes.bar_label(bars, labels=[f"£{v:,.0f}k" for v in values], padding=3)
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()  # largest first, as the table lists them
        axes.set_xlabel("£'000 a year")
        axes.xaxis.grid(True, color=GRID_COLOUR, linewidth=0.5)
        axes.margins(x=0.18)
    summary = (
        f"Horizontal bar chart of funding by {what}, in thousands of pounds a year. "
        + "; ".join(f"{label}: £{value:,.0f}k" for label, value in zip(labels, values))
        + "."
    )
    return chart_of(figure, key=key, title=title, summary=summary)


def funders_chart(plan: dict) -> Chart:
    """Funding by funder (Table 5), largest first."""
    rows = plan["funding"]["funders"]
    return _horizontal_bars(
        "funders-chart",
        "Funding by funder (Table 5)",
        [r["funder"] for r in rows],
        [r["thousands"] for r in rows],
        "funder",
    )


def services_chart(plan: dict) -> Chart:
    """Funding by service (Table 6), in the table's order."""
    rows = plan["funding"]["services"]
    labels = [_short_label(r["label"]) for r in rows]
    return _horizontal_bars(
        "services-chart", "Funding by service (Table 6)", labels, [r["thousands"] for r in rows], "service"
    )


def _short_label(label: str) -> str:
    """Table 6's labels without their bracketed detail, so the bars keep their width."""
    return label.split(" (")[0]


def plan_charts(plan: dict) -> dict[str, Chart]:
    return {"capacity": capacity_chart(plan), "funders": funders_chart(plan), "services": services_chart(plan)}
