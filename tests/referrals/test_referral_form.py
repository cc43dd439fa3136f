"""The professional referral form: nothing answered for the referrer, dates in the past,
every error naming its field, the police reference kept, and as many children as needed."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from carepath.referrals.models import Referral
from tests.referrals.test_triage_pages import form_data, triage_worker  # noqa: F401 (fixture)

NEW = "/referrals/new/"


def post(login, staff, data):
    return login(staff["officer"]).post(reverse("referral_new"), data)


def summary(response) -> list[str]:
    """The error summary's messages, as the user reads them."""
    page = response.content.decode()
    return [
        re.sub(r"<[^>]+>", "", m).replace("&#x27;", "'")
        for m in re.findall(r'<li><a href="#[^"]*">(.*?)</a></li>', page)
    ]


def test_a_date_of_birth_in_the_future_is_refused_naming_the_field(county, front_door, staff, login):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = post(login, staff, form_data(county, yes=3, victim_date_of_birth=tomorrow))
    assert "Date of birth: enter a date in the past" in summary(response)
    assert Referral.objects.count() == 0


def test_an_incident_in_the_future_and_an_impossible_date_are_refused_naming_the_field(
    county, front_door, staff, login
):
    next_week = (timezone.localtime() + timedelta(days=7)).strftime("%d/%m/%Y %H:%M")
    response = post(
        login, staff, form_data(county, yes=3, occurred_at=next_week, perpetrator_date_of_birth="31/02/1980")
    )
    errors = summary(response)
    assert "When it happened: enter a date and time in the past" in errors
    assert "Date of birth of the person causing harm: enter a real date, for example 27/03/1988" in errors
    assert Referral.objects.count() == 0


def test_nothing_is_answered_for_the_referrer(county, front_door, staff, login):
    page = login(staff["officer"]).get(reverse("referral_new")).content.decode()
    for name in (
        "consent",
        "victim_sex",
        "relationship",
        "perpetrator_sex",
        "perpetrator_gender",
        "children-0-present",
    ):
        assert f'name="{name}" type="radio"' in page, name
        assert not re.search(rf'name="{name}" type="radio" value="[^"]*" checked', page), name


def test_questions_left_unanswered_are_errors_naming_the_question(county, front_door, staff, login):
    data = form_data(county, yes=3)
    for name in (
        "consent",
        "victim_sex",
        "relationship",
        "perpetrator_sex",
        "perpetrator_gender",
        "children-0-present",
    ):
        del data[name]
    errors = summary(post(login, staff, data))
    assert "Consent: select whether the victim agreed to this referral" in errors
    assert "Sex: select female, male or not known" in errors
    assert "Relationship to the victim: select how they are related to the victim" in errors
    assert "Sex of the person causing harm: select female, male or not known" in errors
    assert "Gender of the person causing harm: select one, or not known" in errors
    assert "Child 1: Present at or witnessed the abuse: select yes or no" in errors
    assert Referral.objects.count() == 0


def test_the_perpetrators_sex_and_gender_are_as_answered(county, front_door, staff, login):
    post(login, staff, form_data(county, yes=3, perpetrator_sex="female", perpetrator_gender="woman"))
    perpetrator = Referral.objects.get().perpetrator
    assert (perpetrator.sex, perpetrator.gender_identity) == ("female", "woman")


def test_the_police_reference_is_kept_and_shown_to_the_front_door(
    county,
    front_door,
    staff,
    login,
    triage_worker,  # noqa: F811
):
    post(login, staff, form_data(county, yes=3, police_reference="HC-26-0114502"))
    referral = Referral.objects.get()
    assert referral.police_reference == "HC-26-0114502"
    page = login(triage_worker).get(reverse("referral_detail", args=[referral.pk])).content.decode()
    assert "Police reference" in page and "HC-26-0114502" in page


def test_add_another_child_works_without_javascript_and_keeps_what_was_typed(county, front_door, staff, login):
    data = form_data(county, yes=3) | {"children-TOTAL_FORMS": "2", "add_child": "1"}
    response = post(login, staff, data)
    page = response.content.decode()
    assert response.status_code == 200 and Referral.objects.count() == 0
    assert "There is a problem" not in page
    assert 'name="children-2-given_name"' in page and 'name="children-3-given_name"' not in page
    assert 'name="children-0-given_name" type="text" value="Kit"' in page
    assert 'name="victim_given_name" type="text" value="Imogen"' in page

    four = form_data(county, yes=3) | {"children-TOTAL_FORMS": "4"}
    for n, (name, age) in enumerate([("Kit", "4"), ("Ash", "9"), ("Rae", "12"), ("Noor", "15")]):
        four |= {f"children-{n}-given_name": name, f"children-{n}-age": age, f"children-{n}-present": "no"}
    post(login, staff, four)
    assert Referral.objects.get().children.count() == 4


def test_optional_fields_say_so(county, front_door, staff, login):
    page = login(staff["officer"]).get(reverse("referral_new")).content.decode()
    for label in ("Address (optional)", "Postcode (optional)", "Police incident or crime reference (optional)"):
        assert label in page
    assert "First name (optional)" not in page.split("The person causing harm")[0]  # the victim's name is needed
