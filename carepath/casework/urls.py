"""Casework pages: the service queue, caseloads, the case, and service performance."""

urlpatterns: list = []
