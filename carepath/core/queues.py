"""The work queues shown on each user's home page, by role.

Later issues fill these (triage queue, IDVA caseload, MARAC agenda, vacancies); until a
queue's feature exists it is listed with nothing in it, so staff see where work will arrive.
"""

from dataclasses import dataclass

from django.urls import reverse

from carepath.core.models import Role


@dataclass(frozen=True)
class Queue:
    title: str
    description: str
    count: int
    url: str = ""


ROLE_QUEUES: dict[str, list[tuple[str, str]]] = {
    Role.TRIAGE: [("Triage queue", "New concerns to research and route, highest risk and oldest first.")],
    Role.IDVA: [("My caseload", "Victims allocated to you."), ("First contacts due", "Victims waiting for a first call.")],
    Role.CASEWORKER: [("My caseload", "Victims allocated to you."), ("First contacts due", "Victims waiting for a first call.")],
    Role.MARAC_COORDINATOR: [("MARAC referrals", "Referrals waiting for a meeting."), ("Actions overdue", "MARAC actions past their date.")],
    Role.MARAC_CHAIR: [("Next meeting", "Cases on the next MARAC agenda.")],
    Role.REFUGE_WORKER: [("Refuge referrals", "Requests for a place, highest risk first."), ("Residents", "People in your accommodation.")],
    Role.SAFEGUARDING_LEAD: [("Child notifications", "Children in households where domestic abuse was reported.")],
    Role.COMMISSIONER: [("Reports", "Board reports and returns.")],
    Role.ADMINISTRATOR: [("Accounts", "Staff accounts and agencies."), ("Configuration", "The partnership's thresholds and deadlines.")],
}


def _live_counts(user) -> dict[str, tuple[int, str]]:
    """Queues whose feature exists: their size and page."""
    from carepath.referrals.selectors import FIRST_CONTACT_ACTIONS, triage_queue
    from carepath.triage.models import Task

    first_contacts = Task.objects.filter(owner_agency_id=user.agency_id, status="open",
                                         action_type__in=FIRST_CONTACT_ACTIONS).count()
    return {
        "Triage queue": (triage_queue(user=user).count(), reverse("triage_queue")),
        "First contacts due": (first_contacts, ""),
    }


def queues_for_user(user) -> list[Queue]:
    live = _live_counts(user)
    return [Queue(title=t, description=d, count=live.get(t, (0, ""))[0], url=live.get(t, (0, ""))[1])
            for t, d in ROLE_QUEUES.get(user.role, [])]
