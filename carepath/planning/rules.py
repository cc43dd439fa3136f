"""Permissions of the planner (django-rules): partnership figures only, no personal records."""

import rules

from carepath.core.rules import is_administrator, is_commissioner

rules.add_perm("planning.use_planner", is_commissioner | is_administrator)
