"""The planner's forms: the assumptions (one field per ``Assumptions`` field, built from
its label, unit, source and bounds), the two scenarios to compare, and the upload."""

import zipfile
from dataclasses import Field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django import forms

from carepath.planning.inputs import assumption_fields

MAX_WORKBOOK_MB = 5
# A workbook is a zip file: refuse one that would unpack to far more than any input set
# needs before openpyxl reads it all into memory.
MAX_UNPACKED_MB = 100
SHARE = "share"
# The form's fieldsets, in the order of the review's chain: need, capacity, cost, funding.
ASSUMPTION_GROUPS = {
    "Need": (
        "female_victims",
        "high_medium_share",
        "high_share",
        "visible_high",
        "visible_medium",
        "share_with_children",
        "children_per_family",
    ),
    "Capacity": (
        "idva_caseload_high",
        "idva_caseload_medium",
        "refuge_places_per_10k_population",
        "marac_cases_per_10k_women",
    ),
    "Cost of an IDVA service": ("on_cost_rate", "overhead_rate"),
    "Funding": ("funding_as_at", "ending_within_months"),
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _number_text(raw: str) -> str:
    """What a commissioner might type, as Python reads numbers: '17,700', '£15,000', '26 %'."""
    return raw.strip().replace(",", "").replace("£", "").replace(" ", "")


class AssumptionField(forms.CharField):
    """One assumption: a whole number, a decimal, a share typed as a percentage, or a date.

    Messages follow the GOV.UK pattern and name the assumption, since the error summary
    lists them away from their fields.
    """

    def __init__(self, definition: Field, *, source: str, configured: bool = False, **kwargs):
        self.definition = definition
        self.configured = configured
        meta = definition.metadata
        self.kind = type(definition.default)
        self.unit = meta["unit"]
        self.minimum, self.maximum = meta["minimum"], meta["maximum"]
        self.short = _lower_first(meta["label"])
        if self.unit == SHARE:
            # Entered as a percentage (26 for 26%), stored as a share (0.26).
            self.minimum = None if self.minimum is None else self.minimum * 100
            self.maximum = None if self.maximum is None else self.maximum * 100
        super().__init__(
            label=meta["label"],
            help_text=f"Source: {source}",
            error_messages={"required": f"Enter {self.short}"},
            **kwargs,
        )

    @property
    def suffix(self) -> str:
        return "%" if self.unit == SHARE else self.unit

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if self.kind is date:
            try:
                return date.fromisoformat(text.strip())
            except ValueError:
                raise forms.ValidationError(f"Enter {self.short} as a date, for example 2014-12-01") from None
        try:
            number = Decimal(_number_text(text).removesuffix("%"))
        except InvalidOperation:
            raise forms.ValidationError(f"Enter {self.short} as a number") from None
        if not number.is_finite():
            raise forms.ValidationError(f"Enter {self.short} as a number")
        if self.kind is int and number != number.to_integral_value():
            raise forms.ValidationError(f"Enter {self.short} as a whole number")
        if self.minimum is not None and number < self.minimum:
            raise forms.ValidationError(f"{self.label} must be {self.minimum} or more")
        if self.maximum is not None and number > self.maximum:
            raise forms.ValidationError(
                f"{self.label} must be {self.maximum}{'%' if self.unit == SHARE else ''} or less"
            )
        if self.kind is int:
            return int(number)
        return number / 100 if self.unit == SHARE else number

    def shown(self, value) -> str:
        """A value as the form shows it: shares as percentages, dates as YYYY-MM-DD."""
        if isinstance(value, date):
            return value.isoformat()
        if self.unit == SHARE:
            value = Decimal(value) * 100
        if isinstance(value, Decimal):
            value = value.normalize()
            return f"{value:f}"
        return str(value)


class PlannerForm(forms.Form):
    """The assumptions behind the plan and the two scenarios to compare.

    Submitted by GET so a plan can be shared by its address and the downloads use the
    same figures. A value missing from the address keeps its starting value, so a short
    address (``?idva_caseload_medium=70``) is a whole plan too.
    """

    def __init__(
        self,
        query,
        *,
        starting: dict,
        sources: dict[str, str],
        scenarios: list[str],
        configured: set[str] = frozenset(),
    ):
        fields: dict[str, forms.Field] = {
            d.name: AssumptionField(d, source=sources[d.name], configured=d.name in configured)
            for d in assumption_fields()
        }
        data = {name: field.shown(starting[name]) for name, field in fields.items()}
        if scenarios:
            choices = [(name, name) for name in scenarios]
            fields["scenario_a"] = forms.ChoiceField(label="Scenario A", choices=choices)
            fields["scenario_b"] = forms.ChoiceField(label="Scenario B", choices=choices)
            data |= {"scenario_a": scenarios[0], "scenario_b": scenarios[min(1, len(scenarios) - 1)]}
        data |= {name: query[name] for name in fields if name in query}
        super().__init__(data)
        self.fields.update(fields)

    def assumption_groups(self) -> list[tuple[str, list]]:
        """The assumption fields by fieldset; any the groups do not name come last."""
        names = [name for name, field in self.fields.items() if isinstance(field, AssumptionField)]
        groups = [(title, [self[n] for n in members if n in names]) for title, members in ASSUMPTION_GROUPS.items()]
        grouped = {n for members in ASSUMPTION_GROUPS.values() for n in members}
        if others := [self[n] for n in names if n not in grouped]:
            groups.append(("Other assumptions", others))
        return [(title, fields) for title, fields in groups if fields]

    def assumptions(self) -> dict:
        """The assumptions as typed values, for ``assumptions_replace`` (a valid form only)."""
        return {
            name: self.cleaned_data[name] for name, field in self.fields.items() if isinstance(field, AssumptionField)
        }

    def scenario_names(self) -> tuple[str, str] | None:
        if "scenario_a" not in self.fields:
            return None
        return self.cleaned_data["scenario_a"], self.cleaned_data["scenario_b"]


class InputsUploadForm(forms.Form):
    workbook = forms.FileField(
        label="Upload an inputs workbook",
        help_text="An Excel workbook (.xlsx) with a sheet per input file, such as the planner's Excel download "
        f"after you have edited it. Up to {MAX_WORKBOOK_MB} MB.",
        error_messages={"required": "Select an inputs workbook (.xlsx)", "empty": "The selected file is empty"},
    )
    name = forms.CharField(
        label="Name for these inputs (optional)",
        max_length=200,
        required=False,
        help_text="Shown on the planner and its downloads, for example 'Hertfordshire 2026 draft'. "
        "Leave it blank to use the file name.",
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if Path(upload.name).suffix.lower() != ".xlsx":
            raise forms.ValidationError("The selected file must be an Excel workbook (.xlsx)")
        if upload.size > MAX_WORKBOOK_MB * 1024 * 1024:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_WORKBOOK_MB} MB")
        if not zipfile.is_zipfile(upload):
            raise forms.ValidationError("The selected file is not an Excel workbook that can be opened (.xlsx)")
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
        if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The selected workbook holds more than {MAX_UNPACKED_MB} MB of data: "
                "the planner's inputs need far less"
            )
        upload.seek(0)
        return upload

    def input_set_name(self) -> str:
        return self.cleaned_data["name"].strip() or Path(self.cleaned_data["workbook"].name).stem
