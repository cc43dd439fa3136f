"""Generated counties shared by the synth tests (generation is pure and deterministic,
so one county-year can serve every read-only test of the session)."""

import pytest

from carepath.synth.generator import generate_county


@pytest.fixture(scope="session")
def county_year():
    """Hertfordshire at full scale, one year, seed 1."""
    return generate_county(seed=1, years=1, scale=1.0)


@pytest.fixture(scope="session")
def two_years():
    return generate_county(seed=5, years=2, scale=0.3)


@pytest.fixture(scope="session")
def small_county():
    return generate_county(seed=3, years=1, scale=0.05)
