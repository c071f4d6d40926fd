from __future__ import annotations

from django.test import Client


def test_healthz_answers_once_the_database_does(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}  # no vendor, no version: nothing for a stranger to aim at


def test_openapi_document_describes_the_people_endpoints(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/me",
        "/api/v1/students",
        "/api/v1/students/{student_id}",
        "/api/v1/sections",
        "/api/v1/sections/{section_id}",
        "/api/v1/schools",
    ]:
        assert path in paths, path
    schemes = response.json()["components"]["securitySchemes"]
    assert {"SessionAuth", "ApiTokenAuth"} <= set(schemes)


def test_api_schema_names_are_unique() -> None:
    """Django Ninja keeps only one schema per name in the OpenAPI document, silently: two apps' `QuestionOut`
    would describe one of them wrongly. Every schema of the API must have a name of its own."""
    from ninja import Schema

    import cairn.project.api  # noqa: F401  (imports every router, hence every schema)

    seen: dict[str, str] = {}

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("cairn."):
                where = f"{sub.__module__}.{sub.__qualname__}"
                assert sub.__name__ not in seen or seen[sub.__name__] == where, (
                    f"{sub.__name__} is defined in both {seen.get(sub.__name__)} and {where}"
                )
                seen[sub.__name__] = where
            walk(sub)

    walk(Schema)
    assert len(seen) > 20
