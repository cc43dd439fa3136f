"""Demo work for the programme part (carepath demo-perpetrators)."""


def load(*, stdout) -> None:
    pass
