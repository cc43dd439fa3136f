"""The REST API for agency systems: ``POST /api/v1/referrals``, OpenAPI at ``/api/v1/openapi.json``."""
