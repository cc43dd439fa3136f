from django import template

from carepath.accommodation.returns import in_words

register = template.Library()


@register.filter
def figure(cell) -> str:
    """A table's cell as the page shows it (the safe-accommodation reports' words)."""
    return in_words(cell.value, cell.kind)


@register.filter
def headline(value, kind: str) -> str:
    return in_words(value, kind)
