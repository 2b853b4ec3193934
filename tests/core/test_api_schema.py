"""/api/v1/schema/ serves the OpenAPI 3 document (YAML, or JSON with ?format=json) that describes the key
authentication, the rate limit, the pagination and the errors; /api/v1/docs/ renders it with Redoc from
static files served here, never from a CDN."""

import json
import re
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

SCHEMA = reverse("api:schema")


@pytest.fixture
def document(client):
    response = client.get(SCHEMA, {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_openapi_3_in_yaml_by_default(client):
    response = client.get(SCHEMA)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    loaded = yaml.safe_load(response.content)
    assert loaded["openapi"].startswith("3.")
    assert loaded["info"]["title"] == "Kuzet partner API"


def test_the_schema_is_json_with_format_json(client):
    response = client.get(SCHEMA, {"format": "json"})

    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(response.content)["openapi"].startswith("3.")


def test_the_bearer_key_scheme_is_described_and_required(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http"
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert "Authorization: Bearer <key>" in schemes["bearerAuth"]["description"]
    operations = [op for item in document["paths"].values() for op in item.values() if "responses" in op]
    assert operations
    assert all({"bearerAuth": []} in op["security"] for op in operations)


def test_the_description_gives_the_rate_limit_and_the_pagination(document, settings):
    description = document["info"]["description"]
    assert f"{settings.API_THROTTLE_RATE} per key" in description
    assert "429" in description and "Retry-After" in description
    assert "cursor-paginated" in description


def test_the_documented_rate_follows_the_setting(client, settings):
    settings.API_THROTTLE_RATE = "120/minute"
    description = client.get(SCHEMA, {"format": "json"}).json()["info"]["description"]
    assert "120/minute per key" in description


def test_every_operation_documents_401_and_429(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert {"401", "429"} <= responses.keys(), f"{method.upper()} {path}"
            assert "Retry-After" in responses["429"]["headers"]
            if "{" in path:
                assert "404" in responses, f"{method.upper()} {path}"


def test_every_list_documents_its_cursor(document):
    lists = {
        path: item["get"] for path, item in document["paths"].items() if "{" not in path and "get" in item
    }
    assert lists
    for path, operation in lists.items():
        assert "cursor" in {p["name"] for p in operation.get("parameters", [])}, path


@pytest.mark.parametrize("page", ["api:docs", "api:swagger"])
def test_the_docs_load_their_scripts_from_our_static_files_only(page, client):
    response = client.get(reverse(page))

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.startswith("/static/drf_spectacular_sidecar/") and s.endswith(".js") for s in sources)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert "googleapis" not in html and "cdn" not in html.lower()


def test_the_schema_validates_without_warnings():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("openapi: 3")
