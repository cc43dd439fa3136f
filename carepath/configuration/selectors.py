"""Reads of the partnership's configuration."""

from dataclasses import dataclass
from datetime import datetime

from carepath.configuration.definitions import (
    PartnershipSettings,
    SettingDefinition,
    setting_definitions,
    settings_from_values,
)
from carepath.configuration.models import SettingValue


def partnership_settings_get() -> PartnershipSettings:
    """The settings in force: defaults from domain.md overlaid with the partnership's own values."""
    return settings_from_values(dict(SettingValue.objects.values_list("key", "value")))


@dataclass(frozen=True)
class SettingRow:
    definition: SettingDefinition
    value: object
    is_default: bool


def setting_rows() -> list[SettingRow]:
    current = partnership_settings_get()
    return [
        SettingRow(definition=d, value=getattr(current, d.key), is_default=getattr(current, d.key) == d.default)
        for d in setting_definitions()
    ]


@dataclass(frozen=True)
class SettingChange:
    key: str
    label: str
    old_value: str
    new_value: str
    changed_by: str
    changed_at: datetime
    reason: str


def setting_changes_list() -> list[SettingChange]:
    """Every change, newest first, with the value it replaced (the default for a first change)."""
    definitions = {d.key: d for d in setting_definitions()}
    previous: dict[str, str] = {}
    changes: list[SettingChange] = []
    for h in SettingValue.history.order_by("history_date", "history_id").select_related("history_user"):
        definition = definitions.get(h.key)
        old = previous.get(h.key, str(definition.default) if definition else "")
        changes.append(
            SettingChange(
                key=h.key,
                label=definition.label if definition else h.key,
                old_value=old,
                new_value=h.value,
                changed_by=h.history_user.get_username() if h.history_user else "system",
                changed_at=h.history_date,
                reason=h.history_change_reason or "",
            )
        )
        previous[h.key] = h.value
    return list(reversed(changes))
