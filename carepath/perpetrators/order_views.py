"""Pages of a perpetrator's profile, his orders and their breaches, his releases from
custody and his criminal history: police and probation staff only. Thin: the rules are
in ``order_services``, the reads in ``order_selectors``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carepath.core import access
from carepath.core.decorators import staff_view
from carepath.core.forms import refusal_onto_form
from carepath.people.models import Person
from carepath.perpetrators import order_selectors as selectors
from carepath.perpetrators import order_services as services
from carepath.perpetrators.models import Order
from carepath.perpetrators.order_forms import (
    BreachForm,
    CriminalHistoryForm,
    CustodyReleaseForm,
    OrderForm,
    OrderUpdateForm,
)


def _written(form, write) -> bool:
    """Whether the valid form's write went through; a refusal goes onto the form."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        refusal_onto_form(form, exc)
        return False
    return True


def _status(request) -> int:
    return 400 if request.method == "POST" else 200


@staff_view("perpetrators.run_panel")
def perpetrator_profile(request, perpetrator_id: int):
    """One view of him across his linked records, as the user's agency may see it."""
    perpetrator = access.record_open(request, Person, perpetrator_id)
    profile = selectors.perpetrator_profile(user=request.user, perpetrator=perpetrator)
    access.people_shown(request, profile.people_shown, via=perpetrator)
    return render(
        request,
        "perpetrators/order_profile.html",
        {
            "profile": profile,
            "p": perpetrator,
            "today": timezone.localdate(),
            "may_record": request.user.has_perm("perpetrators.record_orders"),
        },
    )


@staff_view("perpetrators.record_orders")
def perpetrator_order_new(request, perpetrator_id: int):
    perpetrator = access.record_open(request, Person, perpetrator_id)
    victims = selectors.victim_choices(user=request.user, perpetrator=perpetrator)
    form = OrderForm(request.POST or None, victims=victims)
    made = {}

    def write(d):
        made["order"] = services.order_record(perpetrator=perpetrator, user=request.user, now=timezone.now(), **d)

    if request.method == "POST" and _written(form, write):
        messages.success(request, "Order recorded.")
        return redirect("perpetrator_order_detail", order_id=made["order"].pk)
    access.people_shown(request, [perpetrator, *victims], via=perpetrator)
    return render(
        request,
        "perpetrators/order_new.html",
        {"form": form, "p": perpetrator, "victims": victims},
        status=_status(request),
    )


def _order_page(request, order: Order, *, update_form=None, status: int = 200):
    access.people_shown(request, [order.perpetrator_id, order.protected_person_id], via=order)
    return render(
        request,
        "perpetrators/order_detail.html",
        {
            "order": order,
            "breaches": list(order.breaches.select_related("recorded_by")),
            "in_force": selectors.order_in_force(order, today=timezone.localdate()),
            "update_form": update_form
            or OrderUpdateForm(initial={"ends_on": order.ends_on, "conditions": order.conditions}),
        },
        status=status,
    )


@staff_view("perpetrators.record_orders")
def perpetrator_order_detail(request, order_id: int):
    order = access.record_open(request, Order, order_id, queryset=selectors.order_detail(order_id))
    return _order_page(request, order)


@staff_view("perpetrators.record_orders")
@require_POST
def perpetrator_order_update(request, order_id: int):
    """End or vary the order."""
    order = access.record_open(request, Order, order_id, queryset=selectors.order_detail(order_id))
    form = OrderUpdateForm(request.POST)

    def write(d):
        services.order_update(
            order=order, ends_on=d["ends_on"], conditions=d["conditions"], reason=d["reason"], user=request.user
        )

    if _written(form, write):
        messages.success(request, "Order changed.")
        return redirect("perpetrator_order_detail", order_id=order.pk)
    order.refresh_from_db()
    return _order_page(request, order, update_form=form, status=400)


@staff_view("perpetrators.record_orders")
def perpetrator_breach_new(request, order_id: int):
    order = access.record_open(request, Order, order_id, queryset=selectors.order_detail(order_id))
    form = BreachForm(request.POST or None)

    def write(d):
        services.breach_record(
            order=order,
            occurred_at=form.moment(),
            what_happened=d["what_happened"],
            action=d["action"],
            user=request.user,
            now=timezone.now(),
        )

    if request.method == "POST" and _written(form, write):
        messages.success(request, "Breach recorded: her lead worker sees it on her case.")
        return redirect("perpetrator_order_detail", order_id=order.pk)
    access.people_shown(request, [order.perpetrator_id, order.protected_person_id], via=order)
    return render(
        request, "perpetrators/order_breach_new.html", {"form": form, "order": order}, status=_status(request)
    )


@staff_view("perpetrators.record_orders")
def perpetrator_release_new(request, perpetrator_id: int):
    perpetrator = access.record_open(request, Person, perpetrator_id)
    form = CustodyReleaseForm(request.POST or None)

    def write(d):
        services.custody_release_record(perpetrator=perpetrator, user=request.user, now=timezone.now(), **d)

    if request.method == "POST" and _written(form, write):
        messages.success(request, "Release from custody recorded: his victims' lead workers see the date.")
        return redirect("perpetrator_profile", perpetrator_id=perpetrator.pk)
    access.people_shown(request, [perpetrator], via=perpetrator)
    return render(
        request, "perpetrators/order_release_new.html", {"form": form, "p": perpetrator}, status=_status(request)
    )


@staff_view("perpetrators.view_criminal_history")
def perpetrator_history_new(request, perpetrator_id: int):
    perpetrator = access.record_open(request, Person, perpetrator_id)
    form = CriminalHistoryForm(request.POST or None)

    def write(d):
        services.criminal_history_record(perpetrator=perpetrator, user=request.user, now=timezone.now(), **d)

    if request.method == "POST" and _written(form, write):
        messages.success(request, "Added to his criminal history.")
        return redirect("perpetrator_profile", perpetrator_id=perpetrator.pk)
    access.people_shown(request, [perpetrator], via=perpetrator)
    return render(
        request, "perpetrators/order_history_new.html", {"form": form, "p": perpetrator}, status=_status(request)
    )
