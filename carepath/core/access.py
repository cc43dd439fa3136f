"""One way in for every record: the access registry.

Default deny (DEVELOPERS.md "Safety first"): a member of staff sees a record only when
their agency is involved with it or a recorded information share gives it to them, and
a page shows only the people and the parts that were shared.

Each app fills the registry from its ``AppConfig.ready()`` and edits nothing else:

- ``register_record_type``: a kind of record staff open (a person, an event, a referral),
  the people a page of it shows, and the page's URL name;
- ``register_involvement``: one rule making an agency involved with records of a model
  ("the agency reported the event"); an app may add rules to another app's model (the
  referrals app adds "the agency referred the victim" to people);
- ``register_queue``: a work queue on the home page, with its live count.

``records_visible_to`` is the union of the registered rules plus the shares; ``record_open``
opens one record for a user (or raises the same 404 as for a missing one, and logs the
refusal), and ``people_shown`` logs every person a page, list or download shows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from carepath.core import audit
from carepath.core.codes import AccessAction, SharePart

#: A rule: the records of a model an agency is involved with, as a filter.
InvolvementRule = Callable[[int], Q]


@dataclass(frozen=True)
class RecordType:
    """A kind of record staff open: ``name`` is its word in URLs and in the access log
    (``/records/<name>/<id>/access-log/``)."""

    name: str
    model: type[Model]
    label: str
    detail_url: str
    #: The people a page of this record may show: ``(person id, role words)`` pairs.
    people: Callable[[Model], Iterable[tuple[int, str]]] = lambda record: ()
    #: The parts a fully involved agency sees; a share gives only those it lists.
    parts: frozenset[str] = frozenset(SharePart)


@dataclass(frozen=True)
class Queue:
    """A work queue on the home page: its title, what it holds, the roles that see it,
    its size for a user, and its page."""

    key: str
    title: str
    description: str
    roles: frozenset[str]
    count: Callable[[object], int]
    url_name: str = ""
    permission: str = ""
    #: The first few items, as links: ``preview(user, n) -> [{"text", "url", "due", "overdue"}]``.
    #: No names: the home page shows work, not people.
    preview: Callable[[object, int], list[dict]] | None = None
    #: Whether the user, of one of the roles, has this queue at all (a service's managers only).
    shown_to: Callable[[object], bool] | None = None


@dataclass
class _Registry:
    record_types: dict[str, RecordType] = field(default_factory=dict)
    by_model: dict[type[Model], RecordType] = field(default_factory=dict)
    involvement: dict[type[Model], list[InvolvementRule]] = field(default_factory=dict)
    #: The rules by which an agency holds records itself, not through a share.
    holding: dict[type[Model], list[InvolvementRule]] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)
    #: What marking a task of an action type done does besides recording it (the MARAC
    #: referral task makes the MARAC referral): ``handler(task=, user=) -> message``.
    task_handlers: dict[str, Callable] = field(default_factory=dict)
    #: Sections of the home page below the queues: (template, context(user)).
    home_sections: list[tuple[str, Callable]] = field(default_factory=list)
    #: Every record linked as the same person as a record (identity resolution).
    linked_records: Callable[[int], list[int]] = lambda person_id: []


registry = _Registry()


def register_record_type(record_type: RecordType) -> None:
    if record_type.name in registry.record_types:
        raise ValueError(f"A record type called {record_type.name!r} is already registered.")
    registry.record_types[record_type.name] = record_type
    registry.by_model[record_type.model] = record_type
    register_involvement(model=record_type.model, rule=_shared_subject(record_type.model), through_share=True)


def register_involvement(*, model: type[Model], rule: InvolvementRule, through_share: bool = False) -> None:
    """Add a rule making agencies involved with records of ``model``. ``through_share``:
    the rule gives the record by a share, so only the shared parts are shown."""
    rules = registry.involvement.setdefault(model, [])
    if through_share:
        rules.append(rule)
    else:
        # Before the share rules: a database tests an OR's terms in order, and an agency's
        # own column is cheaper to test than a search of the shares.
        holding = registry.holding.setdefault(model, [])
        rules.insert(len(holding), rule)
        holding.append(rule)


def register_queue(queue: Queue) -> None:
    registry.queues[queue.key] = queue


def register_task_handler(*, action_type: str, handler: Callable) -> None:
    registry.task_handlers[action_type] = handler


def register_home_section(*, template: str, context: Callable) -> None:
    registry.home_sections.append((template, context))


def register_linked_records(finder: Callable[[int], list[int]]) -> None:
    registry.linked_records = finder


def record_type_for(model_or_name) -> RecordType:
    if isinstance(model_or_name, str):
        return registry.record_types[model_or_name]
    return registry.by_model[model_or_name]


def _shared_subject(model: type[Model]) -> InvolvementRule:
    """Records of ``model`` that an information share gives to the agency."""

    def rule(agency_id: int) -> Q:
        from carepath.core.models import InformationShare

        content_type = ContentType.objects.get_for_model(model)
        return Q(
            Exists(
                InformationShare.objects.filter(
                    shared_with_id=agency_id, content_type=content_type, object_id=OuterRef("pk")
                )
            )
        )

    return rule


def named_by_share(agency_id: int) -> Q:
    """People an information share to the agency names."""
    from carepath.core.models import SharedPerson

    return Q(Exists(SharedPerson.objects.filter(share__shared_with_id=agency_id, person_id=OuterRef("pk"))))


def _filtered(user, model: type[Model], rules: list[InvolvementRule] | None) -> QuerySet:
    if not user.is_authenticated or user.agency_id is None or not rules:
        return model.objects.none()
    return model.objects.filter(reduce(or_, (rule(user.agency_id) for rule in rules)))


def records_visible_to(user, model: type[Model]) -> QuerySet:
    """Every record of ``model`` the user's agency is involved with or was given: the
    union of the registered rules. Nothing for a user without an agency, or a model
    nobody registered."""
    return _filtered(user, model, registry.involvement.get(model))


def records_held_by(user, model: type[Model]) -> QuerySet:
    """The records of ``model`` the user's agency holds itself (all their parts), not
    only through a share."""
    return _filtered(user, model, registry.holding.get(model))


def record_open(request, model: type[Model], pk: int, *, queryset: QuerySet | None = None) -> Model:
    """The record, opened for the request's user and logged as opened; or, when it does
    not exist or the user may not see it, the same 404 either way, logged as refused.

    ``queryset`` narrows or prefetches (it must be of ``model``)."""
    visible = records_visible_to(request.user, model)
    if queryset is not None:
        visible = visible & queryset
    record = visible.filter(pk=pk).first()
    if record is None:
        raise refused(request, model, pk)
    audit.views_record(user=request.user, action=AccessAction.OPENED, records=[record], path=request.path)
    return record


def refused(request, model: type[Model], pk: int) -> Http404:
    """Log a refused attempt to open a record and return the 404 to raise: the same as for
    a record that does not exist."""
    if request.user.is_authenticated:
        audit.refusal_record(user=request.user, model=model, object_id=pk, path=request.path)
    return Http404("No such record, or your agency is not involved with it.")


def people_shown(
    request, people: Iterable[int | Model], *, action: str = AccessAction.OPENED, via: Model | None = None
) -> None:
    """Log every person a page, list or download shows (ids or records): opened, listed,
    exported or printed, with the record whose page showed them."""
    from carepath.core.models import SharedPerson

    person_model = SharedPerson._meta.get_field("person").related_model
    ids = sorted({p.pk if isinstance(p, Model) else int(p) for p in people if p is not None})
    audit.views_record(user=request.user, action=action, model=person_model, ids=ids, via=via, path=request.path)


@dataclass(frozen=True)
class SharedView:
    """What the user may see of one record: every part, or only what shares gave."""

    parts: frozenset[str]
    people: frozenset[int]
    full: bool

    def shows(self, part: str) -> bool:
        return part in self.parts


def shared_view(user, record: Model) -> SharedView:
    """The parts and people of ``record`` the user sees: all of them where the agency
    holds the record itself; else only what its shares of the record list and name."""
    from carepath.core.models import InformationShare, SharedPerson

    kind = record_type_for(type(record))
    if records_held_by(user, type(record)).filter(pk=record.pk).exists():
        return SharedView(parts=kind.parts, people=frozenset(p for p, _ in kind.people(record)), full=True)
    shares = InformationShare.objects.filter(
        shared_with_id=user.agency_id, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )
    parts = {part for share_parts in shares.values_list("parts", flat=True) for part in share_parts}
    people = set(SharedPerson.objects.filter(share__in=shares).values_list("person_id", flat=True))
    return SharedView(parts=frozenset(parts) & kind.parts, people=frozenset(people), full=False)


def parts_shared_about_person(user, person_id: int) -> frozenset[str]:
    """The parts of records about a person that shares naming them gave the user's agency."""
    from carepath.core.models import SharedPerson

    if not user.is_authenticated or user.agency_id is None:
        return frozenset()
    rows = SharedPerson.objects.filter(person_id=person_id, share__shared_with_id=user.agency_id)
    return frozenset(part for parts in rows.values_list("share__parts", flat=True) for part in parts)


PREVIEW_ITEMS = 5


def queues_for(user) -> list[dict]:
    """The user's queues, in registration order, with live counts and links."""
    shown = []
    for queue in registry.queues.values():
        if user.role not in queue.roles and not (queue.permission and user.has_perm(queue.permission)):
            continue
        if queue.shown_to is not None and not queue.shown_to(user):
            continue
        count = queue.count(user)
        shown.append(
            {
                "title": queue.title,
                "description": queue.description,
                "count": count,
                "url": reverse(queue.url_name) if queue.url_name else "",
                "items": queue.preview(user, PREVIEW_ITEMS) if queue.preview and count else [],
            }
        )
    return shown
