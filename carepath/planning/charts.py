"""The planner's charts, as SVG to put inline in the page and the PDF.

matplotlib's object API (no pyplot: no global figure state between requests). The SVG is
the same bytes for the same plan: no date in it, ids from a fixed salt, text drawn as
paths in the DejaVu Sans that matplotlib ships (so it looks the same wherever it is
opened and needs no font from anywhere), and no DOCTYPE or links to other sites. Every
chart is shown with a table of the same numbers and a sentence saying what it shows.
"""

import re
from base64 import b64encode
from dataclasses import dataclass
from io import StringIO

import matplotlib
from django.utils.html import escape
from matplotlib.figure import Figure

# GOV.UK Design System colours: blue and dark grey, told apart by hatching in print too.
NEEDED_COLOUR = "#1d70b8"
FUNDED_COLOUR = "#505a5f"
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"

STYLE = {
    "svg.hashsalt": "carepath-planner",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "text.color": TEXT_COLOUR,
    "axes.edgecolor": GRID_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "hatch.linewidth": 0.8,
}
_ID = re.compile(r'\bid="([^"]+)"')
_STYLE_ELEMENT = re.compile(r'<style type="text/css">\*\{stroke-linejoin: round; stroke-linecap: butt\}</style>')


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    summary: str  # the text alternative: what the chart shows, in words
    svg: str

    @property
    def data_uri(self) -> str:
        """The SVG as an image address, for the PDF: WeasyPrint draws it as an image there."""
        return "data:image/svg+xml;base64," + b64encode(self.svg.encode()).decode()


def _fte(value) -> str:
    return f"{float(value):.1f}"


def _svg(figure: Figure, *, key: str, title: str, summary: str) -> str:
    out = StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(
            out,
            format="svg",
            bbox_inches="tight",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]  # no XML declaration or DOCTYPE inside HTML
    # matplotlib's one <style> element would need the page's nonce (Content-Security-Policy):
    # its rule, round joins and butt caps for every shape, becomes inherited attributes.
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    # Several charts share a page: give each one's ids (glyphs, clip paths) its own prefix.
    for name in dict.fromkeys(_ID.findall(svg)):
        svg = (
            svg.replace(f'id="{name}"', f'id="{key}-{name}"')
            .replace(f"#{name})", f"#{key}-{name})")
            .replace(f'href="#{name}"', f'href="#{key}-{name}"')
        )
    svg = re.sub(
        r'<svg ([^>]*?)width="[^"]*" height="[^"]*"',
        rf'<svg role="img" aria-labelledby="{key}-title {key}-desc" class="carepath-chart" \1',
        svg,
        count=1,
    )
    return svg.replace(
        ">", f'><title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(summary)}</desc>', 1
    )


def _figure(height: float) -> tuple[Figure, object]:
    figure = Figure(figsize=(7.5, height))
    axes = figure.subplots()
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_axisbelow(True)
    return figure, axes


def capacity_chart(plan: dict) -> Chart:
    """IDVAs needed against IDVAs funded in each MARAC area (bar chart)."""
    rows = plan["capacity"]["idva"]["areas"]
    names = [r["area"] for r in rows]
    needed = [float(r["needed"]) for r in rows]
    funded = [float(r["funded"]) for r in rows]
    with matplotlib.rc_context(STYLE):
        figure, axes = _figure(3.4)
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
    return Chart("capacity-chart", title, summary, _svg(figure, key="capacity-chart", title=title, summary=summary))


def _horizontal_bars(key: str, title: str, labels: list[str], thousands: list, what: str) -> Chart:
    values = [float(v) for v in thousands]
    with matplotlib.rc_context(STYLE):
        figure, axes = _figure(0.45 * len(values) + 0.9)
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
    return Chart(key, title, summary, _svg(figure, key=key, title=title, summary=summary))


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
