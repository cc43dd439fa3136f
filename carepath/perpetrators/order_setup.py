"""What the order part of the perpetrators app registers with core: queues, record types,
involvement rules and case sections (called from PerpetratorsConfig.ready)."""


def register() -> None:
    pass
