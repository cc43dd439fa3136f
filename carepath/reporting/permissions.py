"""Permissions of the board's reporting (django-rules): the partnership's commissioners and
analysts, and its administrators, read the board's dashboard and download its pack (seed
002 §4.1: the board and its commissioners). The figures are counts across every agency,
never a person, so no agency involvement is needed to read them."""

import rules

from carepath.core.rules import is_administrator, is_commissioner

rules.add_perm("reporting.view_board_reports", is_commissioner | is_administrator)
