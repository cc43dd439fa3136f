"""The champions network report's chart: one agency's champions and trained staff (top)
and the referrals it made (bottom), period by period, drawn by ``core.charts``."""

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from carepath.core.charts import FUNDED_COLOUR, GRID_COLOUR, NEEDED_COLOUR, STYLE, TEXT_COLOUR, Chart, chart_of
from carepath.training.rules import ReportRow

SERIES = (
    ("front_door", "Referrals to the front door", NEEDED_COLOUR, "o", "-"),
    ("idva", "Referrals to the IDVA service", FUNDED_COLOUR, "s", "--"),
    ("marac", "Referrals to MARAC", TEXT_COLOUR, "^", ":"),
)


def network_chart(*, agency: str, rows: list[ReportRow]) -> Chart:
    labels = [r.period.label for r in rows]
    positions = list(range(len(rows)))
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(7.5, 5.2))
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[1, 1.3])
        for axes in (top, bottom):
            axes.spines[["top", "right"]].set_visible(False)
            axes.set_axisbelow(True)
            axes.yaxis.grid(True, color=GRID_COLOUR, linewidth=0.5)
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # people and referrals come whole
        width = 0.38
        top.bar(
            [p - width / 2 for p in positions],
            [r.trained for r in rows],
            width,
            color=NEEDED_COLOUR,
            label="Trained staff",
        )
        top.bar(
            [p + width / 2 for p in positions],
            [r.champions for r in rows],
            width,
            color="white",
            edgecolor=FUNDED_COLOUR,
            hatch="///",
            label="Champions",
        )
        top.set_ylabel("People")
        top.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        for key, label, colour, marker, style in SERIES:
            bottom.plot(
                positions, [getattr(r, key) for r in rows], color=colour, marker=marker, linestyle=style, label=label
            )
        bottom.set_ylabel("Referrals")
        bottom.set_ylim(bottom=0)
        top.set_ylim(bottom=0)
        bottom.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        step = max(1, len(labels) // 12)  # at most about a dozen labels under the axis
        bottom.set_xticks(positions[::step], labels[::step], rotation=45, ha="right")
    title = f"{agency}: champions, trained staff and referrals made"
    summary = (
        "Bar chart of trained staff and champions at the end of each period, above a line chart of the "
        "referrals the agency made in it. "
        + "; ".join(
            f"{r.period.label}: {r.trained} trained, {r.champions} champions, {r.front_door} to the front door, "
            f"{r.idva} to IDVA, {r.marac} to MARAC"
            for r in rows
        )
        + "."
    )
    return chart_of(figure, key="network-chart", title=title, summary=summary)
