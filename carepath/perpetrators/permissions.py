"""Permissions of the perpetrators app (django-rules). Which people a user sees is the
access registry's (``core.access``); these say who may do what.

- Criminal history and intelligence, the serial and repeat perpetrator panel, its plans,
  orders, breaches and releases from custody: the police and probation (issue 17: "visible
  only to police and probation roles"; MATAC is police-led, references.md).
- Clare's Law applications: the police, who receive and decide them.
- Programmes: their providers' staff keep their referrals; the partnership's commissioners
  and administrators read the programmes report (seed 002 Appendix 12 Table 5).
"""

import rules

from carepath.core.codes import AgencyType, Role

#: Agencies whose staff see criminal history and intelligence.
JUSTICE_AGENCIES = frozenset({AgencyType.POLICE, AgencyType.PROBATION})


@rules.predicate
def works_for_police_or_probation(user) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.agency.agency_type in JUSTICE_AGENCIES


@rules.predicate
def works_for_the_police(user) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.agency.agency_type == AgencyType.POLICE


@rules.predicate
def provides_a_programme(user) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.agency.programmes.exists()


@rules.predicate
def reads_partnership_reports(user) -> bool:
    return user.is_authenticated and user.role in (Role.COMMISSIONER, Role.ADMINISTRATOR)


rules.add_perm("perpetrators.view_criminal_history", works_for_police_or_probation)
rules.add_perm("perpetrators.run_panel", works_for_police_or_probation)
rules.add_perm("perpetrators.record_orders", works_for_police_or_probation)
rules.add_perm("perpetrators.handle_disclosures", works_for_the_police)
rules.add_perm("perpetrators.keep_programme_referrals", provides_a_programme | works_for_police_or_probation)
rules.add_perm(
    "perpetrators.view_programme_report",
    reads_partnership_reports | provides_a_programme | works_for_police_or_probation,
)


# Programmes (part 3): who refers, who keeps a programme, who records a man's progress.
#: Agencies that refer perpetrators to programmes: the courts' and the police's partners
#: (probation for court orders), children's social care (Caring Dads' main referrer, seed
#: 002 Appendix 12), and the services that work with his partner (Drive's referrers).
PROGRAMME_REFERRERS = frozenset(
    {
        AgencyType.POLICE,
        AgencyType.PROBATION,
        AgencyType.CHILDRENS_SERVICES,
        AgencyType.IDVA_SERVICE,
        AgencyType.FRONT_DOOR,
        AgencyType.MARAC,
    }
)


@rules.predicate
def refers_to_programmes(user) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.agency.agency_type in PROGRAMME_REFERRERS


@rules.predicate
def runs_the_programme(user, programme) -> bool:
    return programme is not None and user.is_authenticated and user.agency_id == programme.provider_id


@rules.predicate
def runs_the_referrals_programme(user, referral) -> bool:
    return referral is not None and user.is_authenticated and user.agency_id == referral.programme.provider_id


rules.add_perm("perpetrators.view_programmes", refers_to_programmes | provides_a_programme | reads_partnership_reports)
rules.add_perm("perpetrators.refer_to_programme", refers_to_programmes | provides_a_programme)
rules.add_perm("perpetrators.add_programme", reads_partnership_reports | provides_a_programme)
rules.add_perm("perpetrators.change_programme", reads_partnership_reports | runs_the_programme)
rules.add_perm("perpetrators.record_programme_progress", runs_the_referrals_programme)
