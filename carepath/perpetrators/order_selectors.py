"""Reads for a perpetrator's profile, his orders and their breaches, and what his victims'
lead workers see of them.

A perpetrator is one person across his linked records (``Person.identity_key``). What a
page shows of his victims and events is only what the user's agency may see (default deny,
``core.access``); criminal history and intelligence only for police and probation staff
(``perpetrators.view_criminal_history``). His victims' lead workers see the orders that
protect her, their breaches and his releases from custody, and nothing else about him.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from carepath.core import access
from carepath.events.models import Event
from carepath.marac.models import MaracCase
from carepath.people.models import Person
from carepath.perpetrators import order_rules
from carepath.perpetrators.models import (
    Breach,
    CriminalHistoryEntry,
    CustodyRelease,
    Order,
    PerpetratorPlan,
    PlanOption,
    ProgrammeReferral,
)


def linked_ids(person_id: int) -> list[int]:
    """The person's records linked as him or her, this one included."""
    return sorted({person_id, *access.registry.linked_records(person_id)})


def order_involvement(agency_id: int) -> Q:
    """The agency that recorded an order holds it (access registry rule). The agencies
    supporting the person it protects see it on her case, not as a record of their own."""
    return Q(recorded_by_id=agency_id)


def order_people(order: Order):
    return [(order.perpetrator_id, "person causing harm"), (order.protected_person_id, "protected person")]


def order_in_force(order: Order, *, today: date) -> bool:
    return order_rules.in_force(starts_on=order.starts_on, ends_on=order.ends_on, today=today)


@dataclass
class Victim:
    """One of his victims as one person: the records of hers the user may see."""

    person: Person
    records: list[int]
    events: int


def victims_visible(*, user, perpetrator_ids: list[int]) -> list[Victim]:
    """His victims on events the user's agency may see, counted as people (her linked
    records are one victim), by name."""
    events = access.records_visible_to(user, Event).filter(perpetrator_id__in=perpetrator_ids)
    visible_people = access.records_visible_to(user, Person)
    victims = visible_people.filter(pk__in=events.values("victim_id"))
    counts: dict[int, int] = {}
    for victim_id in events.values_list("victim_id", flat=True):
        counts[victim_id] = counts.get(victim_id, 0) + 1
    people: dict[int, Victim] = {}
    for person in victims.order_by("pk"):
        key = person.identity
        if key not in people:
            people[key] = Victim(person=person, records=[], events=0)
        people[key].records.append(person.pk)
        people[key].events += counts.get(person.pk, 0)
    return sorted(people.values(), key=lambda v: (v.person.family_name, v.person.given_name, v.person.pk))


def victim_choices(*, user, perpetrator: Person) -> QuerySet[Person]:
    """The records an order may protect: his victims the user's agency may see, one record
    per person."""
    ids = [v.person.pk for v in victims_visible(user=user, perpetrator_ids=linked_ids(perpetrator.pk))]
    return Person.objects.filter(pk__in=ids).order_by("family_name", "given_name", "pk")


@dataclass
class Profile:
    perpetrator: Person
    records: list[int]
    victims: list[Victim]
    events: list[Event]
    marac_cases: list[MaracCase]
    marac_cases_total: int
    plans: list[tuple[PerpetratorPlan, list[str]]]
    orders: list[Order]
    releases: list[CustodyRelease]
    referrals: list[ProgrammeReferral]
    history: list[CriminalHistoryEntry] | None
    people_shown: set[int] = field(default_factory=set)


def perpetrator_profile(*, user, perpetrator: Person) -> Profile:
    """One view of him across his linked records, as the user may see it. ``history`` is
    None for a user who may not see criminal history and intelligence."""
    ids = linked_ids(perpetrator.pk)
    victims = victims_visible(user=user, perpetrator_ids=ids)
    victim_records = {pk for v in victims for pk in v.records}
    events = list(
        access.records_visible_to(user, Event)
        .filter(perpetrator_id__in=ids)
        .select_related("agency", "victim")
        .order_by("-occurred_at", "-pk")
    )
    his_cases = MaracCase.objects.filter(referral__perpetrator_id__in=ids)
    marac_cases = list(
        access.records_visible_to(user, MaracCase)
        .filter(pk__in=his_cases.values("pk"))
        .select_related("marac", "meeting", "victim")
        .order_by("-referred_on", "-pk")
    )
    options = dict(PlanOption.choices)
    plans = [
        (plan, [options.get(o, o) for o in plan.options])
        for plan in PerpetratorPlan.objects.filter(perpetrator_id__in=ids).select_related("owner")
    ]
    orders = list(
        access.records_visible_to(user, Order)
        .filter(perpetrator_id__in=ids)
        .select_related("protected_person", "recorded_by")
        .prefetch_related("breaches")
    )
    history = None
    if user.has_perm("perpetrators.view_criminal_history"):
        history = list(CriminalHistoryEntry.objects.filter(perpetrator_id__in=ids).select_related("recorded_by"))
    shown = {perpetrator.pk} | {v.person.pk for v in victims}
    shown |= {e.victim_id for e in events if e.victim_id in victim_records}
    shown |= {c.victim_id for c in marac_cases}
    shown |= {o.protected_person_id for o in orders}
    return Profile(
        perpetrator=perpetrator,
        records=ids,
        victims=victims,
        events=events,
        marac_cases=marac_cases,
        marac_cases_total=his_cases.count(),
        plans=plans,
        orders=orders,
        releases=list(CustodyRelease.objects.filter(perpetrator_id__in=ids).select_related("recorded_by")),
        referrals=list(ProgrammeReferral.objects.filter(perpetrator_id__in=ids).select_related("programme")),
        history=history,
        people_shown=shown,
    )


def order_detail(order_id: int) -> QuerySet[Order]:
    return Order.objects.filter(pk=order_id).select_related(
        "perpetrator", "protected_person", "recorded_by", "recorded_by_user"
    )


@dataclass(frozen=True)
class SafetyOrder:
    """An order in force protecting her, as her lead worker sees it: no names."""

    kind: str
    starts_on: date
    ends_on: date | None
    made_by: str
    conditions: str


@dataclass(frozen=True)
class SafetyBreach:
    order_kind: str
    occurred_at: object
    what_happened: str
    action: str


def her_safety(*, person_ids: set[int], today: date) -> dict:
    """What bears on her safety from the orders against the people who harmed her: the
    orders protecting her (any of her linked records) in force today, the breaches of
    every order protecting her, and the dates he was released from custody (any
    perpetrator of her orders or of events against her, across his linked records).

    Nothing else: not his other victims, not the conditions of his licence (they may be
    about other people), not his criminal history."""
    her_orders = Order.objects.filter(protected_person_id__in=person_ids)
    in_force = her_orders.filter(starts_on__lte=today).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    breaches = Breach.objects.filter(order__in=her_orders).select_related("order")
    perpetrators = set(her_orders.values_list("perpetrator_id", flat=True)) | set(
        Event.objects.filter(victim_id__in=person_ids, perpetrator__isnull=False).values_list(
            "perpetrator_id", flat=True
        )
    )
    his_records = set(perpetrators)
    for person_id in perpetrators:
        his_records.update(access.registry.linked_records(person_id))
    releases = CustodyRelease.objects.filter(perpetrator_id__in=his_records).values_list("released_on", flat=True)
    return {
        "orders": [
            SafetyOrder(
                kind=o.get_kind_display(),
                starts_on=o.starts_on,
                ends_on=o.ends_on,
                made_by=o.made_by,
                conditions=o.conditions,
            )
            for o in in_force
        ],
        "breaches": [
            SafetyBreach(
                order_kind=b.order.get_kind_display(),
                occurred_at=b.occurred_at,
                what_happened=b.what_happened,
                action=b.get_action_display(),
            )
            for b in breaches
        ],
        "releases": sorted(set(releases), reverse=True),
    }
