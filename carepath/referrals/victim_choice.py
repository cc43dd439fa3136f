"""The victim of an agency's referral form (to MARAC, to a casework service): one the
agency holds, chosen after a search by name, or a new one entered on the form. A person
the agency may not see is answered as one that does not exist (``people.selectors``)."""

from dataclasses import dataclass, field

from carepath.core import access
from carepath.core.codes import AccessAction
from carepath.people.models import Person
from carepath.people.selectors import people_search, people_visible_to

#: People a search on a referral form lists at most.
SEARCH_LIMIT = 20


@dataclass
class VictimChoice:
    victim: Person | None
    not_found: bool
    name: str
    found: list[Person] = field(default_factory=list)

    def context(self) -> dict:
        return {"victim": self.victim, "not_found": self.not_found, "name": self.name, "found": self.found}

    def log_shown(self, request) -> None:
        """Log the people the page shows: those the search listed, and the victim chosen."""
        access.people_shown(request, self.found, action=AccessAction.LISTED)
        access.people_shown(request, [self.victim] if self.victim else [])


def victim_choice(request) -> VictimChoice:
    """The victim chosen (``victim`` in the address or the form), and the people a search
    by ``name`` found, among those the user's agency may see."""
    chosen = request.POST.get("victim") or request.GET.get("victim") or ""
    victim = people_visible_to(request.user).filter(pk=int(chosen)).first() if chosen.isdigit() else None
    name = request.GET.get("name", "").strip()[:100]
    found = list(people_search(user=request.user, name=name)[:SEARCH_LIMIT]) if name and victim is None else []
    return VictimChoice(victim=victim, not_found=bool(chosen) and victim is None, name=name, found=found)
