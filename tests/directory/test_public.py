"""The public "Find help near you" pages: a search by district and need, each entry's
page; never a stale entry nor a refuge's address; Exit this page, no copy kept, rate
limited, in Welsh too."""

from datetime import date, timedelta

from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from carepath.directory.models import Entry


def test_the_start_page_asks_where_and_what_and_lists_nothing_yet(directory):
    page = Client().get(reverse("public_services"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Find help near you" in text and "Where do you live?" in text and "Exit this page" in text
    assert "Northtown Helpline" not in text
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "same-origin"
    assert '<script src="http' not in text and "https://fonts" not in text


def test_a_search_by_district_and_need_lists_matching_services_with_their_phone(directory):
    page = Client().get(reverse("public_services"), {"district": directory["south"].pk, "needs": "men", "search": "1"})
    text = page.content.decode()
    assert "Southtown Men&#x27;s Line" in text and "County Line" in text
    assert "Northtown Helpline" not in text and "Northtown Refuge" not in text
    assert 'href="tel:01632960001"' in text
    assert "Open 24 hours" in text  # the county line's hours in words


def test_a_stale_entry_is_never_shown_to_the_public(directory):
    stale = directory["stale"]
    listing = Client().get(reverse("public_services"), {"district": directory["north"].pk, "search": "1"})
    assert "Forgotten Line" not in listing.content.decode()
    assert Client().get(reverse("public_service", args=[stale.pk])).status_code == 404
    Entry.objects.filter(pk=stale.pk).update(last_checked_on=date.today() - timedelta(days=1))
    assert Client().get(reverse("public_service", args=[stale.pk])).status_code == 200


def test_a_refuge_shows_its_front_gate_phone_and_no_address(directory):
    refuge = directory["refuge"]
    page = Client().get(reverse("public_service", args=[refuge.pk])).content.decode()
    assert "Northtown Refuge" in page and "01632 960999" in page
    assert "Address" not in page and "address" not in page.split("<main", 1)[1].split("</main>")[0]


def test_a_bad_district_gets_a_clear_error_not_a_failure(directory):
    page = Client().get(reverse("public_services"), {"district": "nowhere", "needs": "aliens", "search": "1"})
    assert page.status_code == 200
    assert "Choose where you live from the list." in page.content.decode()
    assert "Choose what you need from the list." in page.content.decode()


def test_only_posts_are_refused_and_heavy_searching_is_limited(directory):
    client = Client()
    assert client.post(reverse("public_services")).status_code == 405
    with override_settings(RATE_LIMIT_PUBLIC_SEARCH="3/h"):
        codes = [client.get(reverse("public_services")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_welsh_pages_are_in_welsh_with_the_welsh_description(directory):
    Entry.objects.filter(pk=directory["helpline"].pk).update(description_cy="Cymorth i unrhyw un.")
    with translation.override("cy"):
        search = Client(headers={"accept-language": "cy"}).get(reverse("public_services"))
        entry = Client(headers={"accept-language": "cy"}).get(
            reverse("public_service", args=[directory["helpline"].pk])
        )
    assert "Dod o hyd i help yn agos atoch chi" in search.content.decode()
    assert "Cymorth i unrhyw un." in entry.content.decode()
