"""Permissions of the risk app (django-rules)."""

import rules

from carepath.core.rules import is_administrator, is_commissioner

# The partnership adopts a revised or different risk checklist: its commissioners and
# administrators, who answer to the board for the pathway.
rules.add_perm("risk.adopt_checklist", is_administrator | is_commissioner)
