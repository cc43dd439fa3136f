"""Load a synthetic county into the database (``carepath synth``).

Geography, agencies and refuges are created or updated by name (idempotent). People,
their names, addresses, relationships, households, events, referrals and safe contacts
are bulk-inserted in one transaction, with a ``SyntheticIdentity`` row (the ground truth)
for every synthetic person record. Rows that others point at (people, events,
households) get explicit primary keys above the current maximum, so nothing relies on
``bulk_create`` returning ids (SQLite does not always); PostgreSQL sequences are reset
afterwards. Bulk inserts write no change history: synthetic rows have none.

``replace=True`` first deletes every synthetic person and everything attached to them.
The loader refuses to add synthetic people to a database that holds people who are not
synthetic, unless told to (``allow_real_data``): fake victims must never mix with real ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connections, router, transaction
from django.db.models import Max, Q

from carepath.accommodation.models import AccommodationKind, SafeAccommodation
from carepath.core.models import Agency, District, MaracArea, Partnership
from carepath.events.models import Event, EventChild
from carepath.marac.models import Marac, MeetingPattern
from carepath.people.models import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonName,
    Relationship,
    SafeContact,
)
from carepath.referrals.models import Referral
from carepath.synth.generator import SyntheticCounty
from carepath.synth.models import SyntheticIdentity

BATCH_SIZE = 2000

# Models the loader writes; rows of any other model that point at them are handled
# generically by ``_delete_synthetic``.
_OWN_MODELS = (
    Person,
    PersonName,
    Address,
    Relationship,
    Household,
    HouseholdMember,
    SafeContact,
    Event,
    EventChild,
    Referral,
    SyntheticIdentity,
)


class SynthLoadError(Exception):
    """The load was refused; the message says why and what to do."""


def synthetic_person_count() -> int:
    return SyntheticIdentity.objects.count()


def real_person_count() -> int:
    """Person records that are not synthetic."""
    return Person.objects.exclude(id__in=SyntheticIdentity.objects.values("person_id")).count()


def synth_load(
    county: SyntheticCounty | Iterable[SyntheticCounty],
    *,
    replace: bool,
    allow_real_data: bool = False,
    batch_size: int = BATCH_SIZE,
) -> dict[str, int]:
    """Write a generated county (or its shards, streamed) to the default database.

    Returns the number of rows created per kind (and ``deleted`` when replacing).
    Raises ``SynthLoadError`` when synthetic data is already loaded and ``replace`` is
    false, or when the database holds real people and ``allow_real_data`` is false.
    """
    shards = [county] if isinstance(county, SyntheticCounty) else county
    using = router.db_for_write(Person)
    with transaction.atomic(using=using):
        counts: dict[str, int] = {}
        existing = synthetic_person_count()
        if existing and not replace:
            raise SynthLoadError(
                f"Synthetic data is already loaded ({existing} synthetic person records). Use --replace to replace it."
            )
        if not allow_real_data:
            real = real_person_count()
            if real:
                raise SynthLoadError(
                    f"The database holds {real} person records that are not synthetic. Synthetic people must not "
                    "be mixed with real ones: load them into a separate database."
                )
        if replace:
            counts["deleted"] = _delete_synthetic(using)
        loader = None
        for shard in shards:
            if loader is None:
                loader = _Loader(shard, using=using, batch_size=batch_size)
            loader.load(shard, counts)
        if loader is not None:
            loader.finish()
    return counts


class _Loader:
    def __init__(self, county: SyntheticCounty, *, using: str, batch_size: int):
        self.using = using
        self.batch_size = batch_size
        self.agency_ids, self.district_ids = _upsert_static(county)
        self.person_base = _max_id(Person, using)
        self.event_base = _max_id(Event, using)
        self.household_base = _max_id(Household, using)

    def _bulk(self, model, rows: Iterable, counts: dict[str, int], label: str):
        batch = []
        n = 0
        manager = model.objects.db_manager(self.using)
        for obj in rows:
            batch.append(obj)
            if len(batch) >= self.batch_size:
                manager.bulk_create(batch, batch_size=self.batch_size)
                n += len(batch)
                batch = []
        if batch:
            manager.bulk_create(batch, batch_size=self.batch_size)
            n += len(batch)
        counts[label] = counts.get(label, 0) + n

    def load(self, c: SyntheticCounty, counts: dict[str, int]):
        agency = self.agency_ids
        district = self.district_ids
        pb, eb, hb = self.person_base, self.event_base, self.household_base

        self._bulk(
            Person,
            (
                Person(
                    id=pb + r.key,
                    recorded_by_id=agency[r.agency],
                    given_name=r.given_name,
                    family_name=r.family_name,
                    date_of_birth=r.date_of_birth,
                    sex=r.sex,
                    gender_identity=r.gender_identity,
                    trans=r.trans,
                    ethnicity=r.ethnicity,
                    disability=r.disability,
                    sexual_orientation=r.sexual_orientation,
                    first_language=r.first_language,
                    interpreter_needed=r.interpreter_needed,
                    phone=r.phone,
                    nhs_number=r.nhs_number,
                    pnc_id=r.pnc_id,
                )
                for r in c.records
            ),
            counts,
            "people",
        )
        self._bulk(
            SyntheticIdentity,
            (SyntheticIdentity(person_id=pb + r.key, true_person_key=r.true_person_key) for r in c.records),
            counts,
            "synthetic identities",
        )
        self._bulk(
            PersonName,
            (
                PersonName(person_id=pb + n.record, kind=n.kind, given_name=n.given_name, family_name=n.family_name)
                for n in c.other_names
            ),
            counts,
            "other names",
        )
        self._bulk(
            Address,
            (
                Address(
                    person_id=pb + a.record,
                    line_1=a.line_1,
                    line_2=a.line_2,
                    town=a.town,
                    postcode=a.postcode,
                    district_id=district.get(a.district),
                    valid_from=a.valid_from,
                    valid_to=a.valid_to,
                    is_confidential=a.is_confidential,
                )
                for a in c.addresses
            ),
            counts,
            "addresses",
        )
        self._bulk(
            Relationship,
            (
                Relationship(from_person_id=pb + r.from_record, to_person_id=pb + r.to_record, kind=r.kind)
                for r in c.relationships
            ),
            counts,
            "relationships",
        )
        self._bulk(
            Household,
            (
                Household(id=hb + h.key, recorded_by_id=agency[h.agency], district_id=district.get(h.district))
                for h in c.households
            ),
            counts,
            "households",
        )
        self._bulk(
            HouseholdMember,
            (
                HouseholdMember(household_id=hb + h.key, person_id=pb + rec, is_child=is_child)
                for h in c.households
                for rec, is_child in h.members
            ),
            counts,
            "household members",
        )
        self._bulk(
            Event,
            (
                Event(
                    id=eb + e.key,
                    agency_id=agency[e.agency],
                    reference=e.reference,
                    occurred_at=e.occurred_at,
                    reported_at=e.reported_at,
                    district_id=district.get(e.district),
                    victim_id=pb + e.victim_record,
                    perpetrator_id=None if e.perpetrator_record is None else pb + e.perpetrator_record,
                    is_crime=e.is_crime,
                    risk_level=e.risk_level,
                    dash_score=e.dash_score,
                    children_present=e.children_present,
                )
                for e in c.events
            ),
            counts,
            "events",
        )
        self._bulk(
            EventChild,
            (
                EventChild(event_id=eb + e.key, child_id=pb + rec, involvement=inv)
                for e in c.events
                for rec, inv in e.children
            ),
            counts,
            "event children",
        )
        self._bulk(
            Referral,
            (
                Referral(
                    channel=r.channel,
                    destination=r.destination,
                    referring_agency_id=None if r.agency is None else agency[r.agency],
                    victim_id=pb + r.victim_record,
                    event_id=None if r.event is None else eb + r.event,
                    district_id=district.get(r.district),
                    received_at=r.received_at,
                )
                for r in c.referrals
            ),
            counts,
            "referrals",
        )
        self._bulk(
            SafeContact,
            (
                SafeContact(
                    person_id=pb + s.record,
                    safe_phone=s.safe_phone,
                    safe_times=s.safe_times,
                    voicemail_safe=s.voicemail_safe,
                    text_safe=s.text_safe,
                    letter_safe=s.letter_safe,
                    email_safe=s.email_safe,
                    safe_email=s.safe_email,
                    do_not_contact_via=list(s.do_not_contact_via),
                    notes=s.notes,
                )
                for s in c.safe_contacts
            ),
            counts,
            "safe contacts",
        )

    def finish(self):
        """PostgreSQL: move the id sequences past the explicit ids (no-op on SQLite)."""
        connection = connections[self.using]
        statements = connection.ops.sequence_reset_sql(no_style(), [Person, Event, Household])
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def _max_id(model, using: str) -> int:
    return model.objects.using(using).aggregate(m=Max("id"))["m"] or 0


def _upsert_static(c: SyntheticCounty) -> tuple[dict[str, int], dict[str, int]]:
    """Partnership, MARAC areas, districts, agencies and refuges, matched by name."""
    partnership, _ = Partnership.objects.update_or_create(
        name=c.partnership.name,
        defaults={"population": c.partnership.population, "women_16_plus": c.partnership.women_16_plus},
    )
    areas = {}
    for a in c.areas:
        areas[a.name], _ = MaracArea.objects.update_or_create(
            partnership=partnership,
            name=a.name,
            defaults={"population": a.population, "women_16_plus": a.women_16_plus},
        )
    districts = {}
    for d in c.districts:
        districts[d.name], _ = District.objects.update_or_create(
            name=d.name,
            defaults={"marac_area": areas[d.area], "population": d.population, "women_16_plus": d.women_16_plus},
        )
    agencies = {}
    for a in c.agencies:
        agencies[a.name], _ = Agency.objects.update_or_create(
            name=a.name,
            defaults={
                "partnership": partnership,
                "agency_type": a.agency_type,
                "district": districts[a.district] if a.district else None,
            },
        )
    _maracs_ensure(agencies, areas, districts, c)
    for r in c.refuges:
        refuge, created = SafeAccommodation.objects.update_or_create(
            name=r.name,
            defaults={
                "provider": agencies[r.provider],
                "kind": AccommodationKind.REFUGE,
                "district": districts[r.district],
                "units": r.units,
                "support_worker_fte": Decimal(str(r.support_worker_fte)),
            },
        )
        if not refuge.confidential_address:  # never overwrite an address someone has entered
            refuge.confidential_address = r.confidential_address
            refuge.save(update_fields=["confidential_address"])
    return {k: v.id for k, v in agencies.items()}, {k: v.id for k, v in districts.items()}


#: Hertfordshire's three MARACs meet monthly (domain.md "Defaults ... MARAC"); each area on
#: its own weekday of the second week, at 10:00. Invented days; a county-year's 694 cases
#: (seed 002 Appendix 7) are about 20 a meeting, so 25 a meeting leaves some room.
_MARAC_WEEKDAYS = {"Central": 1, "East": 2, "West": 3}  # Tuesday, Wednesday, Thursday


def _maracs_ensure(agencies, areas, districts, c: SyntheticCounty) -> None:
    """One MARAC per area, run by the county's MARAC coordination, if not already set up
    (a coordinator's own changes to them are kept)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    coordination = next((agencies[a.name] for a in c.agencies if a.agency_type == "marac"), None)
    if coordination is None:
        return
    for name in areas:
        weekday = _MARAC_WEEKDAYS.get(name, 1)
        first = datetime(2013, 1, 8, 10, 0, tzinfo=ZoneInfo("Europe/London"))  # a Tuesday of the second week
        marac, created = Marac.objects.get_or_create(
            name=f"{name} MARAC",
            defaults={
                "agency": coordination,
                "pattern": MeetingPattern.MONTHLY,
                "first_meeting": first + timedelta(days=weekday - 1),
                "capacity": 25,
            },
        )
        if created:
            marac.districts.set([districts[d.name] for d in c.districts if d.area == name])
    # Stevenage runs a medium-risk MARAC for scores 10-13 (domain.md, opening; seed 002):
    # fortnightly here, an invented rhythm.
    if "Stevenage" in districts:
        marac, created = Marac.objects.get_or_create(
            name="Stevenage medium-risk MARAC",
            defaults={
                "agency": coordination,
                "pattern": MeetingPattern.FORTNIGHTLY,
                "first_meeting": datetime(2013, 1, 10, 14, 0, tzinfo=ZoneInfo("Europe/London")),
                "capacity": 15,
                "min_score": 10,
                "max_score": 13,
            },
        )
        if created:
            marac.districts.set([districts["Stevenage"]])


def _delete_synthetic(using: str) -> int:
    """Delete every synthetic person record and the rows attached to them, with plain SQL
    deletes (no per-row signals or history rows: a county has hundreds of thousands)."""
    people = SyntheticIdentity.objects.using(using).values("person_id")
    events = Event.objects.using(using).filter(Q(victim_id__in=people) | Q(perpetrator_id__in=people))
    referrals = Referral.objects.using(using).filter(Q(victim_id__in=people) | Q(event_id__in=events.values("id")))
    households = Household.objects.using(using).filter(
        id__in=HouseholdMember.objects.using(using).filter(person_id__in=people).values("household_id")
    )
    # Rows of other apps (case work, MARAC cases, tasks...) that point at synthetic rows
    # were made on top of synthetic data: delete them through the ORM so their own
    # cascades and protections apply.
    for model, qs in (
        (Person, Person.objects.using(using).filter(id__in=people)),
        (Event, events),
        (Referral, referrals),
        (Household, households),
    ):
        _clear_foreign_references(model, qs, using)
    deleted = 0
    deleted += referrals._raw_delete(using)
    deleted += (
        EventChild.objects.using(using)
        .filter(Q(event_id__in=events.values("id")) | Q(child_id__in=people))
        ._raw_delete(using)
    )
    deleted += events._raw_delete(using)
    # Household ids are read first: once their members are gone a subquery would find none.
    household_ids = list(households.values_list("id", flat=True))
    for i in range(0, len(household_ids), 500):
        chunk = household_ids[i : i + 500]
        deleted += HouseholdMember.objects.using(using).filter(household_id__in=chunk)._raw_delete(using)
        deleted += Household.objects.using(using).filter(id__in=chunk)._raw_delete(using)
    deleted += HouseholdMember.objects.using(using).filter(person_id__in=people)._raw_delete(using)
    deleted += SafeContact.objects.using(using).filter(person_id__in=people)._raw_delete(using)
    deleted += Address.objects.using(using).filter(person_id__in=people)._raw_delete(using)
    deleted += PersonName.objects.using(using).filter(person_id__in=people)._raw_delete(using)
    deleted += (
        Relationship.objects.using(using)
        .filter(Q(from_person_id__in=people) | Q(to_person_id__in=people))
        ._raw_delete(using)
    )
    # Foreign keys are checked at commit (Django creates them deferrable on SQLite and
    # PostgreSQL), so the people can go before the identities that select them.
    deleted += Person.objects.using(using).filter(id__in=people)._raw_delete(using)
    deleted += SyntheticIdentity.objects.using(using).all()._raw_delete(using)
    return deleted


def _clear_foreign_references(model, qs, using: str):
    for rel in model._meta.related_objects:
        related = rel.related_model
        if related in _OWN_MODELS:
            continue
        if rel.many_to_many:
            through = rel.through
            through._default_manager.using(using).filter(
                **{f"{rel.field.m2m_reverse_field_name()}__in": qs.values("id")}
            ).delete()
            continue
        field = rel.field
        refs = related._default_manager.using(using).filter(**{f"{field.name}__in": qs.values("id")})
        if field.null and rel.on_delete.__name__ in ("SET_NULL", "DO_NOTHING"):
            refs.update(**{field.name: None})
        else:
            refs.delete()
