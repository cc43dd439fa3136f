from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "carepath.people"
    label = "people"

    def ready(self):
        from django.db.models import Q

        from carepath.core import access
        from carepath.core.codes import SharePart
        from carepath.people.models import Person
        from carepath.people.selectors import linked_record_ids

        access.register_record_type(
            access.RecordType(
                name="person",
                model=Person,
                label="Person",
                detail_url="person_detail",
                people=lambda person: [(person.pk, "")],
                parts=frozenset({SharePart.SAFE_CONTACT}),
            )
        )
        # The agency that recorded the person, and agencies a share names them to.
        access.register_involvement(model=Person, rule=lambda agency_id: Q(recorded_by_id=agency_id))
        access.register_involvement(model=Person, rule=access.named_by_share, through_share=True)
        access.register_linked_records(linked_record_ids)
        access.register_home_section(
            template="people/includes/person_search_section.html",
            context=lambda user: {"show": user.has_perm("people.search_people")},
        )
