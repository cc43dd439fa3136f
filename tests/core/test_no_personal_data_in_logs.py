"""Application logs never carry names, dates of birth or addresses."""

import logging

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from carepath.people.models import Person

PERSONAL = ["Imogen", "Quatermass", "Vantablack", "1988-03-14", "14/03/1988", "Juniper", "NT1 4QZ"]


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_views_refusals_and_errors_log_no_personal_data(login, staff, reported_event, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    victim = reported_event.victim
    login(staff["officer"]).get(reverse("person_detail", args=[victim.pk]))
    login(staff["outsider"]).get(reverse("person_detail", args=[victim.pk]))
    Client().post(reverse("login"), {"username": "officer", "password": "Quatermass 1988-03-14"})

    # An unexpected error while showing the person: Django logs the traceback.
    def explode(*args, **kwargs):
        raise RuntimeError(f"failure near record {victim.pk}")

    monkeypatch.setattr("carepath.people.views.render", explode)
    client = login(staff["officer"])
    client.raise_request_exception = False
    assert client.get(reverse("person_detail", args=[victim.pk])).status_code == 500

    text = caplog.text + "".join(str(getattr(r, "request", "")) for r in caplog.records)
    assert "failure near record" in text  # the error was logged ...
    for value in PERSONAL:
        assert value not in text  # ... without anything that identifies the person


def test_person_repr_carries_no_name(reported_event):
    victim = reported_event.victim
    assert "Quatermass" not in str(victim) and "Quatermass" not in repr(victim)


@pytest.mark.parametrize("model_name", ["person", "event", "referral", "safeaccommodation"])
def test_case_records_are_not_in_the_django_admin(model_name):
    from django.contrib import admin

    assert model_name not in {m._meta.model_name for m in admin.site._registry}


def test_person_changes_keep_history_with_who_made_them(reported_event, staff):
    victim = Person.objects.get(pk=reported_event.victim.pk)
    victim._history_user = staff["officer"]
    victim.family_name = "Quatermass-Hale"
    victim.save()
    latest = victim.history.first()
    assert latest.family_name == "Quatermass-Hale"
    assert latest.history_user == staff["officer"]
    assert victim.history.count() == 2
