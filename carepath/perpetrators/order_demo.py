"""Demo work for the order part (carepath demo-perpetrators)."""


def load(*, stdout) -> None:
    pass
