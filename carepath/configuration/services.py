"""Writes to the partnership's configuration. Each change keeps who, when, old and new
value and the reason (django-simple-history)."""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction

from carepath.configuration.definitions import setting_definitions
from carepath.configuration.models import SettingValue
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.history import changed_by


@transaction.atomic
def partnership_settings_update(*, user, values: dict[str, object], reason: str) -> list[str]:
    """Apply the values that differ from those in force; returns the keys changed.

    All or nothing: any invalid value, or an inconsistent combination, raises
    ``ValidationError`` with a message per setting and nothing is saved.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Say why the configuration is changing."})
    definitions = {d.key: d for d in setting_definitions()}
    current = partnership_settings_get()
    parsed: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key, raw in values.items():
        if key not in definitions:
            errors[key] = "This is not a setting Carepath knows."
            continue
        try:
            parsed[key] = definitions[key].parse(raw)
        except ValueError as exc:
            errors[key] = str(exc)
    if errors:
        raise ValidationError(errors)
    proposed = replace(current, **parsed)
    if combination_errors := proposed.validate():
        raise ValidationError(combination_errors)
    changed = [key for key, value in parsed.items() if value != getattr(current, key)]
    for key in changed:
        setting = SettingValue.objects.filter(key=key).first() or SettingValue(key=key)
        setting.value = str(parsed[key])
        changed_by(setting, user, reason=reason.strip())
        setting.save()
    return changed
