"""Triage keeps no tables of its own: its tasks are ``carepath.core.models.Task`` rows
whose subject is a referral, and its rules are pure (``routing.py``)."""
