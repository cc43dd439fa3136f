"""The panel's demo on a small county: meetings every 4 weeks (one held), plans for the top
of the ranked list owned by the demo's police accounts, some due soon; a second run adds
nothing."""

from datetime import timedelta
from io import StringIO

from django.utils import timezone

from carepath.core.codes import Role
from carepath.core.services import staff_create
from carepath.perpetrators import panel_demo
from carepath.perpetrators.models import PanelMeeting, PerpetratorPlan
from tests.perpetrators.test_panel_pages import event, person


def test_the_demo_schedules_the_panel_and_plans_for_the_top_of_its_list(county):
    police = county["agencies"]["police"]
    analyst = staff_create(username="demo-police-analyst", agency=police, role=Role.COMMISSIONER, password=None)
    officer = staff_create(username="demo-police", agency=police, role=Role.TRIAGE, password=None)
    # Eight serial perpetrators (two victims each), and one man seen once.
    for n in range(8):
        him = person(county, "Harm", f"Demo{n}")
        for v in range(2):
            event(county, victim=person(county, "Victim", f"Demo{n}{v}"), perpetrator=him, days_ago=10 + n + 30 * v)
    event(county, victim=person(county, "Victim", "Once"), perpetrator=person(county, "Harm", "Once"), days_ago=3)
    panel_demo.load(stdout=StringIO())
    meetings = list(PanelMeeting.objects.order_by("starts_at"))
    today = timezone.localdate()
    assert [timezone.localdate(m.starts_at) for m in meetings] == [today + timedelta(days=d) for d in (-28, 0, 28, 56)]
    assert [m.held for m in meetings] == [True, False, False, False]
    plans = list(PerpetratorPlan.objects.order_by("review_on"))
    assert len(plans) == 6 and {p.owner for p in plans} == {analyst, officer}
    assert all(p.meeting == meetings[0] and p.perpetrator.given_name == "Harm" for p in plans)
    assert [(p.review_on - today).days for p in plans][:2] == [3, 6]  # due soon
    out = StringIO()
    panel_demo.load(stdout=out)
    assert PerpetratorPlan.objects.count() == 6 and PanelMeeting.objects.count() == 4
    assert "already" in out.getvalue()


def test_without_the_demo_accounts_it_adds_nothing(county):
    out = StringIO()
    panel_demo.load(stdout=out)
    assert not PanelMeeting.objects.exists() and "run demo-accounts first" in out.getvalue()
