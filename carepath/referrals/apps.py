from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "carepath.referrals"
    label = "referrals"

    def ready(self):
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Exists, OuterRef, Q

        from carepath.core import access
        from carepath.core.codes import ActionType, Role
        from carepath.core.models import InformationShare
        from carepath.events.models import Event
        from carepath.people.models import Person
        from carepath.referrals import selectors, services
        from carepath.referrals.models import PoliceImport, Referral

        access.register_record_type(
            access.RecordType(
                name="referral",
                model=Referral,
                label="Referral",
                detail_url="referral_detail",
                people=selectors.referral_people,
            )
        )
        # The agency that made the referral and the front door that received it.
        access.register_involvement(
            model=Referral, rule=lambda agency_id: Q(referring_agency_id=agency_id) | Q(receiving_agency_id=agency_id)
        )
        access.register_involvement(
            model=Person,
            rule=lambda agency_id: Q(
                Exists(Referral.objects.filter(referring_agency_id=agency_id, victim=OuterRef("pk")))
            ),
        )

        def event_of_shared_referral(agency_id: int) -> Q:
            shared = InformationShare.objects.filter(
                shared_with_id=agency_id, content_type=ContentType.objects.get_for_model(Referral)
            ).values("object_id")
            return Q(Exists(Referral.objects.filter(event=OuterRef("pk"), pk__in=shared)))

        access.register_involvement(model=Event, rule=event_of_shared_referral, through_share=True)
        access.register_record_type(
            access.RecordType(
                name="police-import",
                model=PoliceImport,
                label="Police extract import",
                detail_url="police_import_detail",
            )
        )
        access.register_involvement(model=PoliceImport, rule=selectors.police_import_involvement)
        access.register_task_handler(action_type=ActionType.MARAC_REFERRAL, handler=services.marac_referral_task_done)
        access.register_queue(
            access.Queue(
                key="triage",
                title="Triage queue",
                roles=frozenset({Role.TRIAGE}),
                url_name="triage_queue",
                description="New concerns to research and route, missed deadlines first, then highest risk and oldest.",
                count=lambda user: selectors.triage_queue(user=user).count(),
            )
        )
