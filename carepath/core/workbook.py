"""Excel tables as the partnership's workbooks lay them out (openpyxl): titled tables one
under another, bold grey headers, the first header row frozen, numbers kept as numbers
with their format. The planner's workbook and the MARAC return write through it."""

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

MONEY = '"£"#,##0;-"£"#,##0'
THOUSANDS = "#,##0"
COUNT = "#,##0"
FTE = "0.0"
PERCENT = "0%"
RATE = "0.0%"
DATE = "yyyy-mm-dd"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="F3F2F1")  # GOV.UK light grey
DIFFERS_FILL = PatternFill("solid", fgColor="FFF7BF")  # GOV.UK light yellow, with a "Differs" column too


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict], object]
    number_format: str | Callable[[dict], str | None] | None = None  # one for the column, or one per row
    width: int = 14

    def format_for(self, row: dict) -> str | None:
        return self.number_format(row) if callable(self.number_format) else self.number_format


def share_cell(value) -> float | None:
    """A plan's whole percentage (75) as the fraction Excel formats as 75%."""
    return None if value is None else float(value) / 100


def cell_value(value):
    return float(value) if hasattr(value, "as_tuple") else value


class SheetWriter:
    """Writes titled tables one under another; the first table's header row stays frozen."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.row = 1
        self.widths: dict[int, int] = {}

    def title(self, text: str) -> None:
        self.sheet.cell(self.row, 1, text).font = TITLE
        self.row += 1

    def note(self, text: str) -> None:
        self.sheet.cell(self.row, 1, text)
        self.row += 1

    def table(
        self,
        columns: list[Column],
        rows: list,
        *,
        title: str = "",
        totals: list = (),
        highlight: Callable[[dict], bool] = lambda row: False,
    ) -> None:
        if title:
            self.sheet.cell(self.row, 1, title).font = BOLD
            self.row += 1
        for index, column in enumerate(columns, start=1):
            cell = self.sheet.cell(self.row, index, column.header)
            cell.font, cell.fill = BOLD, HEADER_FILL
            self.widths[index] = max(self.widths.get(index, 0), column.width)
        if self.sheet.freeze_panes is None:
            self.sheet.freeze_panes = self.sheet.cell(self.row + 1, 1)
        self.row += 1
        for is_total, row in [*((False, r) for r in rows), *((True, r) for r in totals)]:
            for index, column in enumerate(columns, start=1):
                cell = self.sheet.cell(self.row, index, cell_value(column.value(row)))
                if cell.data_type == "f":
                    # Typed-in text that starts with "=" is kept as text, never made a formula.
                    cell.data_type = "s"
                if number_format := column.format_for(row):
                    cell.number_format = number_format
                if is_total:
                    cell.font = BOLD
                elif highlight(row):
                    cell.fill = DIFFERS_FILL
            self.row += 1
        self.row += 1

    def pairs(self, rows: list[tuple[str, object, str | None]], *, title: str = "") -> None:
        """Label and value rows, each value with its own number format."""
        self.table(
            [Column("Figure", lambda r: r[0], width=58), Column("Value", lambda r: r[1], lambda r: r[2], width=18)],
            rows,
            title=title,
        )

    def finish(self) -> None:
        for index, width in self.widths.items():
            self.sheet.column_dimensions[get_column_letter(index)].width = width
