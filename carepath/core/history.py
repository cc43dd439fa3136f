"""Change history for every model that holds personal data (django-simple-history)."""

from simple_history.models import HistoricalRecords


class RecordHistory(HistoricalRecords):
    """django-simple-history whose tables keep one index of their own: the record's id,
    by which a record's history is read (plus simple-history's date and user).

    A history row is written with every record: a national year of police incidents
    makes about 25 million. The indexes of the original fields (foreign keys, dates,
    identifiers) would be maintained again for rows nobody searches by those columns.
    """

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name:
                field.db_index = False
        return fields


def changed_by(record, user, *, reason: str = ""):
    """Say who makes the next save of ``record``, and why, for its change history: the one
    way services record who made a change (bulk writes pass ``history_user_id``)."""
    record._history_user = user
    if reason:
        record._change_reason = reason
    return record
