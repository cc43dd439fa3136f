"""The OpenAPI document is at /api/v1/openapi.json (architecture.md "Contracts")."""

from django.test import Client


def test_openapi_document_describes_the_referral_endpoint_with_bearer_auth(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "Carepath API" and "marac_criteria" in doc["info"]["description"]
    operation = doc["paths"]["/api/v1/referrals"]["post"]
    assert set(operation["responses"]) >= {"200", "201", "401", "422"}
    [requirement] = operation["security"]
    [scheme_name] = requirement
    assert doc["components"]["securitySchemes"][scheme_name] == {
        **doc["components"]["securitySchemes"][scheme_name],
        "type": "http",
        "scheme": "bearer",
    }
    body = doc["components"]["schemas"]["ReferralIn"]
    assert set(body["required"]) == {"external_reference", "victim", "consent"}
    assert "decision" in doc["components"]["schemas"]["ReferralOut"]["properties"]


def test_no_interactive_docs_page_loading_from_a_cdn(db):
    assert Client().get("/api/v1/docs").status_code == 404
    assert "cdn" not in Client().get("/api/v1/openapi.json").content.decode().lower()
