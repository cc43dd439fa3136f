"""Carepath: a county's whole response to domestic abuse."""
