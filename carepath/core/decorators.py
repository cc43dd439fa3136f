"""The one way a view says who may use it.

``staff_view`` for every staff page: signed in (both factors, by the middleware), and
holding ``permission`` when one is named; anyone else gets 403, never the page. Pages of
one record also open it through ``core.access.record_open``, which answers 404 for a
record the user may not see. ``public_view`` marks the few pages open without signing in
(the help pages); the URL-walking tests refuse any view that is neither.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def staff_view(permission: str | None = None):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if permission and not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        checked = login_required(wrapped)
        checked.carepath_access = "staff"
        checked.carepath_permission = permission
        return checked

    return decorator


def public_view(view):
    """A page anyone may open without signing in."""
    view.carepath_access = "public"
    return view
