"""Benchmark the MARAC's printed papers for a full meeting (issue 13): the agenda PDF and
the minutes PDF of a 40-case meeting, the whole request as the coordinator makes it.

    .venv/bin/python bench/bench_marac_agenda.py [--cases 40] [--requests 5]

Runs on the database in ``DATABASE_URL`` or on a temporary SQLite file when it is unset.

``--cases`` high-risk referrals, each with two children and a perpetrator, arrive through
the front door's own service, are sent to MARAC and accepted onto one meeting with room for
them all, with research asked of three agencies; each case is heard with a summary, risks,
three actions and a plan for the person causing harm. Then a signed-in coordinator asks
for the agenda and the minutes PDFs through Django's test client: median and slowest of
``--requests`` each. Target: the agenda under 5 s.
"""

import argparse
import sys
import tempfile
from pathlib import Path

from bench_synth import SIGNED_IN_CLIENT, migrated_database, run

SETUP = """
import sys
from datetime import date, timedelta
import django
django.setup()
from django.utils import timezone
from carepath.core.codes import AgencyType, Role
from carepath.core.models import Agency, District, MaracArea, Partnership
from carepath.core.services import staff_create
from carepath.marac.models import Marac, MaracMeeting
from carepath.marac.services import (marac_action_add, marac_case_discuss, marac_referral_accept,
    marac_research_request, risk_management_plan_record)
from carepath.referrals.intake import ChildDetails, DashAnswer, PersonDetails, ReferralInput
from carepath.referrals.services import marac_referral_create, referrals_create

wanted = int(sys.argv[1])
partnership = Partnership.objects.create(name="Benchshire", population=1_000_000, women_16_plus=400_000)
area = MaracArea.objects.create(partnership=partnership, name="North", population=1, women_16_plus=1)
district = District.objects.create(marac_area=area, name="Northtown", population=1, women_16_plus=1)
make = lambda name, kind: Agency.objects.create(partnership=partnership, name=name, agency_type=kind)
police, front_door, marac_agency = (make("Benchshire Police", AgencyType.POLICE), make("Benchshire MASH", AgencyType.FRONT_DOOR),
                                    make("Benchshire MARAC", AgencyType.MARAC))
others = [make("Benchshire IDVA", AgencyType.IDVA_SERVICE), make("Benchshire Children", AgencyType.CHILDRENS_SERVICES),
          make("Benchshire Housing", AgencyType.HOUSING)]
coordinator = staff_create(username="coordinator", agency=marac_agency, role=Role.MARAC_COORDINATOR, password=None)
officer = staff_create(username="officer", agency=police, role=Role.TRIAGE, password=None)
now = timezone.now()
marac = Marac.objects.create(agency=marac_agency, name="North MARAC", first_meeting=now + timedelta(days=7), capacity=wanted,
                             pattern="weekly")
marac.districts.set([district])
made = referrals_create([
    ReferralInput(
        channel="police_import", received_at=now, occurred_at=now, referring_agency_id=police.pk,
        district_id=district.pk, external_reference=f"INC-{n}",
        victim=PersonDetails(given_name=f"Victim{n}", family_name="Bench", date_of_birth=date(1990, 1, 1), sex="female"),
        perpetrator=PersonDetails(given_name=f"Harm{n}", family_name="Bench", age=40, sex="male"),
        children=(ChildDetails(given_name=f"Child{n}a", age=4), ChildDetails(given_name=f"Child{n}b", age=9)),
        relationship="partner", consent="given",
        dash_answers={q: DashAnswer("yes" if q <= 16 else "no", "police officer") for q in range(1, 25)},
        crime_recorded=True,
    ) for n in range(wanted)
], link_people=False)
cases = [marac_referral_accept(referral=marac_referral_create(referral=r.referral, user=coordinator), user=coordinator)
         for r in made]
meeting = cases[0].meeting
assert all(c.meeting_id == meeting.pk for c in cases), "the cases did not fit one meeting"
for case in cases:
    marac_research_request(case=case, agencies=others, user=coordinator)
# The meeting's day: each case heard with its plan.
day = meeting.starts_at + timedelta(hours=2)
for case in cases:
    marac_case_discuss(case=case, user=coordinator, summary="Escalating abuse since the separation. " * 4,
                       risks="Strangulation; threats to kill; stalking at work. " * 3, now=day)
    for agency in others:
        marac_action_add(case=case, user=coordinator, action_for="victim", action="Safety plan and target hardening.",
                         agency=agency, owner="Named worker", due_on=day.date() + timedelta(days=14), now=day)
    risk_management_plan_record(case=case, user=coordinator, police_lead=officer,
                                options=["arrest_charge", "protection_orders", "clares_law"], now=day)
print(f"a {len(cases)}-case meeting (meeting {meeting.pk}, for agency {police.pk})")
"""

REQUESTS = (
    SIGNED_IN_CLIENT
    + """
from carepath.core.models import Agency
from carepath.marac.models import MaracMeeting

n = int(sys.argv[1])
meeting = MaracMeeting.objects.filter(cases__isnull=False).distinct().get()
police = Agency.objects.get(name="Benchshire Police")

for paper in ("agenda", "minutes"):
    times, size = [], 0
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(f"/marac/meetings/{meeting.pk}/{paper}.pdf", {"for": police.pk})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code
        size = len(response.content)
    print(f"{paper} PDF: median {statistics.median(times):.2f} s, slowest {max(times):.2f} s ({size // 1024} KiB)")
"""
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carepath-bench-") as tmp:
        tmp = Path(tmp)
        env, backend = migrated_database(tmp)
        wall, _, made = run([sys.executable, "-c", SETUP, str(args.cases)], env, tmp / "setup.log")
        print(f"MARAC papers on {backend}: {made.strip()} made in {wall:.0f} s (target: the agenda under 5 s)")
        _, peak, timings = run(
            [sys.executable, "-c", REQUESTS, str(args.requests), "coordinator"], env, tmp / "requests.log"
        )
        print("  " + timings.strip().replace("\n", "\n  ") + f"\n  peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
