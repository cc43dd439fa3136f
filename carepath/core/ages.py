"""A person's age in whole years on a day, counted as the law counts it: a birthday is
reached on its day (29 February's on 1 March in other years), so one rule serves forms,
imports, the API, the returns and the synthetic county."""

from datetime import date


def age_on(born: date | None, day: date) -> int | None:
    """Her age in whole years on ``day``; None when her date of birth is not known."""
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
