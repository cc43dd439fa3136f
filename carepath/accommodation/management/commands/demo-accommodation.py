"""carepath demo-accommodation: for `make demo` only, the county's refuges (seed 002 Table
11, loaded by `carepath synth`) have units, vacancies and a year of history.

Each refuge gets the number of units Table 11 gives it, with what each can take; what the
annual return asks of the service (who it specialises in, its support, quality standard
and funding: seed 002 §5.2 and Table 12 where it says anything); its vacancies now (most
occupied, a few available, some of those not confirmed for over a day, one or two closed);
a year of holds from the board (accepted, declined with a reason, cancelled, expired) and
of searches that found nothing suitable; stays of victims the IDVA service and the front
door hold (moved on, staying now, declined, and referrals waiting for demo-refuge's
answer); and the other units' families over the year, referred in directly, one after
another, about 18 weeks each. Once only: run again, it changes nothing but the services'
annual-return details.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from carepath.accommodation import matching, services
from carepath.accommodation.models import (
    DeclineReason,
    Departure,
    Hold,
    HoldStatus,
    MoveOn,
    Placement,
    QualityStandard,
    SafeAccommodation,
    SpecialistGroup,
    Suitability,
    SupportType,
    Unit,
    UnmetDemand,
    UnmetNeed,
    VacancyState,
)
from carepath.casework.models import Case
from carepath.configuration.selectors import partnership_settings_get
from carepath.core.codes import Role
from carepath.core.history import changed_by
from carepath.core.models import District, User
from carepath.core.services import staff_create
from carepath.referrals.intake import PersonDetails
from carepath.referrals.models import Referral

S, T = SpecialistGroup, SupportType
#: Children's Services' £94,000 a year for the children in refuge (seed 002 §5.2), shared
#: here by units: the review gives no split.
CHILDREN_FUNDING, TOTAL_UNITS = 94_000, 84


@dataclass(frozen=True)
class Profile:
    """What a refuge is for and can take. Funding from seed 002 Table 12 (Accommodation
    Solutions' support per year); the rest invented, as the review had no data on it."""

    support_funding: int
    specialist_for: tuple[str, ...] = ()
    support_types: tuple[str, ...] = (T.ADVOCACY, T.SAFETY_PLANNING, T.CHILDREN, T.HOUSING, T.FINANCE)
    quality_standard: str = QualityStandard.WOMENS_AID
    rent: str = ""
    languages: tuple[str, ...] = ()
    culturally_specific: str = ""
    wheelchair: int = 0  # units wheelchair accessible
    pets: int = 0
    no_recourse: float = 0.0  # share of units taking women with no recourse to public funds
    mental_health: float = 0.0
    substance_use: float = 0.0
    male_victims: int = 0  # self-contained units that take men
    large_families: bool = False
    boys: tuple = (12, 12, 12, 16, 16, None)  # seed 002 §5.1: most exclude older teenage boys
    extra: dict = field(default_factory=dict)


PROFILES = {
    "Welwyn Hatfield Women's Refuge": Profile(67_753, rent="about £150,000", wheelchair=1),
    "St Albans and Hertsmere Women's Refuge": Profile(
        175_965,
        specialist_for=(S.LARGE_FAMILIES, S.DISABLED),
        support_types=(T.ADVOCACY, T.SAFETY_PLANNING, T.COUNSELLING, T.CHILDREN, T.HOUSING, T.FINANCE, T.PREVENTION),
        rent="about £200,000",
        languages=("Polish",),
        wheelchair=3,
        pets=1,
        no_recourse=0.1,
        large_families=True,
    ),
    "Watford Women's Refuge": Profile(
        86_413,
        specialist_for=(S.BLACK_MINORITISED, S.NO_RECOURSE),
        support_types=(T.ADVOCACY, T.SAFETY_PLANNING, T.IMMIGRATION, T.LANGUAGE, T.CHILDREN, T.HOUSING),
        quality_standard=QualityStandard.IMKAAN,
        rent="about £54,000 (estimated)",
        languages=("Urdu", "Punjabi", "Hindi", "Bengali"),
        culturally_specific="South Asian women",
        no_recourse=0.6,
    ),
    # Safer Places' two refuges share Table 12's £247,551 by their units (19 and 10).
    "Safer Places Refuge A (Broxbourne)": Profile(
        162_189,
        specialist_for=(S.YOUNG, S.MALE),
        support_types=(T.ADVOCACY, T.SAFETY_PLANNING, T.CHILDREN, T.HOUSING, T.HEALTH, T.FINANCE),
        quality_standard=QualityStandard.LEADING_LIGHTS,
        rent="about £148,000 (estimated)",
        languages=("Polish", "Romanian"),
        wheelchair=2,
        mental_health=0.2,
        male_victims=2,
    ),
    # The longer stays of women with complex needs (seed 002 §5.3): Refuge B's cost per
    # woman is twice the county's.
    "Safer Places Refuge B (Broxbourne)": Profile(
        85_362,
        specialist_for=(S.MENTAL_HEALTH, S.SUBSTANCE_USE),
        support_types=(T.ADVOCACY, T.SAFETY_PLANNING, T.HEALTH, T.COUNSELLING, T.HOUSING, T.PREVENTION),
        quality_standard=QualityStandard.LEADING_LIGHTS,
        rent="about £78,000 (estimated)",
        mental_health=1.0,
        substance_use=0.8,
        boys=(12, 12, 16),
    ),
    "Stevenage Women's Refuge": Profile(
        83_585, specialist_for=(S.LGBT,), rent="about £84,000 (estimated)", wheelchair=1, no_recourse=0.12
    ),
    "Dacorum Women's Aid Refuge": Profile(
        57_207,
        specialist_for=(S.DISABLED,),
        support_types=(T.ADVOCACY, T.SAFETY_PLANNING, T.COUNSELLING, T.CHILDREN, T.HOUSING),
        rent="about £56,000 (estimated)",
        wheelchair=1,
        pets=1,
    ),
}
DEFAULT_PROFILE = Profile(0)

#: Decline reasons of the year's holds: no space the commonest (domain.md "Safe accommodation").
DECLINES = {
    DeclineReason.NO_SPACE: 12,
    DeclineReason.NEEDS_NOT_MET: 8,
    DeclineReason.RISK_TO_OTHERS: 3,
    DeclineReason.NO_RECOURSE: 3,
    DeclineReason.SURVIVOR_DECLINED: 2,
    DeclineReason.OUT_OF_AREA: 1,
    DeclineReason.INAPPROPRIATE: 1,
    DeclineReason.OTHER: 1,
}
#: The needs not met: a teenage son, mental health and substance use first (seed 002 §5.1).
UNMET = {
    UnmetNeed.OLDEST_BOY: 4,
    UnmetNeed.MENTAL_HEALTH: 3,
    UnmetNeed.SUBSTANCE_USE: 3,
    UnmetNeed.CHILDREN: 2,
    UnmetNeed.WHEELCHAIR: 1,
    UnmetNeed.PETS: 1,
    UnmetNeed.LANGUAGE: 1,
    UnmetNeed.CULTURAL: 1,
    UnmetNeed.OTHER_ACCESS: 1,
}
MOVE_ON = {
    MoveOn.SOCIAL_TENANCY: 8,
    MoveOn.PRIVATE_TENANCY: 4,
    MoveOn.TEMPORARY: 3,
    MoveOn.FAMILY_FRIENDS: 3,
    MoveOn.SECOND_STAGE: 3,
    MoveOn.OTHER_REFUGE: 2,
    MoveOn.OWN_HOME: 1,
    MoveOn.RETURNED_TO_PERPETRATOR: 1,
    MoveOn.NOT_KNOWN: 1,
}
#: Referrals into the county, recorded by the refuge: invented people and referrers.
FROM_ELSEWHERE = [
    (("Joanna", "Ferrant"), "An IDVA service in Bedfordshire, through Routes to Support"),
    (("Marisol", "Quenby"), "She referred herself through the National Domestic Abuse Helpline"),
    (("Dorota", "Wilk-Hensby"), "A refuge in Essex: she had to move on for her safety"),
    (("Kerry-Ann", "Lowther"), "A housing options team in north London"),
]
ELSEWHERE = ["A refuge in Bedfordshire (Routes to Support)", "A specialist refuge in Cambridgeshire"]
SUPPORT_PLAN = "Safety plan reviewed weekly; housing register application; benefits claim; GP registration."
CHILDREN_SUPPORT = "Children's worker one session a week; school places arranged."


def _weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _departure(rng: random.Random, move_on: str) -> str:
    """How a stay ended, as where she went suggests."""
    return {
        MoveOn.OTHER_REFUGE: Departure.RISK,
        MoveOn.RETURNED_TO_PERPETRATOR: Departure.LEFT_UNPLANNED,
        MoveOn.NOT_KNOWN: rng.choice([Departure.LEFT_UNPLANNED, Departure.ASKED_TO_LEAVE]),
    }.get(move_on, Departure.PLANNED)


class Command(BaseCommand):
    help = "Give the demo refuges units, vacancies and a year of holds, searches and stays (demo mode only)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo accommodation is only for demo mode: set CAREPATH_DEMO=1 (never with real data).")
        refuges = list(SafeAccommodation.objects.select_related("provider").order_by("name"))
        refuge_user = User.objects.filter(username="demo-refuge").select_related("agency").first()
        if not refuges or refuge_user is None:
            raise CommandError("No refuges or no demo-refuge account yet: run `carepath synth` and `demo-accounts`.")
        own = [r for r in refuges if r.provider_id == refuge_user.agency_id]
        if not own:
            raise CommandError(f"demo-refuge's agency ({refuge_user.agency}) provides none of the refuges.")
        self._describe(refuges)
        if Unit.objects.filter(accommodation__in=refuges).exists():
            self.stdout.write("Refuge units already there: annual-return details refreshed, nothing added.")
            return
        with transaction.atomic():
            self._populate(refuges, refuge_user, own)

    def _describe(self, refuges) -> None:
        """What the annual return asks of each service. Rewritten on every run (idempotent)."""
        for refuge in refuges:
            p = PROFILES.get(refuge.name, DEFAULT_PROFILE)
            children = round(CHILDREN_FUNDING * refuge.units / TOTAL_UNITS)
            refuge.specialist_for = list(p.specialist_for)
            refuge.support_types = list(p.support_types)
            refuge.quality_standard = p.quality_standard
            refuge.annual_funding = Decimal(p.support_funding + children) if p.support_funding else None
            refuge.funded_by = (
                f"Hertfordshire County Council: Accommodation Solutions for support (£{p.support_funding:,}) and "
                f"Children's Services for the children's support (£{children:,}); the rent ({p.rent}) is paid "
                "by housing benefit and not counted here."
                if p.support_funding
                else ""
            )
            changed_by(refuge, None, reason="Demo: the annual return's details").save(
                update_fields=["specialist_for", "support_types", "quality_standard", "annual_funding", "funded_by"]
            )

    def _populate(self, refuges, refuge_user, own) -> None:
        rng = random.Random(15)  # nosec B311 - a repeatable demo, not security
        now = timezone.now()
        hold_hours = partnership_settings_get().accommodation_hold_hours
        keepers = {refuge_user.agency_id: refuge_user}
        units = {}
        for refuge in refuges:
            keeper = keepers.get(refuge.provider_id) or keepers.setdefault(
                refuge.provider_id,
                User.objects.filter(username=f"refuge-{refuge.provider_id}").first()
                or staff_create(
                    username=f"refuge-{refuge.provider_id}",
                    agency=refuge.provider,
                    role=Role.REFUGE_WORKER,
                    password=None,
                ),
            )
            units[refuge] = self._units(refuge, keeper, rng)
        referrers = self._referrers()
        holds = self._history(units, referrers, rng, now)
        searches = self._searches(referrers, rng, now)
        stays = Stays(self, units, keepers, rng, now, hold_hours)
        stays.run(self._victims(), own)
        self.stdout.write(
            f"Refuges: {sum(len(u) for u in units.values())} units in {len(refuges)} refuges "
            f"({Unit.objects.filter(vacancy=VacancyState.AVAILABLE).count()} available now, "
            f"{Unit.objects.filter(vacancy=VacancyState.ON_HOLD).count()} on hold); a year of {holds} holds "
            f"and {searches} searches that found nothing suitable; {Placement.objects.count()} referrals and stays "
            f"of victims ({stays.live} waiting for {refuge_user.agency}'s answer)."
        )

    def _units(self, refuge, keeper, rng) -> list[Unit]:
        p = PROFILES.get(refuge.name, DEFAULT_PROFILE)
        made = []
        for n in range(1, refuge.units + 1):
            children = rng.choice([0, 1, 2, 2, 3, 3, 4] + ([5, 6] if p.large_families else []))
            wheelchair = n <= p.wheelchair  # the ground-floor flats
            unit = Unit(
                accommodation=refuge,
                name=f"Flat {n}",
                bedrooms=1 if children < 2 else rng.choice([1, 2, 2, 3]),
                cots=rng.choice([0, 1, 1, 2]) if children else 0,
                children_spaces=children,
                oldest_boy_age=rng.choice(p.boys),
                wheelchair_accessible=wheelchair,
                accessibility_notes="Ground floor, level access, wet room." if wheelchair else "",
                pets=n == refuge.units - p.pets + 1 if p.pets else False,
                male_victims=n > refuge.units - p.male_victims,
                staff_languages=list(p.languages),
                no_recourse_to_public_funds=rng.random() < p.no_recourse,
                mental_health_support=rng.random() < p.mental_health,
                substance_use_support=rng.random() < p.substance_use,
                culturally_specific=p.culturally_specific,
            )
            changed_by(unit, keeper, reason="Demo: the refuge's units").save()
            made.append(unit)
        return made

    def _referrers(self) -> list[User]:
        """The agencies that search the board: the IDVA service, the front door, the police
        and the voluntary sector's caseworkers, through their demo staff."""
        names = ["demo-idva", "demo-idva-manager", "demo-triage-worker", "demo-triage", "demo-police"]
        names += ["demo-caseworker", "idva-amira", "idva-chloe"]
        return list(User.objects.filter(username__in=names, agency__isnull=False).order_by("username"))

    def _history(self, units, referrers, rng, now) -> int:
        """A year of holds from the board that are over: about two a week, each as it
        ended. Written as records of what happened, not through the services, which act on
        each unit's vacancy now."""
        every = [u for made in units.values() for u in made]
        statuses = {HoldStatus.ACCEPTED: 35, HoldStatus.DECLINED: 35, HoldStatus.CANCELLED: 18, HoldStatus.EXPIRED: 12}
        made = 0
        for _ in range(110):
            unit, user = rng.choice(every), rng.choice(referrers)
            placed = now - timedelta(days=rng.uniform(2, 365))
            hold = Hold(
                unit=unit,
                agency_id=user.agency_id,
                placed_by=user,
                placed_at=placed,
                expires_at=placed + timedelta(hours=4),
                status=_weighted(rng, statuses),
            )
            if hold.status == HoldStatus.EXPIRED:
                hold.ended_at = hold.expires_at
            else:
                hold.ended_at = placed + timedelta(minutes=rng.randint(15, 220))
            if hold.status == HoldStatus.DECLINED:
                hold.decline_reason = _weighted(rng, DECLINES)
                if hold.decline_reason == DeclineReason.NEEDS_NOT_MET:
                    hold.unmet_need = _weighted(rng, UNMET)
            changed_by(hold, user, reason=f"Demo: a hold {hold.get_status_display().lower()}").save()
            made += 1
        return made

    def _searches(self, referrers, rng, now) -> int:
        """A year of searches that found no unit to meet a family's needs: a teenage son,
        no recourse to public funds, high support needs, a wheelchair, a large family."""
        districts = list(District.objects.order_by("name"))
        families = [
            matching.Family(children=(matching.Child(15, matching.BOY), matching.Child(9))),
            matching.Family(children=(matching.Child(14, matching.BOY),)),
            matching.Family(no_recourse_to_public_funds=True, languages=frozenset({"Tigrinya"})),
            matching.Family(no_recourse_to_public_funds=True, children=(matching.Child(3),)),
            matching.Family(mental_health=True, substance_use=True),
            matching.Family(substance_use=True),
            matching.Family(wheelchair=True, children=(matching.Child(7), matching.Child(4))),
            matching.Family(children=tuple(matching.Child(age) for age in (11, 9, 7, 4, 2, 1))),
            matching.Family(adult=matching.MAN, children=(matching.Child(6),)),
            matching.Family(pets=True),
        ]
        for _ in range(48):
            user = rng.choice(referrers)
            services.unmet_demand_record(
                family=rng.choice(families),
                agency=user.agency,
                district=rng.choice(districts) if districts else None,
                available_units=rng.randint(0, 9),
                now=now - timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 600)),
            )
        return UnmetDemand.objects.count()

    def _victims(self) -> list[tuple]:
        """Women the IDVA service has cases for (referred by their IDVA), then women the
        front door has referrals for (referred by a front-door worker): (person, referrer,
        home district, earliest referral)."""
        found, seen = [], set()
        for case in (
            Case.objects.filter(victim__sex="female", worker__isnull=False, service__agency__agency_type="idva_service")
            .select_related("victim", "worker__user", "referral__district")
            .order_by("referred_at", "pk")
        ):
            if case.victim_id not in seen:
                seen.add(case.victim_id)
                district = case.referral.district if case.referral else None
                found.append((case.victim, case.worker.user, district, case.referred_at))
        front_door = User.objects.filter(username="demo-triage-worker").select_related("agency").first()
        if front_door is not None:
            for referral in (
                Referral.objects.filter(
                    receiving_agency=front_door.agency, victim__sex="female", district__isnull=False
                )
                .select_related("victim", "district")
                .order_by("-received_at", "pk")[:200]
            ):
                if referral.victim_id not in seen:
                    seen.add(referral.victim_id)
                    found.append((referral.victim, front_door, referral.district, referral.received_at))
        return found


class Stays:
    """Victims' referrals and stays through the placement services, each dated as it
    happened: moved on, staying now, expected, declined, withdrawn, did not arrive, out of
    the area in both directions, and referrals waiting for demo-refuge's answer."""

    def __init__(self, command, units, keepers, rng, now, hold_hours):
        self.out, self.rng, self.now, self.hold_hours = command.stdout, rng, now, hold_hours
        self.keepers = keepers
        self.today = timezone.localdate(now)
        self.units = units
        self.free = {u.pk: u for made in units.values() for u in made}  # units no stay has used
        self.live = 0
        self.districts = list(District.objects.order_by("name"))

    def _unit(self, children: int, refuges=None) -> Unit | None:
        pool = [
            u
            for u in self.free.values()
            if u.children_spaces >= children and (refuges is None or u.accommodation in refuges)
        ]
        if not pool:
            return None
        unit = self.rng.choice(sorted(pool, key=lambda u: u.pk))
        del self.free[unit.pk]
        return unit

    def _refer(self, unit, victim, at: datetime):
        """Her referrer holds the unit from the board and refers her on the hold."""
        person, user, district, _ = victim
        keeper = self.keepers[unit.accommodation.provider_id]
        services.unit_vacancy_set(unit=unit, vacancy=VacancyState.AVAILABLE, user=keeper, now=at - timedelta(hours=3))
        hold = services.hold_place(unit=unit, user=user, now=at - timedelta(minutes=20), hold_hours=self.hold_hours)
        children = self.rng.randint(0, unit.children_spaces)
        placement = services.placement_refer(
            hold=hold,
            user=user,
            victim=person,
            household=services.Household(
                home_district=district or self.rng.choice(self.districts),
                suitability=self.rng.choice([Suitability.NEEDS_REFUGE] * 4 + [Suitability.NO_ALTERNATIVE]),
                adult=matching.WOMAN,
                children=children,
                needs=("mental_health",) if unit.mental_health_support and self.rng.random() < 0.5 else (),
                notes="She needs to move today: he knows where her sister lives.",
            ),
            agreed=True,
            now=at,
        )
        return hold, placement, keeper

    def _stay(self, unit, victim, referred: datetime, *, nights: int | None):
        """Accepted, arrived and supported; moved on after ``nights`` unless None."""
        hold, placement, keeper = self._refer(unit, victim, referred)
        services.hold_accept(hold=hold, user=keeper, now=referred + timedelta(hours=1))
        arrived = (referred + timedelta(days=self.rng.randint(0, 2))).date()
        placement = services.placement_arrive(placement=placement, user=keeper, arrived_on=arrived, today=self.today)
        services.placement_support_record(
            placement=placement,
            user=keeper,
            support_plan=SUPPORT_PLAN,
            children_support=CHILDREN_SUPPORT if placement.children else "",
            children_supported=placement.children,
        )
        if nights is not None:
            left = arrived + timedelta(days=nights)
            move_on = _weighted(self.rng, MOVE_ON)
            departure = _departure(self.rng, move_on)
            services.placement_depart(
                placement=placement,
                user=keeper,
                left_on=left,
                departure=departure,
                move_on=move_on,
                unit_vacancy=VacancyState.AVAILABLE,
                today=self.today,
                now=timezone.make_aware(datetime.combine(left, datetime.min.time())) + timedelta(hours=11),
            )
        return placement

    def run(self, victims, own) -> None:
        rng, now = self.rng, self.now
        self.own_provider = own[0].provider_id
        # The two women referred most recently are the referrals now waiting for an answer.
        latest = sorted(victims, key=lambda v: v[3], reverse=True)[:2]
        waiting = iter(latest)
        victims = [v for v in victims if v not in latest]
        # Two of demo-refuge's units are kept for the referrals waiting for its answer.
        reserved = [u for r in own for u in self.units[r]][-2:]
        for unit in reserved:
            del self.free[unit.pk]
        year_ago = now - timedelta(days=365)

        def take(kind: str):
            """The next woman whose referral is old enough for the kind of stay."""
            for i, victim in enumerate(victims):
                if kind != "moved on" or max(victim[3], year_ago) < now - timedelta(days=40):
                    return victims.pop(i)
            return None

        # demo-refuge's own refuge first; then every kind early, so that a small county has
        # some of each, and the rest of the stays.
        plan = [("staying", own)] * 2 + [("moved on", own)]
        kinds = ["declined", "withdrawn", "declined", "did not arrive", "expected", "declined", "declined", "declined"]
        for kind in kinds:
            plan += [("moved on", None), ("staying", None), (kind, None)]
        plan += [("moved on", None), ("staying", None)] * 7 + [("moved on", None)]
        for kind, refuges in plan:
            victim = take(kind)
            unit = self._unit(0, refuges) if victim else None
            if unit is None:
                continue
            earliest = max(victim[3], year_ago)
            try:
                if kind == "moved on":
                    # Referred after her case began, moved on at least five days ago.
                    room = (now - timedelta(days=5) - earliest).days
                    # Seed 002 §5.1: 18 weeks on average; as long as her case allows.
                    nights = int(min(max(14, rng.gauss(126, 45)), max(14, room - 2)))
                    latest = now - timedelta(days=nights + 5)
                    self._stay(unit, victim, earliest + (latest - earliest) * rng.random(), nights=nights)
                elif kind == "staying":
                    referred = min(max(earliest, now - timedelta(days=rng.randint(5, 150))), now - timedelta(days=3))
                    self._stay(unit, victim, referred, nights=None)
                elif kind == "expected":  # referred and accepted yesterday: she comes today
                    self._answered(kind, unit, victim, now - timedelta(hours=22))
                else:
                    self._answered(kind, unit, victim, max(earliest, now - timedelta(days=rng.randint(3, 60))))
            except (ValidationError, PermissionDenied) as error:
                self.out.write(f"  skipped a {kind} stay: {' '.join(getattr(error, 'messages', [str(error)]))}")
        victims = iter(victims)
        self._elsewhere(victims)
        self._choose_vacant(reserved)
        self._earlier_stays()
        self._vacancies_now()
        self._waiting(waiting, own, reserved)

    def _answered(self, kind, unit, victim, referred):
        hold, placement, keeper = self._refer(unit, victim, referred)
        user = victim[1]
        if kind == "declined":
            reason = _weighted(self.rng, DECLINES)
            services.hold_decline(
                hold=hold,
                user=keeper,
                now=referred + timedelta(hours=1),
                reason=reason,
                unmet_need=_weighted(self.rng, UNMET) if reason == DeclineReason.NEEDS_NOT_MET else "",
            )
        elif kind == "withdrawn":
            services.hold_cancel(hold=hold, user=user, now=referred + timedelta(minutes=50))
        else:
            services.hold_accept(hold=hold, user=keeper, now=referred + timedelta(hours=1))
            if kind == "did not arrive":
                services.placement_did_not_arrive(
                    placement=placement, user=keeper, now=referred + timedelta(days=1, hours=2)
                )

    def _elsewhere(self, victims) -> None:
        """Referrals out of the county (to a service not on the board) and into it (received
        by a refuge directly, of women not yet known here)."""
        for service in ELSEWHERE:
            victim = next(victims, None)
            if victim is None:
                return
            person, user, district, _ = victim
            placement = services.placement_refer_elsewhere(
                user=user,
                victim=person,
                service_elsewhere=service,
                household=services.Household(
                    home_district=district,
                    suitability=Suitability.NEEDS_REFUGE,
                    adult=matching.WOMAN,
                    children=self.rng.randint(0, 2),
                    notes="He has family across the county: she needs to be further away.",
                ),
                now=self.now - timedelta(days=self.rng.randint(20, 90)),
            )
            services.placement_decide(placement=placement, user=user, accept=True, now=placement.referred_at)
        for (given, family), referrer in FROM_ELSEWHERE[:2]:
            unit = self._unit(1)
            if unit is None:
                return
            keeper = self.keepers[unit.accommodation.provider_id]
            referred = self.now - timedelta(days=self.rng.randint(10, 80))
            placement = services.placement_receive(
                unit=unit,
                user=keeper,
                new_victim=PersonDetails(
                    given_name=given, family_name=family, age=self.rng.randint(24, 44), sex="female"
                ),
                referrer_elsewhere=referrer,
                household=services.Household(
                    home_district=None,
                    suitability=Suitability.NEEDS_REFUGE,
                    adult=matching.WOMAN,
                    children=1,
                ),
                now=referred,
            )
            services.placement_decide(placement=placement, user=keeper, accept=True, now=referred + timedelta(hours=2))
            services.placement_arrive(placement=placement, user=keeper, arrived_on=referred.date(), today=self.today)

    def _choose_vacant(self, reserved) -> None:
        """The units empty now: nine available (every third not confirmed for over a day,
        so stale on the board; one of them demo-refuge's, freshly confirmed) and two
        closed while they are readied. The others are occupied."""
        taken = set(
            Placement.objects.filter(status__in=["staying", "accepted"], unit__isnull=False).values_list(
                "unit_id", flat=True
            )
        )
        taken |= {u.pk for u in reserved}
        rest = sorted(
            (u for made in self.units.values() for u in made if u.pk not in taken), key=lambda u: (u.pk % 7, u.pk)
        )
        first = [u for u in rest if u.accommodation.provider_id == self.own_provider][:1]
        rest = first + [u for u in rest if u not in first]
        self.vacant = {unit.pk: i for i, unit in enumerate(rest[:11])}
        self.untaken = rest

    def _earlier_stays(self) -> None:
        """The families in the other units over the year, most referred to the refuge
        directly from outside the county (Routes to Support, other areas' services) or by
        themselves, women not otherwise known here: a stay after another, about 18 weeks
        each (seed 002 §5.1), so that occupancy and move-on are a refuge's. The units to be
        empty now end with a move-on; the others with a family staying."""
        from faker.providers.person import en_GB, pl_PL, ro_RO

        given = sorted(set(en_GB.Provider.first_names_female) | set(pl_PL.Provider.first_names_female))
        family = sorted(set(en_GB.Provider.last_names) | set(ro_RO.Provider.last_names))
        rng, now = self.rng, self.now
        referrers = [
            ("An IDVA service in another county, through Routes to Support", None),
            ("Another area's housing options team", None),
            ("A refuge in another county: she had to move on for her safety", None),
            ("The National Domestic Abuse Helpline: she referred herself", None),
            ("She referred herself", "district"),
        ]
        untaken = {u.pk for u in self.untaken}
        for unit in (u for made in self.units.values() for u in made):
            keeper = self.keepers[unit.accommodation.provider_id]
            recorded = Placement.objects.filter(unit=unit)
            last = recorded.filter(left_on__isnull=False).order_by("-left_on").first()
            if unit.pk in untaken:
                # After the stay recorded in it, if any; the last may run until today.
                until = now if unit.pk not in self.vacant else now - timedelta(days=2)
                begins = timezone.make_aware(datetime.combine(last.left_on, datetime.min.time())) if last else None
            else:
                # Before the family staying or referred now: stays that have ended.
                first = recorded.order_by("referred_at").first()
                until = (first.referred_at if first else now) - timedelta(days=3)
                begins = None
            start = (begins or now - timedelta(days=365 + rng.randint(0, 120))) + timedelta(
                days=rng.randint(1, 14), hours=10
            )
            while start < min(until, now - timedelta(days=20)):
                nights = int(min(max(14, rng.gauss(126, 45)), 300))
                ends = start + timedelta(days=nights)
                moves_on = ends < until - timedelta(days=2) and (
                    unit.pk not in untaken or unit.pk in self.vacant or ends < now - timedelta(days=30)
                )
                if not moves_on and (unit.pk in self.vacant or unit.pk not in untaken):
                    break  # the unit is empty now, or another family's: no stay running until today
                referrer, home = rng.choice(referrers)
                placement = services.placement_receive(
                    unit=unit,
                    user=keeper,
                    new_victim=PersonDetails(
                        given_name=rng.choice(given),
                        family_name=rng.choice(family),
                        age=rng.randint(19, 58),
                        sex="female",
                    ),
                    referrer_elsewhere=referrer,
                    household=services.Household(
                        home_district=rng.choice(self.districts) if home else None,
                        suitability=rng.choice([Suitability.NEEDS_REFUGE] * 4 + [Suitability.NO_ALTERNATIVE]),
                        adult=matching.WOMAN,
                        children=rng.randint(0, unit.children_spaces),
                    ),
                    now=start - timedelta(days=1),
                )
                services.placement_decide(
                    placement=placement, user=keeper, accept=True, now=start - timedelta(hours=20)
                )
                placement = services.placement_arrive(
                    placement=placement, user=keeper, arrived_on=start.date(), today=self.today
                )
                services.placement_support_record(
                    placement=placement,
                    user=keeper,
                    support_plan=SUPPORT_PLAN,
                    children_support=CHILDREN_SUPPORT if placement.children else "",
                    children_supported=placement.children,
                )
                if not moves_on:
                    break  # staying now
                move_on = _weighted(rng, MOVE_ON)
                services.placement_depart(
                    placement=placement,
                    user=keeper,
                    left_on=ends.date(),
                    departure=_departure(rng, move_on),
                    move_on=move_on,
                    unit_vacancy=VacancyState.AVAILABLE,
                    today=self.today,
                    now=ends,
                )
                start = ends + timedelta(days=rng.randint(1, 21))

    def _vacancies_now(self) -> None:
        """Every unit's vacancy as its provider last confirmed it (``_choose_vacant``)."""
        rng, now = self.rng, self.now
        for made in self.units.values():
            for unit in made:
                i = self.vacant.get(unit.pk)
                if i is None:
                    vacancy, hours = VacancyState.OCCUPIED, rng.uniform(0.5, 22)
                elif i < 9:
                    vacancy, hours = VacancyState.AVAILABLE, rng.uniform(26, 70) if i % 3 == 2 else rng.uniform(0.5, 20)
                else:
                    vacancy, hours = VacancyState.TEMPORARILY_CLOSED, rng.uniform(2, 20)
                keeper = self.keepers[unit.accommodation.provider_id]
                services.unit_vacancy_set(unit=unit, vacancy=vacancy, user=keeper, now=now - timedelta(hours=hours))

    def _waiting(self, victims, own, units) -> None:
        """Referrals waiting for demo-refuge's answer: two from the board, on holds placed
        within the hour, and one received by phone from outside the county."""
        for unit in units:
            victim = next(victims, None)
            if victim is None:
                break
            keeper = self.keepers[unit.accommodation.provider_id]
            services.unit_vacancy_set(
                unit=unit, vacancy=VacancyState.AVAILABLE, user=keeper, now=self.now - timedelta(hours=5)
            )
            at = self.now - timedelta(minutes=self.rng.randint(10, 50))
            hold = services.hold_place(unit=unit, user=victim[1], now=at, hold_hours=self.hold_hours)
            if not self.live:  # the provider gave her the day to arrange her journey
                services.hold_extend(hold=hold, user=keeper, hours=24, now=at + timedelta(minutes=15))
            services.placement_refer(
                hold=hold,
                user=victim[1],
                victim=victim[0],
                household=services.Household(
                    home_district=victim[2],
                    suitability=Suitability.NEEDS_REFUGE,
                    adult=matching.WOMAN,
                    children=min(unit.children_spaces, 2),
                    notes="Two children at primary school; she can travel this afternoon.",
                ),
                agreed=True,
                now=at + timedelta(minutes=5),
            )
            self.live += 1
        (given, family), referrer = FROM_ELSEWHERE[2]
        unit = Unit.objects.filter(accommodation__in=own, vacancy=VacancyState.AVAILABLE).order_by("pk").first()
        if unit is not None:
            services.placement_receive(
                unit=unit,
                user=self.keepers[unit.accommodation.provider_id],
                new_victim=PersonDetails(given_name=given, family_name=family, age=33, sex="female"),
                referrer_elsewhere=referrer,
                household=services.Household(
                    home_district=None,
                    suitability=Suitability.NEEDS_REFUGE,
                    adult=matching.WOMAN,
                    children=0,
                ),
                now=self.now - timedelta(hours=2),
            )
            self.live += 1
