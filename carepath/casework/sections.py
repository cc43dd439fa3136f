"""Sections other apps add to a casework case's page (safe accommodation's stays, ...), so
that casework imports none of them: ``register_case_section(template=, context=)`` with
``context(case) -> dict``, the section's template rendered with it below the support."""

from collections.abc import Callable

_sections: list[tuple[str, Callable]] = []


def register_case_section(*, template: str, context: Callable) -> None:
    _sections.append((template, context))


def case_sections(case) -> list[tuple[str, dict]]:
    return [(template, context(case)) for template, context in _sections]
