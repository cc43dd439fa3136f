"""Reads for the planner: the partnership's current inputs, the assumptions a plan starts
from, and the plan itself."""

from io import BytesIO

from carepath.configuration.selectors import partnership_settings_get
from carepath.planning import live
from carepath.planning.inputs import (
    CONFIGURED_ASSUMPTIONS,
    PlanInputs,
    assumption_fields,
    assumptions_replace,
    inputs_load,
    inputs_load_workbook,
)
from carepath.planning.models import PlanningInputs
from carepath.planning.plan import plan_compute
from carepath.planning.recorded import FinancialYear, RecordedFigures, inputs_from_records
from carepath.planning.scenarios import scenarios_compare

CONFIGURED_SOURCE = "The partnership's configuration (Configuration, 'Caseloads and capacity' and 'MARAC')"


def planning_inputs_current() -> PlanningInputs | None:
    """The newest upload: the partnership's current inputs (None: the bundled Hertfordshire 2014 set)."""
    return PlanningInputs.objects.select_related("uploaded_by").first()


def planning_inputs_recent(*, limit: int = 10):
    """The latest uploads, newest first, without their workbooks."""
    return PlanningInputs.objects.select_related("uploaded_by").defer("workbook")[:limit]


def plan_inputs_of(stored: PlanningInputs | None) -> PlanInputs:
    """The inputs of a stored upload, or the bundled Hertfordshire 2014 set for None.

    Raises ``PlanInputErrors`` if a stored workbook no longer reads.
    """
    if stored is None:
        return inputs_load()
    return inputs_load_workbook(BytesIO(bytes(stored.workbook)), name=stored.name, file_name=stored.filename)


def recorded_years(*, user) -> list[FinancialYear]:
    """The financial years the user's partnership holds events for, newest first."""
    return live.recorded_years(partnership=live.partnership_of(user))


def recorded_inputs(base: PlanInputs, *, user, year: FinancialYear) -> tuple[RecordedFigures | None, PlanInputs | None]:
    """The figures the user's partnership recorded in ``year``, and ``base`` with them laid
    over it; no inputs when the year holds no events (nor figures without a partnership)."""
    partnership = live.partnership_of(user)
    if partnership is None:
        return None, None
    figures = live.recorded_figures(partnership=partnership, year=year)
    return figures, (inputs_from_records(base, figures) if figures.events else None)


def _configured_assumptions() -> dict:
    configured = partnership_settings_get()
    return {name: getattr(configured, key) for name, key in CONFIGURED_ASSUMPTIONS.items()}


def planner_starting_assumptions(inputs: PlanInputs) -> dict:
    """Every assumption's starting value: the input set's, except those the partnership configures."""
    values = {f.name: getattr(inputs.assumptions, f.name) for f in assumption_fields()}
    return values | _configured_assumptions()


def scenario_names(inputs: PlanInputs) -> list[str]:
    return list(dict.fromkeys(r.scenario for r in inputs.recommendations))


def plan_with_assumptions(inputs: PlanInputs, assumptions: dict) -> tuple[PlanInputs, dict]:
    """The inputs with these assumptions, and their plan (keys in ``docs/planner.md``).

    Raises ``PlanInputErrors`` for an assumption the inputs module refuses.
    """
    configured = assumptions_replace(inputs, _configured_assumptions(), source=CONFIGURED_SOURCE)
    changed = assumptions_replace(configured, assumptions)
    return changed, plan_compute(changed)


def scenario_comparison(plan: dict, first: str, second: str) -> dict | None:
    """Scenarios ``first`` and ``second`` of the plan side by side (None if either is missing)."""
    by_name = {s["scenario"]: s for s in plan["scenarios"]}
    if first not in by_name or second not in by_name:
        return None
    comparison = scenarios_compare(by_name[first], by_name[second])
    # A recommendation costed at nothing says why ("Minimal", "Mainstream cost"): keep that beside each cost.
    for side, name in (("first", first), ("second", second)):
        basis = {r["recommendation"]: r["cost_basis"] for r in by_name[name]["recommendations"]}
        for row in comparison["rows"]:
            row[f"{side}_basis"] = basis.get(row["recommendation"], "")
    return comparison
