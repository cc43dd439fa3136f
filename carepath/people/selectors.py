"""Reads of people, always through the access rule.

Default deny (DEVELOPERS.md "Safety first"): a member of staff sees a person only when
their agency is involved — it recorded the person, or reported an event in which the
person is the victim, the perpetrator or a child, or made a referral for them — or a
recorded information share gave the person's details to their agency.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from carepath.events.models import Event, EventChild
from carepath.people.models import ContactChannel, Person, SafeContact
from carepath.people.safe_contact import ALL_CHANNELS, SafeContactAnswers, usable_channels
from carepath.referrals.models import InformationShare, Referral


def people_visible_to(user) -> QuerySet[Person]:
    if not user.is_authenticated or user.agency_id is None:
        return Person.objects.none()
    agency_id = user.agency_id
    reported = Event.objects.filter(agency_id=agency_id)
    return Person.objects.filter(
        Q(recorded_by_id=agency_id)
        | Exists(reported.filter(victim=OuterRef("pk")))
        | Exists(reported.filter(perpetrator=OuterRef("pk")))
        | Exists(EventChild.objects.filter(event__agency_id=agency_id, child=OuterRef("pk")))
        | Exists(Referral.objects.filter(referring_agency_id=agency_id, victim=OuterRef("pk")))
        | Exists(InformationShare.objects.filter(shared_with_id=agency_id, person=OuterRef("pk")))
    )


def person_get_for_user(*, user, person_id: int) -> Person:
    """The person, or 404 when it does not exist or the user's agency is not involved:
    a refusal does not reveal whether the record exists."""
    person = people_visible_to(user).filter(pk=person_id).select_related("recorded_by").first()
    if person is None:
        raise Http404("No such person, or your agency is not involved with them.")
    return person


def person_addresses_for_user(*, user, person: Person):
    """Address history; confidential addresses only for the agency that recorded the person."""
    addresses = person.addresses.select_related("district")
    if person.recorded_by_id != user.agency_id:
        addresses = addresses.filter(is_confidential=False)
    return addresses


@dataclass(frozen=True)
class ChannelSafety:
    channel: str
    label: str
    safe: bool
    never: bool


def person_contact_channels(*, person: Person) -> list[ChannelSafety]:
    """Each contact channel and whether it may be used (``safe_contact.usable_channels``).
    With no safe-contact record, nothing is safe."""
    record = SafeContact.objects.filter(person=person).first()
    answers = record.answers() if record else SafeContactAnswers()
    usable = usable_channels(answers)
    return [
        ChannelSafety(channel=c, label=ContactChannel(c).label, safe=c in usable, never=c in answers.do_not_contact_via)
        for c in ALL_CHANNELS
    ]
