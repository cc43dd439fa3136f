"""The work queues shown on each user's home page, by role.

Later issues fill these (triage queue, IDVA caseload, MARAC agenda, vacancies); until a
queue's feature exists it is listed with nothing in it, so staff see where work will arrive.
"""

from dataclasses import dataclass

from carepath.core.models import Role


@dataclass(frozen=True)
class Queue:
    title: str
    description: str
    count: int


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


def queues_for_user(user) -> list[Queue]:
    return [Queue(title=t, description=d, count=0) for t, d in ROLE_QUEUES.get(user.role, [])]
