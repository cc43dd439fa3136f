"""Stamps each sign-in with its time, for ``SessionLifetimeMiddleware``."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

#: Session key: when the user signed in with their password (seconds since the epoch).
SIGNED_IN_AT = "carepath_signed_in_at"


@receiver(user_logged_in, dispatch_uid="carepath_signed_in_at")
def session_stamp_sign_in(sender, request, user, **kwargs) -> None:
    request.session[SIGNED_IN_AT] = time.time()
