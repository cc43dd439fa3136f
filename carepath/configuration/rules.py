"""Permissions of the configuration app (django-rules)."""

import rules

from carepath.core.rules import is_administrator

rules.add_perm("configuration.change_settings", is_administrator)
