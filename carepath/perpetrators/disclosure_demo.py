"""Demo work for the disclosure part (carepath demo-perpetrators)."""


def load(*, stdout) -> None:
    pass
