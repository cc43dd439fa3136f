"""Demo work for the order part (carepath demo-perpetrators): orders against the men who
harmed victims on demo-idva's cases (a DVPO breached twice, a non-molestation order, bail
conditions), an order protecting another of the first man's victims, releases from custody
and criminal history, all recorded by demo-police. Once only."""

from datetime import timedelta

from django.utils import timezone

from carepath.casework import rules
from carepath.casework.models import Case
from carepath.core.models import User
from carepath.events.models import Event
from carepath.perpetrators import order_services as services
from carepath.perpetrators.models import BreachAction, HistoryKind, Order, OrderKind
from carepath.perpetrators.order_selectors import linked_ids, victim_choices

#: Per case, in turn: the order, its length in days (None: until further order), who made
#: it, its conditions, and its breaches (days ago, what happened, action).
ORDERS = [
    (
        OrderKind.DVPO,
        28,
        "Magistrates' court",
        "Not to contact her directly or indirectly; not to enter the street where she lives.",
        [
            (6, "Sent her 14 text messages in one evening.", BreachAction.WARNED),
            (2, "Found outside her home at night; she called 999.", BreachAction.ARRESTED),
        ],
    ),
    (
        OrderKind.NON_MOLESTATION,
        365,
        "Family court",
        "Not to use or threaten violence; not to come within 100 metres of her home or her children's school.",
        [],
    ),
    (OrderKind.BAIL, None, "Custody sergeant", "To live at his mother's address; not to contact her.", []),
]
HISTORY = [
    (HistoryKind.CONVICTION, 2900, "Common assault on a former partner: community order."),
    (HistoryKind.CAUTION, 1500, "Criminal damage at a former partner's home."),
    (HistoryKind.INTELLIGENCE, 40, "Reported to be looking for a new partner's address through her friends."),
]


def _on_her_cases(police, idva) -> list[tuple[object, object]]:
    """The victims of demo-idva's open cases the police saw harmed by a man, one per man:
    (him, the record of hers the police may record an order for)."""
    found, seen = [], set()
    for case in Case.objects.filter(worker__user=idva, status__in=rules.OPEN).order_by("pk"):
        hers = linked_ids(case.victim_id)
        event = (
            Event.objects.filter(victim_id__in=hers, perpetrator__isnull=False, agency_id=police.agency_id)
            .order_by("-occurred_at")
            .first()
        )
        if event is None or event.perpetrator_id in seen:
            continue
        victim = victim_choices(user=police, perpetrator=event.perpetrator).filter(pk__in=hers).first()
        if victim is not None:
            seen.add(event.perpetrator_id)
            found.append((event.perpetrator, victim))
    return found


def _other_victims(police, him, her):
    return victim_choices(user=police, perpetrator=him).exclude(pk__in=linked_ids(her.pk))


def load(*, stdout) -> None:
    police = User.objects.filter(username="demo-police").first()
    idva = User.objects.filter(username="demo-idva").first()
    if police is None or idva is None:
        stdout.write("No demo police or IDVA account: run `carepath demo-accounts` first. No orders.")
        return
    if Order.objects.filter(recorded_by_user=police).exists():
        stdout.write("Demo orders already loaded.")
        return
    now = timezone.now()
    today = timezone.localdate()
    # A man with another victim first: his order protecting her shows what her IDVA is not shown.
    pairs = sorted(
        _on_her_cases(police, idva),
        key=lambda pair: not _other_victims(police, *pair).exists(),
    )[: len(ORDERS)]
    for (him, her), (kind, days, made_by, conditions, breaches) in zip(pairs, ORDERS, strict=False):
        starts = today - timedelta(days=10)
        order = services.order_record(
            perpetrator=him,
            protected_person=her,
            kind=kind,
            made_on=starts,
            starts_on=starts,
            ends_on=starts + timedelta(days=days) if days else None,
            made_by=made_by,
            conditions=conditions,
            user=police,
            now=now,
        )
        for days_ago, what, action in breaches:
            services.breach_record(
                order=order,
                occurred_at=now - timedelta(days=days_ago),
                what_happened=what,
                action=action,
                user=police,
                now=now,
            )
        for history_kind, days_ago, summary in HISTORY:
            services.criminal_history_record(
                perpetrator=him,
                kind=history_kind,
                on=today - timedelta(days=days_ago),
                summary=summary,
                user=police,
                now=now,
            )
    if pairs:
        # The first man's other victims: an order protecting one, which her IDVA never sees on
        # the first victim's case; and his release from custody, which both lead workers see.
        him, her = pairs[0]
        other = _other_victims(police, him, her).first()
        if other is not None:
            services.order_record(
                perpetrator=him,
                protected_person=other,
                kind=OrderKind.RESTRAINING,
                made_on=today - timedelta(days=400),
                starts_on=today - timedelta(days=400),
                ends_on=None,
                made_by="Crown court",
                conditions="No contact with her or her family.",
                user=police,
                now=now,
            )
        services.custody_release_record(
            perpetrator=him,
            released_on=today - timedelta(days=21),
            licence_conditions="Curfew 7pm to 7am; to report to probation weekly; not to contact his victims.",
            user=police,
            now=now,
        )
    stdout.write(f"Orders against the men harming {len(pairs)} of demo-idva's victims, recorded by demo-police.")
