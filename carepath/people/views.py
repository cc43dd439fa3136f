from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from carepath.core import access
from carepath.core.codes import AccessAction, SharePart
from carepath.core.decorators import staff_view
from carepath.people import linkage, selectors, services
from carepath.people.forms import LinkDecisionForm, PersonSearchForm, ReasonForm
from carepath.people.identity import ordered_pair
from carepath.people.models import (
    REVIEWED,
    IdentityChange,
    IdentityChangeKind,
    LinkStatus,
    Person,
    RecordLink,
)

REVIEW_PERMISSION = "people.review_record_links"
QUEUE_PAGE_SIZE = 50
#: Changes a reviewer may undo record by record; a batch relink touches every record.
UNDOABLE_KINDS = (IdentityChangeKind.MERGE, IdentityChangeKind.SPLIT)
#: The pairs a reviewer may open: those awaiting review and those a reviewer decided. The
#: pairs the model linked or left apart on its own are anyone's records: opening them by
#: id would let a reviewer browse any two people's details.
OPENABLE_STATUSES = (LinkStatus.REVIEW, *REVIEWED)
COMPARISON_LABELS = {
    "first_name": "First name",
    "last_name": "Surname",
    "date_of_birth": "Date of birth",
    "address": "Address and postcode",
    "phone": "Phone",
    "national_id": "NHS number",
    "pnc_id": "Police National Computer id",
}


def _can_review(user) -> bool:
    return user.has_perm(REVIEW_PERMISSION)


def _next_url(request, value: str, default: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


def _linked_record(record: Person, link: RecordLink | None) -> dict:
    return {"record": record, "link": link, "can_open": link is not None and link.status in OPENABLE_STATUSES}


def _identity_context(user, person: Person) -> dict:
    """What the person page says about linked records. Non-reviewers get counts only:
    linking never widens what anyone sees of another agency's record."""
    context = {"can_review_links": _can_review(user)}
    if user.has_perm("people.see_known_across"):
        known = selectors.person_known_across(person=person)
        context |= {"identity_records": known.records, "identity_agencies": known.agencies}
    if not context["can_review_links"]:
        return context
    others = list(
        selectors.identity_records(identity_key=person.identity)
        .exclude(pk=person.pk)
        .select_related("recorded_by")
        .order_by("pk")
    )
    links = selectors.record_links_between(person=person, others=others)
    context |= {
        "linked_records": [_linked_record(other, links.get(ordered_pair(person.pk, other.pk))) for other in others],
        "identity_changes": [
            {"change": c, "can_undo": c.kind in UNDOABLE_KINDS and c.undone_by_id is None}
            for c in selectors.identity_changes_touching(person=person)
        ],
    }
    return context


@staff_view()
def person_detail(request, person_id: int):
    """One person's record. Safe contact details only for the agency that holds the record
    or one a share gave them to."""
    person = access.record_open(request, Person, person_id, queryset=Person.objects.select_related("recorded_by"))
    held = access.records_held_by(request.user, Person).filter(pk=person.pk).exists()
    safe_contact_shared = held or SharePart.SAFE_CONTACT in access.parts_shared_about_person(request.user, person.pk)
    channels = selectors.person_contact_channels(person=person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "other_names": person.other_names.all(),
            "addresses": selectors.person_addresses_for_user(user=request.user, person=person),
            "safe_contact_shared": safe_contact_shared,
            "safe_contact": getattr(person, "safe_contact", None) if safe_contact_shared else None,
            "contact_channels": channels,
            "do_not_contact_by": ", ".join(c.label.lower() for c in channels if not c.safe),
            "events_as_victim": person.events_as_victim.filter(agency_id=request.user.agency_id),
            "can_read_access_log": request.user.has_perm("core.view_access_log", person),
            **_identity_context(request.user, person),
        },
    )


@staff_view("people.search_people")
def person_search(request):
    """Find a person among those the user's agency may see; each person listed is logged."""
    form = PersonSearchForm(request.GET or None)
    page = None
    if form.is_valid():
        found = selectors.people_search(
            user=request.user, name=form.cleaned_data["name"], date_of_birth=form.cleaned_data["date_of_birth"]
        )
        page = Paginator(found, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        access.people_shown(request, page.object_list, action=AccessAction.LISTED)
    query = "&" + urlencode({k: request.GET.get(k, "") for k in ("name", "date_of_birth")})
    return render(request, "people/person_search.html", {"form": form, "page": page, "query": query})


@staff_view(REVIEW_PERMISSION)
def record_link_queue(request):
    """Pairs of records waiting for a reviewer, the likeliest first."""
    page = Paginator(selectors.record_links_awaiting_review(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    access.people_shown(
        request,
        [pk for link in page.object_list for pk in (link.person_a_id, link.person_b_id)],
        action=AccessAction.LISTED,
    )
    for link in page.object_list:
        link.percent = 100 * link.match_probability
    return render(
        request,
        "people/record_link_queue.html",
        {
            "page": page,
            "decided": selectors.record_links_decided_count(),
        },
    )


def _record_rows(person_a: Person, person_b: Person) -> tuple[list[dict], tuple[linkage.PersonRecord, ...]]:
    """The two records side by side, as the linkage model compared them (latest
    non-confidential address), plus who recorded each."""
    records = {int(r.record_id): r for r in selectors.linkage_records([person_a.pk, person_b.pk])}
    a, b = records[person_a.pk], records[person_b.pk]

    def date(d) -> str:
        if isinstance(d, str):  # kept as the source wrote it: no real date
            return f"{d} (as written: not a real date)"
        return dateformat.format(d, "j F Y") if d else ""

    return [
        {"label": "Record id", "a": person_a.pk, "b": person_b.pk},
        {"label": "Recorded by", "a": person_a.recorded_by.name, "b": person_b.recorded_by.name},
        {"label": "First name", "a": a.first_name, "b": b.first_name},
        {"label": "Surname", "a": a.last_name, "b": b.last_name},
        {"label": "Date of birth", "a": date(a.date_of_birth), "b": date(b.date_of_birth)},
        {"label": "Sex", "a": person_a.get_sex_display(), "b": person_b.get_sex_display()},
        {"label": "Phone", "a": a.phone, "b": b.phone},
        {"label": "NHS number", "a": a.national_id, "b": b.national_id},
        {"label": "Police National Computer id", "a": a.pnc_id, "b": b.pnc_id},
        {"label": "Latest address (not confidential)", "a": a.address, "b": b.address},
        {"label": "Postcode", "a": a.postcode, "b": b.postcode},
    ], (a, b)


def _explanation(record_a: linkage.PersonRecord, record_b: linkage.PersonRecord):
    model = services.latest_linkage_model()
    if model is None:
        return None
    explanation = linkage.explain(model, record_a, record_b)
    rows = [
        {"label": COMPARISON_LABELS.get(c.comparison, c.comparison.replace("_", " ").capitalize()), "c": c}
        for c in explanation.comparisons
    ]
    return {
        "explanation": explanation,
        "rows": rows,
        "prior_percent": 100 * explanation.prior_probability,
        "percent": 100 * explanation.match_probability,
    }


@staff_view(REVIEW_PERMISSION)
def record_link_detail(request, link_id: int):
    """One pair of records under review or decided by a reviewer, why the model scored them
    as it did, and the decision. Any other pair gets the same 404 as a missing one."""
    link = (
        RecordLink.objects.filter(status__in=OPENABLE_STATUSES, pk=link_id)
        .select_related("person_a__recorded_by", "person_b__recorded_by", "decided_by")
        .first()
    )
    if link is None:
        raise access.refused(request, RecordLink, link_id)
    form = LinkDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = (
            services.record_link_confirm
            if form.cleaned_data["decision"] == LinkDecisionForm.CONFIRM
            else services.record_link_reject
        )
        try:
            decide(link=link, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            outcome = (
                "the same person" if form.cleaned_data["decision"] == LinkDecisionForm.CONFIRM else "different people"
            )
            messages.success(request, f"Records {link.person_a_id} and {link.person_b_id} recorded as {outcome}.")
            return redirect("record_link_queue")
    rows, (record_a, record_b) = _record_rows(link.person_a, link.person_b)
    access.people_shown(request, [link.person_a, link.person_b], via=link)
    why = _explanation(record_a, record_b)
    if why:
        why["differs"] = abs(why["explanation"].match_probability - link.match_probability) >= 0.001
    history = link.history.select_related("decided_by", "history_user").order_by("-history_date", "-history_id")
    return render(
        request,
        "people/record_link_detail.html",
        {
            "link": link,
            "rows": rows,
            "why": why,
            "link_percent": 100 * link.match_probability,
            "form": form,
            "is_decided": link.status in REVIEWED,
            "history": history,
            "changes": [
                {"change": c, "can_undo": c.kind in UNDOABLE_KINDS and c.undone_by_id is None}
                for c in link.changes.select_related("made_by")
            ],
        },
    )


def _reason_page(request, *, form: ReasonForm, title: str, summary: str, action: str, button: str, back: str):
    return render(
        request,
        "people/identity_reason.html",
        {
            "form": form,
            "title": title,
            "summary": summary,
            "action": action,
            "button": button,
            "back": back,
        },
    )


@staff_view(REVIEW_PERMISSION)
def person_identity_split_view(request, person_id: int):
    """Take this record out of the person it is linked to (reviewers only)."""
    person = access.record_open(request, Person, person_id)
    back = reverse("person_detail", args=[person.pk])
    form = ReasonForm(request.POST or None, initial={"next": back})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_identity_split(person=person, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Record {person.pk} split out: it is no longer linked to any other record.")
            return redirect(_next_url(request, form.cleaned_data["next"], back))
    return _reason_page(
        request,
        form=form,
        title=f"Split record {person.pk} out",
        summary=f"Record {person.pk} ({person.recorded_by}) will no longer be linked to the "
        f"{max(selectors.identity_records(identity_key=person.identity).count() - 1, 0)} other record(s) of this person, "
        "and later runs will keep them apart.",
        action=reverse("person_identity_split", args=[person.pk]),
        button="Split this record out",
        back=back,
    )


@staff_view(REVIEW_PERMISSION)
def identity_change_undo_view(request, change_id: int):
    """Put the records of an earlier merge or split back as they were (reviewers only)."""
    change = get_object_or_404(IdentityChange, pk=change_id)
    back = reverse("record_link_queue")
    form = ReasonForm(request.POST or None, initial={"next": back})
    if request.method == "POST" and form.is_valid():
        try:
            if change.kind not in UNDOABLE_KINDS:
                raise ValidationError("Only a merge or a split can be undone here.")
            services.identity_change_undo(change=change, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Identity change {change.pk} undone: the records are as they were before it.")
            return redirect(_next_url(request, form.cleaned_data["next"], back))
    records = ", ".join(sorted(change.before, key=int))
    made_on = dateformat.format(timezone.localtime(change.made_at), "j F Y")
    return _reason_page(
        request,
        form=form,
        title=f"Undo identity change {change.pk}",
        summary=f"{change.get_kind_display()} on {made_on}. Records {records} will get back the links they had "
        "before it.",
        action=reverse("identity_change_undo", args=[change.pk]),
        button="Undo this change",
        back=_next_url(request, request.POST.get("next", ""), back),
    )
