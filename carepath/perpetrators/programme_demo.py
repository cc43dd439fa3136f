"""Demo work for the programme part (carepath demo-perpetrators): the five kinds of
perpetrator programme, and a year of referrals of the synthetic county's perpetrators in
every status, with their partners and the partner support workers' contacts, so that the
demo commissioner sees a full report and demo-caseworker's agency a queue to work.

Places and costs: seed 002 Appendix 12 §12.10 and Table 5 where the review gives them
(IDAP, the family-court programme, Hertfordshire Change, Caring Dads); Caring Dads' course
size and everything about Drive are illustrative (Table 5's cell is cut off at "(up", and
the review predates Drive). The referrals are invented, a demo-sized share of Table 5's
numbers. Once only: run again, it changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, User
from carepath.core.services import staff_create
from carepath.events.models import Event
from carepath.perpetrators.models import (
    CostBasis,
    LeftReason,
    PartnerContact,
    Programme,
    ProgrammeKind,
    ProgrammeReferral,
    ProgrammeStatus,
)

S = ProgrammeStatus


@dataclass(frozen=True)
class Plan:
    name: str
    kind: str
    provider: str  # "probation" or "voluntary"
    referrer: str  # the agency type that refers most men to it
    places: int
    cost: int
    cost_basis: str = CostBasis.PER_PERSON
    course_size: int | None = None
    referrals: int = 12


PLANS = (
    # IDAP: 92 started and 61 completed in 2013-14, £4,600 per person (Table 5).
    Plan(
        "Integrated Domestic Abuse Programme (IDAP)", ProgrammeKind.COURT_ORDERED, "probation", "probation", 100, 4600
    ),
    # The family court's programme: 12 started, 8 completed, £1,500 per person (Table 5).
    Plan(
        "Domestic Violence Perpetrator Programme (family court)",
        ProgrammeKind.FAMILY_COURT,
        "probation",
        "probation",
        12,
        1500,
        referrals=8,
    ),
    # Hertfordshire Change: 10 started, £2,500 per person, a rolling group of up to 10 men (§12.10).
    Plan("Hertfordshire Change", ProgrammeKind.VOLUNTARY, "voluntary", "police", 10, 2500, referrals=10),
    # Caring Dads: 43 started, 29 completed, £8,500 a course (Table 5); 12 a course is illustrative.
    Plan(
        "Caring Dads",
        ProgrammeKind.CARING_DADS,
        "voluntary",
        "childrens_services",
        48,
        8500,
        CostBasis.PER_COURSE,
        12,
    ),
    # Drive: places and cost illustrative.
    Plan("Drive", ProgrammeKind.DRIVE, "voluntary", "police", 30, 2400),
)
#: Where each programme's referrals are now, in turn: every status, most men completing.
STATUSES = (S.COMPLETED, S.LEFT, S.STARTED, S.COMPLETED, S.WAITING, S.REFERRED, S.COMPLETED, S.LEFT)
STATUSES += (S.ASSESSED_UNSUITABLE, S.STARTED, S.COMPLETED, S.LEFT)
REASONS = [reason for reason, _ in LeftReason.choices]


def load(*, stdout) -> None:
    if Programme.objects.filter(name__in=[p.name for p in PLANS]).exists():
        stdout.write("Perpetrator programmes are already loaded.")
        return
    providers = {
        "probation": Agency.objects.filter(agency_type=AgencyType.PROBATION).order_by("name").first(),
        # demo-caseworker's agency: the voluntary-sector agency first by name.
        "voluntary": Agency.objects.filter(agency_type=AgencyType.VOLUNTARY_SECTOR).order_by("name").first(),
    }
    if None in providers.values():
        stdout.write("No probation or voluntary-sector agency: run `carepath synth` first. No programmes loaded.")
        return
    # Men and their victims from the synthetic county's events, in a repeatable order.
    pairs = _first_victims()
    if not pairs:
        stdout.write("No perpetrators in the synthetic county yet: no programmes loaded.")
        return
    rng = random.Random(17)  # nosec B311 - demo data, not security
    rng.shuffle(pairs)
    today = timezone.localdate()
    workers = {key: _partner_support_worker(key, agency) for key, agency in providers.items()}
    referred = left = 0
    for plan in PLANS:
        programme = Programme.objects.create(
            name=plan.name,
            kind=plan.kind,
            provider=providers[plan.provider],
            places=plan.places,
            cost=Decimal(plan.cost),
            cost_basis=plan.cost_basis,
            course_size=plan.course_size,
        )
        referrer = Agency.objects.filter(agency_type=plan.referrer).order_by("name").first() or providers[plan.provider]
        for n in range(plan.referrals):
            man, partner = pairs[referred % len(pairs)]
            referred += 1
            status = STATUSES[n % len(STATUSES)]
            # Reasons for leaving in turn across all programmes, so that each one shows.
            reason = REASONS[left % len(REASONS)] if status == S.LEFT else ""
            left += status == S.LEFT
            referral = _referral(programme, man, partner, referrer, status, reason, today, rng)
            _contacts(referral, workers[plan.provider], today, rng)
    stdout.write(f"Perpetrator programmes: {len(PLANS)} programmes, {referred} referrals.")


def _first_victims() -> list[tuple[int, int]]:
    """Each man with the victim of his first event."""
    seen: dict[int, int] = {}
    for man, victim in (
        Event.objects.filter(perpetrator__isnull=False).order_by("pk").values_list("perpetrator_id", "victim_id")
    ):
        seen.setdefault(man, victim)
    return sorted(seen.items())


#: The partner support workers' names (invented), one for each provider.
WORKER_NAMES = {"probation": ("Jo", "Partridge"), "voluntary": ("Sam", "Okafor")}


def _partner_support_worker(key: str, agency: Agency) -> User:
    """The provider's partner support worker (the women's safety worker of Table 5), who
    cannot sign in: the demo's contacts are theirs."""
    username = f"partner-support-{agency.pk}"
    worker = User.objects.filter(username=username).first() or staff_create(
        username=username, agency=agency, role=Role.CASEWORKER, password=None
    )
    worker.first_name, worker.last_name = WORKER_NAMES[key]
    worker.save(update_fields=["first_name", "last_name"])
    return worker


def _referral(programme, man, partner, referrer, status, reason, today, rng) -> ProgrammeReferral:
    """One referral, its dates within the last year and in order, ending where ``status`` says."""
    closed = status in (S.COMPLETED, S.LEFT)
    referred_on = today - timedelta(days=rng.randint(200, 350) if closed else rng.randint(10, 190))
    started_on = completed_on = left_on = None
    if status in (S.STARTED, S.COMPLETED, S.LEFT):
        started_on = min(referred_on + timedelta(days=rng.randint(7, 40)), today - timedelta(days=3))
    if status == S.COMPLETED:
        completed_on = min(started_on + timedelta(days=rng.randint(100, 150)), today - timedelta(days=1))
    if status == S.LEFT:
        left_on = min(started_on + timedelta(days=rng.randint(14, 90)), today - timedelta(days=1))
    return ProgrammeReferral.objects.create(
        programme=programme,
        perpetrator_id=man,
        partner_id=partner if rng.random() < 0.85 else None,
        referred_by=referrer,
        referred_on=referred_on,
        status=status,
        started_on=started_on,
        completed_on=completed_on,
        left_on=left_on,
        left_reason=reason,
    )


def _contacts(referral: ProgrammeReferral, worker: User, today, rng) -> None:
    """The partner support worker's calls while he is on the programme: most reach her."""
    if referral.partner_id is None or referral.started_on is None:
        return
    end = referral.completed_on or referral.left_on or today - timedelta(days=1)
    day = referral.started_on
    while day <= end:
        PartnerContact.objects.create(
            referral=referral,
            at=timezone.make_aware(datetime.combine(day, time(rng.choice((10, 11, 14, 15)), 0))),
            by=worker,
            reached=rng.random() < 0.75,
            note="",
        )
        day += timedelta(days=rng.randint(21, 35))
