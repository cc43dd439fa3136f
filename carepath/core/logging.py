"""Keep personal data out of application logs.

Carepath's own code logs record ids only. These two guards catch what Django itself
might otherwise write: request bodies in error reports and form values in tracebacks.
"""

import logging

from django.views.debug import SafeExceptionReporterFilter


class NoPersonalDataFilter(logging.Filter):
    """Drop the request object and its POST data from log records before formatting."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports never show submitted form values or local variables: both may hold
    names, dates of birth or addresses."""

    def get_post_parameters(self, request):
        return {}

    def get_traceback_frame_variables(self, request, tb_frame):
        return []

    def is_active(self, request):
        return True
