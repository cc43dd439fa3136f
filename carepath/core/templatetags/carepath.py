from django import template

register = template.Library()


@register.filter
def humanise(code: str) -> str:
    """ "visible_high_risk" -> "Visible high risk"."""
    return str(code).replace("_", " ").capitalize()
