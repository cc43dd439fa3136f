"""Demo work for the panel part (carepath demo-perpetrators)."""


def load(*, stdout) -> None:
    pass
