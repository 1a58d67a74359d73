"""The OpenAPI document at /api/schema/ and its docs page at /api/docs/."""

import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    client = APIClient()
    client.force_authenticate(officer())
    return client


def test_the_schema_generates_and_validates_without_errors_or_warnings(tmp_path):
    GENERATOR_STATS.reset()
    out, err = StringIO(), StringIO()

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"), stdout=out, stderr=err
    )

    assert "Warning" not in err.getvalue()
    assert "Error" not in err.getvalue()
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3.0.3")


def test_the_schema_is_served_to_a_signed_in_user(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    # Each app's own tests check its addresses; these are the case's own, and everything is under /api/v1/.
    assert {
        "/api/v1/cases/",
        "/api/v1/cases/{reference}/",
        "/api/v1/cases/{reference}/assignment/",
        "/api/v1/cases/{reference}/notes/",
        "/api/v1/cases/{reference}/timeline/",
        "/api/v1/cases/{reference}/transitions/",
        *(f"/api/v1/cases/{{reference}}/{action}/" for action in CLOCK_ACTIONS),
        "/api/v1/cases/{reference}/grading/",
        "/api/v1/cases/{reference}/issues/",
        "/api/v1/cases/{reference}/issues/{issue_id}/",
        "/api/v1/cases/{reference}/issues/{issue_id}/outcome/",
        "/api/v1/reference/",
        *(f"/api/v1/reference/{name}/" for name in REFERENCE_LISTS),
        "/api/v1/reference/taxonomies/{kind}/{year}/codes/",
    } <= set(schema["paths"])
    assert all(address.startswith("/api/v1/") for address in schema["paths"])


REFERENCE_LISTS = [
    "taxonomies",
    "local-subjects",
    "grading-scheme",
    "divisions",
    "sites",
    "services",
    "hold-reasons",
    "communication-needs",
]


CLOCK_ACTIONS = ["acknowledgement", "response-date", "hold", "hold/release", "time-limit-decision", "delay-letter"]


@pytest.mark.parametrize("action", CLOCK_ACTIONS)
def test_each_clock_endpoint_documents_its_body_its_answer_and_every_refusal(client, action):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    operation = schema["paths"][f"/api/v1/cases/{{reference}}/{action}/"]["post"]
    assert operation["requestBody"]["required"] is True
    assert set(operation["responses"]) == {"200", "400", "403", "404", "409"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CaseDetail"
    }
    assert all(operation["responses"][code]["description"] for code in ("400", "403", "404", "409"))


def test_the_schema_describes_the_clocks_on_a_case_and_the_due_filters(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    detail = schema["components"]["schemas"]["CaseDetail"]["properties"]
    assert detail["clocks"]["items"] == {"$ref": "#/components/schemas/Clock"}
    assert schema["components"]["schemas"]["ClockStateEnum"]["enum"] == [
        "on_track",
        "due_soon",
        "due_today",
        "overdue",
        "on_hold",
        "met",
        "met_late",
        "stopped",
    ]
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert parameters["due"]["enum"] == ["overdue", "soon", "today"]
    assert parameters["due_within"] == {"type": "integer", "minimum": 1, "maximum": 60}
    assert parameters["on_hold"] == {"type": "boolean"}


CODING_WRITES = [
    ("/api/v1/cases/{reference}/grading/", "post", "201"),
    ("/api/v1/cases/{reference}/issues/", "post", "201"),
    ("/api/v1/cases/{reference}/issues/{issue_id}/", "patch", "200"),
    ("/api/v1/cases/{reference}/issues/{issue_id}/", "delete", "200"),
    ("/api/v1/cases/{reference}/issues/{issue_id}/outcome/", "post", "200"),
]


@pytest.mark.parametrize(("address", "method", "success"), CODING_WRITES)
def test_each_grading_and_coding_write_answers_the_case_and_documents_every_refusal(client, address, method, success):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    operation = schema["paths"][address][method]
    assert set(operation["responses"]) == {success, "400", "403", "404", "409"}
    assert operation["responses"][success]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CaseDetail"
    }
    assert all(operation["responses"][code]["description"] for code in ("400", "403", "404", "409"))


def test_the_schema_describes_grading_and_coding_on_a_case(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    components = schema["components"]["schemas"]

    detail = components["CaseDetail"]["properties"]
    assert detail["issues"]["items"] == {"$ref": "#/components/schemas/Issue"}
    assert detail["closing_gaps"] == {
        "type": "array",
        "items": {"type": "string"},
        "readOnly": True,
        "description": detail["closing_gaps"]["description"],
    }
    assert detail["grade"]["allOf"] == [{"$ref": "#/components/schemas/CaseGrade"}]
    assert components["Case"]["properties"]["grade"]["allOf"] == [{"$ref": "#/components/schemas/GradeSummary"}]
    assert components["OutcomeEnum"]["enum"] == ["upheld", "partially_upheld", "not_upheld", "not_investigated"]
    assert set(components["IssueInRequest"]["properties"]) == {
        "description",
        "subject",
        "local_subject",
        "clinical_subcategory",
        "service_area",
        "professions",
        "hcat_category",
        "hcat_severity",
        "hcat_harm",
        "outcome",
        "not_investigated_reason",
        "version",
    }
    codes = schema["paths"]["/api/v1/reference/taxonomies/{kind}/{year}/codes/"]["get"]
    assert {p["name"] for p in codes["parameters"]} == {"kind", "year", "include_disabled", "page", "page_size"}


def test_the_schema_is_yaml_by_default(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "PALS Desk API"


def test_the_schema_describes_the_token_header(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    assert {"apiToken": []} in schema["paths"]["/api/v1/cases/"]["get"]["security"]


def _uploads_a_file(body: dict, components: dict) -> bool:
    schema = body["content"]["multipart/form-data"]["schema"]
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return any(
        prop.get("format") == "binary" or prop.get("items", {}).get("format") == "binary"
        for prop in schema.get("properties", {}).values()
    )


def test_the_schema_documents_requests_as_json_and_only_uploads_as_multipart(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    components = schema["components"]["schemas"]

    for address, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            content = set(operation["requestBody"]["content"])
            if "multipart/form-data" in content:
                assert _uploads_a_file(operation["requestBody"], components), (address, method)
                assert content <= {"multipart/form-data", "application/json"}, (address, method)
            else:
                assert content == {"application/json"}, (address, method)


def test_the_schema_lists_each_status_filter_value_once(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)

    parameters = schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    statuses = next(p for p in parameters if p["name"] == "status")["schema"]["enum"]
    assert len(statuses) == len(set(statuses))
    assert "open" in statuses


def test_the_docs_page_renders(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert b"/api/schema/" in script.content
