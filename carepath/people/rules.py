"""Permissions of the people app (django-rules)."""

import rules

from carepath.core.rules import is_data_protection_officer, is_supervisor, works_at_front_door, works_for_police

# Deciding whether two agencies' records are one person (issue 4). Administrators are not
# reviewers unless they are also one of these.
rules.add_perm("people.review_record_links", is_data_protection_officer | (is_supervisor & works_at_front_door))
# How many records and agencies hold a person: for those who research across agencies only.
rules.add_perm("people.see_known_across", is_data_protection_officer | works_at_front_door)
# Finding a person by name or date of birth, among the people the agency may see.
rules.add_perm("people.search_people", works_for_police | works_at_front_door)
