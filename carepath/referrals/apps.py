from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "carepath.referrals"
    label = "referrals"

    def ready(self):
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Exists, OuterRef, Q
        from django.db.models.signals import post_save

        from carepath.core import access
        from carepath.core.codes import ActionType, Role
        from carepath.core.models import InformationShare, Task
        from carepath.events.models import Event
        from carepath.people.models import Person
        from carepath.referrals import children_selectors, referrer_selectors, selectors, services, triage_services
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

        def task_saved(sender, instance, **kwargs):
            # Whoever records, assigns or adds a referral's task, its queue deadline follows.
            if instance.content_type_id == ContentType.objects.get_for_model(Referral).pk:
                triage_services.referrals_first_contact_refresh(referral_ids=[instance.object_id])

        # weak=False: the receiver is local to ready() and would otherwise be collected at once.
        post_save.connect(task_saved, sender=Task, weak=False, dispatch_uid="referral_first_contact_due")
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
                roles=frozenset(),
                permission="referrals.work_triage_queue",
                url_name="triage_queue",
                description="Open referrals to research and route, missed deadlines first, then highest risk and oldest.",
                count=lambda user: selectors.triage_queue(user=user).count(),
                preview=selectors.triage_queue_preview,
            )
        )
        access.register_queue(
            access.Queue(
                key="children",
                title="Children's queue",
                roles=frozenset({Role.SAFEGUARDING_LEAD}),
                url_name="children_queue",
                description="Children referred to your agency: record each child's own risk and the outcome. "
                "Soonest deadline first, then oldest.",
                count=lambda user: children_selectors.children_queue(user=user).count(),
            )
        )
        access.register_queue(
            access.Queue(
                key="referrals_made",
                title="Your force's referrals",
                roles=frozenset(),
                permission="referrals.list_referrals_made",
                url_name="referrals_made",
                description="The referrals your force made, newest first, with what the front door asks of you. "
                "Waiting: those the front door has not yet routed or closed.",
                count=referrer_selectors.referrals_made_waiting_count,
            )
        )
