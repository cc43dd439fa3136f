"""``carepath audit verify [--anchor SEQ:DIGEST]`` and ``carepath audit anchor``.

verify walks the access log's hash chain and exits non-zero naming the first row that was
edited, deleted or put out of order; with the anchor printed earlier by ``audit anchor``
(kept where the database's users cannot write), it also finds rows cut off the end.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from carepath.core.audit import chain_anchor, chain_verify


class Command(BaseCommand):
    help = "Check the access log's hash chain (verify), or print its head to keep elsewhere (anchor)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Check every row of the access log's chain.")
        verify.add_argument("--anchor", default="", help="The SEQ:DIGEST printed by 'carepath audit anchor' earlier.")
        sub.add_parser("anchor", help="Print the chain's head (SEQ:DIGEST) to keep somewhere safe.")

    def handle(self, *args, action: str, **options):
        if action == "anchor":
            self.stdout.write(chain_anchor())
            return
        anchor = options["anchor"].strip()
        if anchor and (":" not in anchor or not anchor.partition(":")[0].isdigit()):
            raise CommandError(
                "--anchor: expected SEQ:DIGEST as printed by 'carepath audit anchor', for example 1234:9f86d0..."
            )
        started = time.monotonic()
        result = chain_verify(anchor=anchor)
        seconds = time.monotonic() - started
        if result.ok:
            self.stdout.write(
                f"Access log intact: {result.rows} rows checked in {seconds:.1f} s; head {result.head_seq}."
            )
            return
        self.stderr.write(f"Access log NOT intact: {result.problem}. {result.rows} rows before it are intact.")
        sys.exit(1)
