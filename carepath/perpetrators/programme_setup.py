"""What the programme part of the perpetrators app registers with core: queues, record types,
involvement rules and case sections (called from PerpetratorsConfig.ready)."""

from django.urls import reverse
from django.utils.formats import date_format


def register() -> None:
    from carepath.core import access
    from carepath.perpetrators import programme_selectors as selectors
    from carepath.perpetrators.models import ProgrammeReferral

    access.register_record_type(
        access.RecordType(
            name="programme-referral",
            model=ProgrammeReferral,
            label="Perpetrator programme referral",
            detail_url="programme_referral_detail",
            people=lambda referral: list(selectors.referral_people(referral)),
        )
    )
    access.register_involvement(model=ProgrammeReferral, rule=selectors.programme_involvement)
    access.register_queue(
        access.Queue(
            key="perpetrator_programme_waiting",
            title="Programme referrals to assess or start",
            roles=frozenset(),
            permission="perpetrators.keep_programme_referrals",
            url_name="programme_referrals_waiting",
            shown_to=lambda user: user.agency_id is not None and user.agency.programmes.exists(),
            description="Men referred to your perpetrator programmes: assess each one, and start those "
            "offered a place. Oldest referral first.",
            count=lambda user: selectors.referrals_awaiting(user=user).count(),
            preview=lambda user, n: [
                {
                    "text": f"{r.programme.name}: referred {date_format(r.referred_on, 'j M Y')}, "
                    f"{r.get_status_display().lower()}",
                    "url": reverse("programme_referral_detail", args=[r.pk]),
                    "due": None,
                    "overdue": False,
                }
                for r in selectors.referrals_awaiting(user=user)[:n]
            ],
        )
    )
