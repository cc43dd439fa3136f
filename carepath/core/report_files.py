"""What every report file shares, whatever its app: the formats by extension (Excel, CSV,
JSON), the error naming the choices, numbers as a file keeps them, Excel's rules for a
sheet's name, and the response that sends a file to download. The MARAC return and the safe-accommodation return write through it."""

import re
from decimal import Decimal

from django.http import HttpResponse

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
FORMAT_WORDS = (("xlsx", "Excel"), ("csv", "CSV"), ("json", "JSON"))
#: What a download's name ends in, and the type it is sent as.
DOWNLOADS = {**FORMATS, "pdf": "application/pdf"}


class UnknownFormat(ValueError):
    pass


def format_for(filename: str, *, what: str = "the return") -> str:
    """The file format from the name's extension, or ``UnknownFormat`` naming the choices."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        shown = f"'.{extension}'" if extension else "no extension"
        raise UnknownFormat(
            f"{filename}: {shown} is not a format {what} is written in: end the name in .xlsx (Excel), .csv or .json."
        )
    return extension


def number(value):
    """A figure for a file: whole counts as integers, decimals as numbers, None as blank."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


def fraction(value: Decimal | None) -> float | None:
    """A percentage (12.5) as the fraction Excel formats as 12.5%."""
    return None if value is None else float(value) / 100


#: What makes a spreadsheet read a CSV cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value) -> str:
    """Typed-in text for a CSV cell, opened by a spreadsheet as text: one that starts like a
    formula gets an apostrophe in front, so a directory entry's "=HYPERLINK(...)" is shown,
    not run, on a partner's computer."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_number(value) -> str:
    return "" if value is None else str(number(value))


def sheet_name(name: str, taken: set[str], *, fallback: str = "Sheet") -> str:
    """``name`` as Excel allows a sheet's (31 characters, none of []:*?/\\), made unique
    among ``taken`` (which it joins)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or fallback
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def attachment(content: bytes, filename: str) -> HttpResponse:
    """A file to download, sent as the type its name's extension says (``DOWNLOADS``)."""
    return HttpResponse(
        content,
        content_type=DOWNLOADS[filename.rsplit(".", 1)[-1]],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
