"""The champions network's fixtures: the county's courses and a training co-ordinator."""

import pytest

from carepath.core.codes import Role
from carepath.core.services import staff_create
from carepath.training.models import Course, CourseKind
from tests.conftest import PASSWORD


@pytest.fixture
def coordinator(county):
    """The partnership's training co-ordinator: a commissioner, as the network's report is theirs."""
    return staff_create(
        username="training-coordinator",
        agency=county["agencies"]["partnership"],
        role=Role.COMMISSIONER,
        password=PASSWORD,
    )


@pytest.fixture
def courses(db):
    return {
        kind: Course.objects.create(name=label, kind=kind)
        for kind, label in (
            (CourseKind.FOUNDATION, "Domestic abuse awareness"),
            (CourseKind.DASH, "Using the DASH checklist"),
            (CourseKind.TIER_TWO, "Tier 2: working with high risk"),
            (CourseKind.REFRESHER, "Champions' refresher"),
        )
    }
