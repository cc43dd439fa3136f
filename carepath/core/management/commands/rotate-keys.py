"""carepath rotate-keys [--batch-size N]

Re-encrypts every encrypted value (every table, change history included) with the newest
key in CAREPATH_FIELD_ENCRYPTION_KEYS, and reports what it did per table. Afterwards the
older keys can be removed from the list. Safe to run again: values already under the
newest key are left as they are.
"""

from django.core.management.base import BaseCommand, CommandError

from carepath.core.key_rotation import KeyMissing, encrypted_values_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value with the newest key, so older keys can be retired."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per transaction (default 1000).")

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")

        def report(table):
            self.stdout.write(
                f"{table.table}: {table.rows:,} rows, {table.values_reencrypted:,} values re-encrypted, "
                f"{table.values_current:,} already under the newest key, "
                f"{table.indexes_rewritten:,} search indexes rewritten"
            )

        try:
            results = encrypted_values_rotate(batch_size=batch_size, progress=report)
        except KeyMissing as exc:
            raise CommandError(
                f"{exc} The rows before it are rotated already; run again once the key is back."
            ) from None
        moved = sum(t.values_reencrypted for t in results)
        self.stdout.write(
            f"Done: {moved:,} values re-encrypted in {len(results)} tables. Every value is now "
            "under the newest key; the older keys can be removed from CAREPATH_FIELD_ENCRYPTION_KEYS."
        )
