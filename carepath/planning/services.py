"""Writes for the planner: storing a new set of inputs."""

from io import BytesIO
from pathlib import Path

from django.db import transaction

from carepath.core.history import changed_by
from carepath.planning.inputs import inputs_load_workbook
from carepath.planning.models import PlanningInputs


@transaction.atomic
def planning_inputs_upload(*, user, file, name: str = "") -> PlanningInputs:
    """Read an uploaded inputs workbook and make it the partnership's current inputs.

    All or nothing: a workbook with any problem raises ``PlanInputErrors`` listing every
    problem (sheet, row, field, message) and nothing is stored. ``name`` defaults to the
    file's name without ``.xlsx``.
    """
    content = file.read()
    filename = Path(file.name).name
    inputs = inputs_load_workbook(BytesIO(content), name=name.strip() or Path(filename).stem, file_name=filename)
    stored = PlanningInputs(name=inputs.name[:200], filename=filename[:255], workbook=content, uploaded_by=user)
    changed_by(stored, user)
    stored.save()
    return stored
