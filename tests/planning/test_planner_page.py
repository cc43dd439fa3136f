"""The Planner page (issue 5): who may use it, the Hertfordshire 2014 plan it shows by
default, assumptions changed in the address, the partnership's configured caseloads, two
scenarios side by side, the charts beside their tables, and uploading new inputs."""

import re
import zipfile
from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from carepath.configuration.services import partnership_settings_update
from carepath.core.models import AccessLog, Role
from carepath.core.services import staff_create
from carepath.planning.charts import plan_charts
from carepath.planning.inputs import assumptions_replace, inputs_load, inputs_write_workbook
from carepath.planning.models import PlanningInputs
from carepath.planning.plan import plan_compute
from carepath.planning.selectors import CONFIGURED_SOURCE, plan_with_assumptions, planner_starting_assumptions
from tests.conftest import PASSWORD

PLANNER = reverse("planner")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def commissioner(county):
    return staff_create(
        username="commissioner", agency=county["agencies"]["partnership"], role=Role.COMMISSIONER, password=PASSWORD
    )


def page(client, query: str = "") -> str:
    response = client.get(PLANNER + query)
    assert response.status_code == 200
    return response.content.decode()


def cell(html: str, element_id: str) -> str:
    """The text of the element with this id, tags stripped."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:td|dd|strong|p)>', html, re.S)
    assert match, element_id
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def workbook_upload(inputs, filename: str = "herts-2026.xlsx") -> SimpleUploadedFile:
    out = BytesIO()
    inputs_write_workbook(inputs, out)
    return SimpleUploadedFile(filename, out.getvalue(), content_type=XLSX)


def test_a_commissioner_sees_the_hertfordshire_2014_plan(login, commissioner):
    html = page(login(commissioner))
    assert "Hertfordshire 2014" in html
    assert cell(html, "idvas-total") == "27.0"
    assert "15.0 for high-risk and 12.0 for medium-risk victims" in html
    assert [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(
            r'<td class="govuk-table__cell govuk-table__cell--numeric">(.*?)</td>',
            html.split('id="capacity-table"')[1].split("</table>")[0],
        )
    ][:1] == ["8.0"]
    assert cell(html, "costs-total") == "£1,364,400"
    assert "£50,500 per IDVA, £680 per visible victim" in html
    assert cell(html, "funding-total") == "£1,643,254" and "£1.64m" in html
    assert "£120 per police incident" in html
    assert "84 of the 112 the benchmark calls for (75%)" in html
    for funder, thousands in [
        ("Accommodation Solutions", "813"),
        ("PCC or Herts County Constabulary", "300"),
        ("NHS (CCG)", "40"),
        ("Ministry of Justice", "30"),
    ]:
        assert re.search(rf"{re.escape(funder)}</th>\s*<td[^>]*>{thousands}</td>", html), funder
    assert "£2,440,000 (£2.4m): £175 per police incident, £1,200 per service user" in html
    plan = plan_compute(inputs_load())
    checked = plan["reconciliation"]
    assert f"Checked against the review: <strong>{checked['matching']} of {checked['checked']} figures match" in html
    assert f'href="{PLANNER}"' in html  # in the navigation


def test_an_administrator_may_use_the_planner(login, staff):
    assert cell(page(login(staff["admin"])), "idvas-total") == "27.0"


@pytest.mark.parametrize("who", ["officer", "police_supervisor", "idva", "outsider", "outsider_supervisor"])
def test_other_roles_are_refused_every_planner_view(login, staff, who):
    client = login(staff[who])
    for name in ("planner", "planner_excel", "planner_pdf", "planner_inputs_download", "planner_inputs_upload"):
        assert client.get(reverse(name)).status_code == 403, name
    refused = client.post(reverse("planner_inputs_upload"), {"workbook": workbook_upload(inputs_load())})
    assert refused.status_code == 403
    assert not PlanningInputs.objects.exists()
    assert f'href="{PLANNER}"' not in client.get(reverse("home")).content.decode()


def test_a_data_protection_officer_is_refused(login, county):
    dpo = staff_create(
        username="dpo", agency=county["agencies"]["partnership"], role=Role.DATA_PROTECTION_OFFICER, password=PASSWORD
    )
    assert login(dpo).get(PLANNER).status_code == 403


@pytest.mark.parametrize(
    "name", ["planner", "planner_excel", "planner_pdf", "planner_inputs_download", "planner_inputs_upload"]
)
def test_signed_out_visitors_go_to_the_login_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_planner_reads_no_personal_records(login, commissioner):
    page(login(commissioner))
    assert not AccessLog.objects.exists()


def test_every_assumption_is_on_the_form_with_its_source(login, commissioner):
    html = page(login(commissioner))
    for name, assumption in plan_compute(inputs_load())["assumptions"].items():
        assert f'name="{name}"' in html, name
        assert escape(assumption["label"]) in html
        assert escape(assumption["source"]) in html
    assert 'id="id_high_medium_share" name="high_medium_share" type="text" value="26"' in html  # as a percentage
    assert "From the partnership's configuration." in html


def test_changing_the_medium_risk_caseload_recomputes_the_plan(login, commissioner):
    html = page(login(commissioner), "?idva_caseload_medium=60")
    # 1,000 medium-risk victims / 60 = 16.7 -> 17 IDVAs; with 15 for high risk, 32.
    assert cell(html, "idvas-total") == "32.0"
    assert 'name="idva_caseload_medium" type="text" value="60"' in html
    assert "idva_caseload_medium=60" in re.search(r'href="(/planning/plan\.xlsx[^"]*)"', html).group(1)
    assert "idva_caseload_medium=60" in re.search(r'href="(/planning/plan\.pdf[^"]*)"', html).group(1)


def test_shares_are_typed_as_percentages(login, commissioner):
    # 40% of the high- and medium-risk victims at high risk is the review's; 50% gives 2,300 of 4,600.
    html = page(login(commissioner), "?high_share=50")
    assert re.search(r"High</th>\s*<td[^>]*>2,300</td>", html)


def test_the_plan_starts_from_the_partnerships_configured_caseloads(login, staff, commissioner):
    partnership_settings_update(
        user=staff["admin"], values={"idva_caseload_medium": "100"}, reason="Board decision, medium-risk caseload"
    )
    html = page(login(commissioner))
    assert 'name="idva_caseload_medium" type="text" value="100"' in html
    assert cell(html, "idvas-total") == "25.0"  # 15 + 1,000 / 100


def test_a_configured_caseload_is_cited_as_the_partnerships_and_a_typed_one_as_changed(staff):
    partnership_settings_update(
        user=staff["admin"], values={"idva_caseload_medium": "100"}, reason="Board decision, medium-risk caseload"
    )
    inputs = inputs_load()
    _, plan = plan_with_assumptions(inputs, planner_starting_assumptions(inputs))
    assert plan["assumptions"]["idva_caseload_medium"]["source"] == CONFIGURED_SOURCE
    assert "Hertfordshire domestic abuse review (2014)" in plan["assumptions"]["idva_caseload_high"]["source"]

    _, plan = plan_with_assumptions(inputs, {**planner_starting_assumptions(inputs), "idva_caseload_medium": "60"})
    assert plan["assumptions"]["idva_caseload_medium"]["source"] == "Changed from 100 in the planner"


def test_bad_assumptions_are_listed_and_no_plan_is_shown(login, commissioner):
    html = page(login(commissioner), "?idva_caseload_high=0&high_share=150&visible_high=lots&funding_as_at=soon")
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert "High-risk victims a year per full-time IDVA must be 1 or more" in summary
    assert "Share of high- and medium-risk victims at high risk must be 100% or less" in summary
    assert "Enter high-risk victims visible and near help-seeking as a number" in summary
    assert "as a date, for example 2014-12-01" in summary
    assert 'href="#id_idva_caseload_high"' in summary
    assert 'id="id_visible_high-error"' in html and 'value="lots"' in html
    assert "<title>Error: Planner" in html
    assert 'id="planner-results"' not in html


def test_a_download_with_bad_assumptions_goes_back_to_the_page(login, commissioner):
    client = login(commissioner)
    for name in ("planner_excel", "planner_pdf"):
        response = client.get(reverse(name) + "?idva_caseload_high=0")
        assert response.status_code == 302 and response.url == PLANNER + "?idva_caseload_high=0"


def test_htmx_gets_only_the_planner_region(login, commissioner):
    response = login(commissioner).get(PLANNER + "?idva_caseload_medium=60", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="planner-region">')
    assert "<html" not in html and "govuk-service-navigation" not in html
    assert cell(html, "idvas-total") == "32.0"
    assert 'id="planner-status" hx-swap-oob="innerHTML">Plan recalculated: 32.0 IDVAs needed' in html
    assert "HX-Request" in response["Vary"]


def test_the_page_loads_htmx_from_this_server(login, commissioner):
    html = page(login(commissioner))
    assert re.search(r'<script src="/static/django_htmx/htmx[^"]*\.js"', html)
    assert 'hx-get="/planning/"' in html and 'method="get" action="/planning/"' in html


def test_two_scenarios_side_by_side(login, commissioner):
    html = page(login(commissioner))
    table = html.split('id="comparison-table"')[1].split("</table>")[0]
    assert "CAADA recommendations (Table 10) and High-risk IDVA service only side by side" in html
    assert "£2,440,000" in table and "£1,940,000" in table and "−£500,000" in table
    differing = [row for row in table.split("<tr")[1:] if "carepath-differs" in row]
    assert differing and all("Differs" in row for row in differing)  # marked in words, not only colour
    assert "Not in this scenario" in table
    assert "£175" in table and "£139" in table


def test_the_same_scenario_twice_differs_nowhere(login, commissioner):
    name = "CAADA recommendations (Table 10)"
    html = page(login(commissioner), f"?scenario_a={name}&scenario_b={name}")
    table = html.split('id="comparison-table"')[1].split("</table>")[0]
    assert "carepath-differs" not in table and "Differs<" not in table


def test_charts_sit_beside_their_tables_with_a_text_alternative(login, commissioner):
    html = page(login(commissioner))
    for key, table in (
        ("capacity-chart", "capacity-table"),
        ("funders-chart", "funders-table"),
        ("services-chart", "services-table"),
    ):
        svg_at = html.index(f'aria-labelledby="{key}-title {key}-desc"')
        assert svg_at < html.index(f'id="{table}"')
        assert f'<desc id="{key}-desc">' in html
    assert "Central: 8.0 needed, 3.3 funded" in html


def test_charts_are_the_same_svg_every_time_and_fetch_nothing():
    plan = plan_compute(inputs_load())
    first, second = plan_charts(plan), plan_charts(plan)
    for key, chart in first.items():
        assert chart.svg == second[key].svg
        assert chart.svg.startswith("<svg") and "<!DOCTYPE" not in chart.svg
        assert not re.search(r'(href|src)="(?!#)', chart.svg), "a link out of the SVG"
        assert "url(http" not in chart.svg and "@import" not in chart.svg
    ids = re.findall(r'\bid="([^"]+)"', "".join(c.svg for c in first.values()))
    assert len(ids) == len(set(ids)), "charts on one page share an id"


def test_an_uploaded_workbook_becomes_the_partnerships_inputs(login, commissioner):
    client = login(commissioner)
    changed = assumptions_replace(inputs_load(), {"visible_high": 1300})
    response = client.post(
        reverse("planner_inputs_upload"), {"workbook": workbook_upload(changed), "name": "Hertfordshire 2026 draft"}
    )
    assert response.status_code == 302 and response.url == PLANNER
    stored = PlanningInputs.objects.get()
    assert (stored.name, stored.filename, stored.uploaded_by) == (
        "Hertfordshire 2026 draft",
        "herts-2026.xlsx",
        commissioner,
    )
    assert stored.history.get().history_user == commissioner
    html = page(client)
    assert "The planner now uses the inputs ‘Hertfordshire 2026 draft’." in html
    assert "Hertfordshire 2026 draft</strong>, uploaded by commissioner" in html
    assert cell(html, "idvas-total") == "32.0"  # 1,300 / 65 = 20, plus 12


def test_the_newest_upload_is_used(login, commissioner):
    client = login(commissioner)
    for visible_high, filename in ((1300, "first.xlsx"), (650, "second.xlsx")):
        inputs = assumptions_replace(inputs_load(), {"visible_high": visible_high})
        client.post(reverse("planner_inputs_upload"), {"workbook": workbook_upload(inputs, filename)})
    html = page(client)
    assert "second</strong>" in html
    assert cell(html, "idvas-total") == "22.0"  # 650 / 65 = 10, plus 12
    upload_page = client.get(reverse("planner_inputs_upload")).content.decode()
    assert upload_page.index("second.xlsx") < upload_page.index("first.xlsx")
    PlanningInputs.objects.get(filename="second.xlsx").delete()  # a wrong upload, deleted in the admin
    assert cell(page(client), "idvas-total") == "32.0"


def test_a_workbook_with_problems_is_refused_whole_and_every_problem_listed(login, commissioner):
    inputs = inputs_load()
    bad_funding = replace(inputs.funding[5], amount=Decimal(-5000))
    inputs = replace(inputs, funding=inputs.funding[:5] + (bad_funding,) + inputs.funding[6:])
    out = BytesIO()
    inputs_write_workbook(inputs, out)
    book = openpyxl.load_workbook(BytesIO(out.getvalue()))
    book["areas"]["B2"] = "lots"
    out = BytesIO()
    book.save(out)
    response = login(commissioner).post(
        reverse("planner_inputs_upload"),
        {"workbook": SimpleUploadedFile("draft.xlsx", out.getvalue(), content_type=XLSX)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert "draft.xlsx: funding sheet, row 7, amount: must not be negative (got -5,000)" in summary
    assert "draft.xlsx: areas sheet, row 2, population: must be a number (got &#x27;lots&#x27;)" in summary
    assert "nothing was stored" in html
    assert not PlanningInputs.objects.exists()


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("inputs.csv", b"name,value\n", "The selected file must be an Excel workbook (.xlsx)"),
        ("inputs.xlsx", b"not a workbook", "The selected file is not an Excel workbook that can be opened (.xlsx)"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(login, commissioner, filename, content, message):
    response = login(commissioner).post(
        reverse("planner_inputs_upload"), {"workbook": SimpleUploadedFile(filename, content)}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not PlanningInputs.objects.exists()


def test_a_workbook_that_would_unpack_to_too_much_is_refused(login, commissioner, settings):
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (101 * 1024 * 1024))
    response = login(commissioner).post(
        reverse("planner_inputs_upload"), {"workbook": SimpleUploadedFile("huge.xlsx", out.getvalue())}
    )
    assert "The selected workbook holds more than 100 MB of data" in response.content.decode()
    assert not PlanningInputs.objects.exists()


def test_stored_inputs_that_no_longer_read_are_listed_and_a_new_upload_offered(login, commissioner):
    PlanningInputs.objects.create(
        name="Broken", filename="broken.xlsx", workbook=b"PK not really", uploaded_by=commissioner
    )
    client = login(commissioner)
    html = page(client)
    assert "The stored inputs no longer read" in html
    assert "broken.xlsx: cannot be read as an Excel workbook (.xlsx)" in html
    assert 'id="id_workbook"' in html and 'id="planner-results"' not in html
    for name in ("planner_excel", "planner_pdf", "planner_inputs_download"):
        assert client.get(reverse(name)).url.startswith(PLANNER), name


def test_uploading_without_a_file_asks_for_one(login, commissioner):
    response = login(commissioner).post(reverse("planner_inputs_upload"), {"name": "x"})
    assert "Select an inputs workbook (.xlsx)" in response.content.decode()


def test_the_checked_figures_are_named_in_words_not_by_their_json_keys(login, commissioner):
    """A commissioner reads "Needs: county, IDVAs total", not the plan's JSON path."""
    html = page(login(commissioner))
    assert "Needs: county, IDVAs total" in html and "Needs: East, IDVAs high" in html
    assert "needs.county.idvas_total" not in html and "needs.areas[" not in html
