"""The front door's signposting task links to the directory entries that match the victim's
district and needs."""

from django.urls import reverse

from carepath.core.codes import Role
from carepath.core.services import staff_create
from carepath.referrals.services import referral_create
from tests.conftest import PASSWORD
from tests.directory.conftest import make_entry
from tests.referrals.test_referral_create import police_referral


def test_the_signposting_task_links_to_matching_entries(county, front_door, staff, directory, login):
    make_entry(
        owner=staff["admin"],
        name="Northtown Drop-in",
        who_for=("standard_risk", "women"),
        districts=[directory["north"]],
    )
    make_entry(
        owner=staff["admin"], name="Southtown Drop-in", who_for=("standard_risk",), districts=[directory["south"]]
    )
    referral = referral_create(data=police_referral(county, yes=3)).referral  # standard risk, in Northtown
    assert referral.tasks.filter(action_type="signpost_universal").exists()
    worker = staff_create(username="mash-worker", agency=front_door, role=Role.TRIAGE, password=PASSWORD)
    client = login(worker)
    page = client.get(reverse("referral_detail", args=[referral.pk])).content.decode()
    link = f"{reverse('directory_search')}?district={directory['north'].pk}&amp;who_for=standard_risk"
    assert f'href="{link}"' in page
    assert "services for the victim's district and needs (1)" in page
    found = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Northtown Drop-in" in found and "Southtown Drop-in" not in found and "Northtown Helpline" not in found
