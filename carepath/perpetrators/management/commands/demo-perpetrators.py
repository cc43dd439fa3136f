"""``carepath demo-perpetrators``: serial and repeat perpetrators' plans (from the synthetic
county's links), orders and breaches, programmes and Clare's Law applications in progress,
for the demo accounts. Run after ``demo-accounts`` and ``demo-casework``."""

from django.core.management.base import BaseCommand
from django.db import transaction

from carepath.perpetrators import disclosure_demo, order_demo, panel_demo, programme_demo


class Command(BaseCommand):
    help = "Load demo work for the perpetrators app (orders, the panel, programmes, Clare's Law)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for part in (order_demo, panel_demo, programme_demo, disclosure_demo):
                part.load(stdout=self.stdout)
