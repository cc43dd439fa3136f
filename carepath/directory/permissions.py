"""Permissions of the directory (django-rules).

- Every member of staff searches and reads the directory: it holds services, not people,
  and the front door, IDVAs and every champion signpost from it.
- An entry's owner edits it and marks it checked; so does an administrator, who also adds
  entries and gives them owners (the partnership keeps the directory; seed 002 §2.1.3 and
  Appendix 2's "maintaining a directory of local services").
- Downloads are for every member of staff too: they never hold an address.
"""

import rules

from carepath.core.codes import Role


@rules.predicate
def is_staff_member(user) -> bool:
    return user.is_authenticated and user.agency_id is not None


@rules.predicate
def is_administrator(user) -> bool:
    return user.is_authenticated and (user.role == Role.ADMINISTRATOR or user.is_superuser)


@rules.predicate
def owns_entry(user, entry) -> bool:
    return entry is not None and user.is_authenticated and entry.owner_id == user.pk


@rules.predicate
def owns_any_entry(user) -> bool:
    from carepath.directory.models import Entry

    return user.is_authenticated and Entry.objects.filter(owner=user).exists()


rules.add_perm("directory.view_entries", is_staff_member)
rules.add_perm("directory.add_entry", is_administrator)
rules.add_perm("directory.change_entry", is_administrator | owns_entry)
rules.add_perm("directory.check_entries", is_administrator | owns_any_entry)
