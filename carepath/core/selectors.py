"""Reads for the core app."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from carepath.core.models import AccessLog


def access_log_for_record(*, record: Model) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("user", "agency")
