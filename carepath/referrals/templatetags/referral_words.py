"""The words for a routing decision's codes: pages never show the codes themselves."""

from django import template

from carepath.core.codes import SharePart, label
from carepath.people.models import ContactChannel

register = template.Library()

FLAG_WORDS = {
    "young_victim": "Young victim (16 or 17)",
    "child_victim": "The victim is a child",
    "serial_perpetrator": "Serial perpetrator",
    "repeat_perpetrator": "Repeat perpetrator",
    "perpetrator_under_16": "Perpetrator under 16",
}


@register.filter
def flag_words(code: str) -> str:
    return FLAG_WORDS.get(code, "")


@register.filter
def channel_words(codes) -> str:
    return ", ".join(label(ContactChannel, c).lower() for c in codes if label(ContactChannel, c))


@register.filter
def share_part_words(codes) -> list[str]:
    return [label(SharePart, c) for c in codes if label(SharePart, c)]
