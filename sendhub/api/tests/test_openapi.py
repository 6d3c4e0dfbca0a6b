import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_declares_every_response_code(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "sendhub API"
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert operations
    for operation in operations:
        codes = set(operation["responses"])
        assert "401" in codes, operation["operationId"]
        if "{child_id}" in str(operation.get("parameters", "")) or "child_id" in operation["operationId"]:
            assert "404" in codes
    put = schema["paths"]["/api/v1/children/{child_id}"]["put"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(put["responses"])
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()
