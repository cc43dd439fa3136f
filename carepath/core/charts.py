"""Charts as SVG to put inline in a page or a PDF (the planner's, the champions network's).

matplotlib's object API (no pyplot: no global figure state between requests). The SVG is
the same bytes for the same figures: no date in it, ids from a fixed salt, text drawn as
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


def chart_of(figure: Figure, *, key: str, title: str, summary: str, for_print: bool = False) -> Chart:
    """The figure as a ``Chart``: its SVG titled and described for screen readers, with
    ids prefixed by ``key`` so that several charts can share a page. ``for_print`` leaves
    the text as text, for a PDF the server lays out with its own copy of the font: its
    layout engine draws that about twice as fast as text drawn as paths."""
    return Chart(key, title, summary, svg_of(figure, key=key, title=title, summary=summary, for_print=for_print))


def svg_of(figure: Figure, *, key: str, title: str, summary: str, for_print: bool = False) -> str:
    out = StringIO()
    with matplotlib.rc_context({**STYLE, "svg.fonttype": "none"} if for_print else STYLE):
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


def new_figure(height: float, width: float = 7.5) -> tuple[Figure, object]:
    """A figure with one set of axes, without the top and right frame lines."""
    figure = Figure(figsize=(width, height))
    axes = figure.subplots()
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_axisbelow(True)
    return figure, axes
