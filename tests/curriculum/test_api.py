"""The library API, for each role, both ways, by the same rules as the pages; bad input answers 400 or 422
naming the field, and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cairn.curriculum.linkcheck import LinkResult
from cairn.curriculum.models import Content, ContentNotice, Item, Review, SectionContent, Status
from cairn.curriculum.services.content import ContentInput, create_content, submit_for_review
from cairn.curriculum.services.links import record_link_check
from cairn.curriculum.services.review import review_content
from tests.conftest import World, api_client_for, client_for
from tests.curriculum.conftest import GOOD_ANSWERS, Library

pytestmark = pytest.mark.django_db

API = "/api/v1/curriculum"
STAFF = ["teacher", "colleague", "leader", "district_admin", "platform_admin"]
NOT_STAFF = ["student", "guardian"]


def _titles(client: Client, query: str = "") -> set[str]:
    response = client.get(f"{API}/content?limit=100{'&' if query else ''}{query}")
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["items"]}


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{url}", body, content_type="application/json")


# ----------------------------------------------------------------------------------------- search


@pytest.mark.parametrize("viewer", STAFF)
def test_staff_may_search(world: World, library: Library, viewer: str) -> None:
    assert "Fraction strips reading" in _titles(client_for(getattr(world, viewer)))


@pytest.mark.parametrize("viewer", NOT_STAFF)
def test_students_and_guardians_are_refused_everywhere(world: World, library: Library, viewer: str) -> None:
    client = client_for(getattr(world, viewer))
    for url in [
        "/content",
        f"/content/{library.reading.pk}",
        f"/content/{library.draft.pk}",
        f"/competencies/{library.a.pk}",
        "/competencies",
        "/review/queue",
        "/notices",
    ]:
        response = client.get(f"{API}{url}")
        assert response.status_code == 403, url
    assert _post(client, "/content", {"title": "x", "kind": "reading", "body": "<p>x</p>"}).status_code == 403
    assert not Content.objects.filter(title="x").exists()


def test_anonymous_is_refused(db: None) -> None:
    assert Client().get(f"{API}/content").status_code == 401


def test_search_filters_match_the_pages(world: World, library: Library) -> None:
    client = client_for(world.teacher)
    assert _titles(client) == {
        "Fraction strips reading",
        "Video en español",
        "Colleague warm-up",
        "Teacher draft",
        "Teacher own activity",
        "Old worksheet",
    }
    assert _titles(client, "standard=5.NF") == {"Video en español"}
    assert _titles(client, "grade=5&language=es&accessibility=captions") == {"Video en español"}
    assert _titles(client, "accessibility=captions&accessibility=read_aloud") == set()
    assert _titles(client, "kind=reading&max_reading_level=20") == {"Fraction strips reading"}
    assert _titles(client, "status=draft") == {"Teacher draft"}
    assert _titles(client, "mine=true") == {"Teacher draft", "Teacher own activity"}


def test_search_rows_carry_what_a_teacher_filters_by(world: World, library: Library) -> None:
    rows = client_for(world.teacher).get(f"{API}/content?kind=video").json()["items"]
    assert rows == [
        {
            "id": library.video.pk,
            "title": "Video en español",
            "kind": "video",
            "status": "approved",
            "scope": "library",
            "url": "https://example.org/video",
            "grade_low": 5,
            "grade_high": 5,
            "estimated_minutes": None,
            "language": "es",
            "reading_level": None,
            "accessibility": ["captions"],
            "licence": "",
            "cost": "free",
            "source": "",
            "owner": None,
            "district": None,  # the platform library's
            "shared": False,
            "link_status": "unchecked",
            "competencies": ["5.NF.A.1"],
        }
    ]


def test_bad_filters_are_named(world: World, library: Library) -> None:
    response = client_for(world.teacher).get(f"{API}/content?grade=13&kind=podcast&accessibility=smell")
    assert response.status_code == 422
    named = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert {("query", "grade"), ("query", "kind")} <= named
    assert any("accessibility" in loc for loc in named)


# ----------------------------------------------------------------------------------------- content


def test_content_detail_has_alignment_reviews_and_link_health(world: World, library: Library) -> None:
    record_link_check(library.video, LinkResult(True, 200, "https://example.org/video/", "", 12))
    body = client_for(world.leader).get(f"{API}/content/{library.video.pk}").json()
    assert body["link_status"] == "ok"
    assert body["link_checks"][0]["status_code"] == 200
    assert body["link_checks"][0]["final_url"] == "https://example.org/video/"
    assert body["aligned"] == [{"id": library.c.pk, "code": "5.NF.A.1", "statement": "Statement of 5.NF.A.1"}]
    review_content(world.district_admin, library.in_review, "approve", GOOD_ANSWERS, "Good.")
    body = client_for(world.teacher).get(f"{API}/content/{library.in_review.pk}").json()
    assert body["status"] == "approved"
    assert body["reviews"][0]["decision"] == "approve"
    assert body["reviews"][0]["comment"] == "Good."
    assert body["reviews"][0]["answers"]["licence"] == {"rating": "meets", "note": ""}


def test_drafts_and_section_only_content_are_the_authors_alone(world: World, library: Library) -> None:
    assert client_for(world.teacher).get(f"{API}/content/{library.draft.pk}").status_code == 200
    for viewer in ("colleague", "leader", "district_admin"):
        client = client_for(getattr(world, viewer))
        assert client.get(f"{API}/content/{library.draft.pk}").status_code == 404, viewer
        assert client.get(f"{API}/content/{library.own_approved.pk}").status_code == 404, viewer
        assert "Teacher draft" not in _titles(client)
    assert client_for(world.platform_admin).get(f"{API}/content/{library.draft.pk}").status_code == 200


def test_a_teacher_creates_sanitised_content(world: World, library: Library) -> None:
    response = _post(
        client_for(world.teacher),
        "/content",
        {
            "title": "Number line walk",
            "kind": "offline",
            "body": "<p>Walk the line.</p><img src=x onerror=alert(1)><style>p{}</style>",
            "competency_ids": [library.a.pk, library.b.pk],
            "grade_low": 3,
            "grade_high": 4,
            "read_aloud": True,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["scope"] == "sections"
    assert body["owner"] == "Tess Teacher"
    assert "onerror" not in body["body"]
    assert "<style" not in body["body"]
    assert "Walk the line." in body["body"]
    assert sorted(body["competencies"]) == ["4.NF.A.1", "4.NF.B.3"]
    assert body["accessibility"] == ["read_aloud"]


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"title": "No kind", "body": "<p>x</p>"}, 422, "kind"),
        ({"title": "Bad kind", "kind": "podcast", "body": "<p>x</p>"}, 422, "kind"),
        ({"title": "", "kind": "reading", "body": "<p>x</p>"}, 422, "title"),
        ({"title": "Nothing", "kind": "reading"}, 400, "url"),
        ({"title": "Bad url", "kind": "video", "url": "ftp:/nope"}, 400, "url"),
        (
            {"title": "Grades", "kind": "reading", "body": "<p>x</p>", "grade_low": 5, "grade_high": 3},
            400,
            "grade_high",
        ),
        ({"title": "Grade", "kind": "reading", "body": "<p>x</p>", "grade_low": 14}, 422, "grade_low"),
        (
            {"title": "Unknown", "kind": "reading", "body": "<p>x</p>", "competency_ids": [999999]},
            400,
            "competency_ids",
        ),
    ],
)
def test_bad_content_is_refused_naming_the_field_and_writes_nothing(
    world: World, library: Library, body: dict[str, Any], status: int, field: str
) -> None:
    before = Content.objects.count()
    response = _post(client_for(world.teacher), "/content", body)
    assert response.status_code == status
    assert field in str(response.json()["detail"])
    assert Content.objects.count() == before


def test_school_leaders_may_not_author(world: World, library: Library) -> None:
    body = {"title": "x", "kind": "reading", "body": "<p>x</p>"}
    response = _post(client_for(world.leader), "/content", body)
    assert response.status_code == 403
    assert "teachers and administrators" in response.json()["detail"]


def test_submit_and_use_follow_the_rules(world: World, library: Library) -> None:
    colleague = client_for(world.colleague)
    assert _post(colleague, f"/content/{library.draft.pk}/submit", {}).status_code == 404  # can't see it
    assert _post(colleague, f"/content/{library.reading.pk}/submit", {}).status_code == 403  # not theirs
    teacher = client_for(world.teacher)
    used = _post(teacher, f"/content/{library.draft.pk}/use", {}).json()
    assert used["status"] == "approved"
    assert used["scope"] == "sections"
    shared = _post(teacher, f"/content/{library.draft.pk}/submit", {}).json()
    assert shared["status"] == "in_review"
    assert shared["scope"] == "library"
    again = _post(teacher, f"/content/{library.draft.pk}/use", {})
    assert again.status_code == 403  # now library content: only a reviewer approves it


def test_section_choices_through_the_api(world: World, library: Library) -> None:
    teacher = client_for(world.teacher)
    url = f"/content/{library.reading.pk}/sections"
    hidden = _post(teacher, url, {"section_id": world.section.pk, "action": "hide"})
    assert hidden.json() == {"section_id": world.section.pk, "action": "hide", "replacement_id": None}
    other = _post(teacher, url, {"section_id": world.sister_section.pk, "action": "hide"})
    assert other.status_code == 403
    smuggle = _post(
        teacher,
        url,
        {"section_id": world.section.pk, "action": "replace", "replacement_id": library.colleague_own.pk},
    )
    assert smuggle.status_code == 400
    assert "replacement_id" in smuggle.json()["detail"]
    assert SectionContent.objects.get().action == "hide"
    assert _post(teacher, url, {"section_id": world.section.pk, "action": "clear"}).status_code == 204
    assert not SectionContent.objects.exists()


# ----------------------------------------------------------------------------------------- competencies


def test_competency_detail_gives_prerequisites_and_the_graph(world: World, library: Library) -> None:
    body = client_for(world.teacher).get(f"{API}/competencies/{library.b.pk}").json()
    assert body["code"] == "4.NF.B.3"
    assert body["framework"] == "Test standards"
    assert [c["code"] for c in body["prerequisites"]] == ["4.NF.A.1"]
    assert [c["code"] for c in body["unlocks"]] == ["5.NF.A.1"]
    graph = body["graph"]
    roles = {n["code"]: n["role"] for n in graph["nodes"]}
    assert roles == {"4.NF.A.1": "prerequisite", "4.NF.B.3": "current", "5.NF.A.1": "next"}
    pairs = {(e["source"], e["target"]) for e in graph["edges"]}
    assert pairs == {(library.a.pk, library.b.pk), (library.b.pk, library.c.pk)}
    xs = {n["code"]: n["x"] for n in graph["nodes"]}
    assert xs["4.NF.A.1"] < xs["4.NF.B.3"] < xs["5.NF.A.1"]  # left to right in learning order
    assert all(0 <= n["x"] < graph["width"] and 0 <= n["y"] < graph["height"] for n in graph["nodes"])


def test_competency_list_and_missing_competency(world: World, library: Library) -> None:
    client = client_for(world.teacher)
    assert client.get(f"{API}/competencies?q=4.NF").json()["count"] == 2
    assert client.get(f"{API}/competencies/999999").status_code == 404


# ----------------------------------------------------------------------------------------- review


def test_the_review_queue_is_for_reviewers(world: World, library: Library) -> None:
    for viewer in ("teacher", "colleague", "leader"):
        response = client_for(getattr(world, viewer)).get(f"{API}/review/queue")
        assert response.status_code == 403, viewer
    for viewer in ("district_admin", "platform_admin"):
        queue = client_for(getattr(world, viewer)).get(f"{API}/review/queue").json()
        assert [c["title"] for c in queue["content"]] == ["Colleague warm-up"], viewer


def test_vetting_questions_are_published(world: World, library: Library) -> None:
    questions = client_for(world.teacher).get(f"{API}/review/questions").json()
    assert {q["key"] for q in questions} == set(GOOD_ANSWERS)
    assert {q["key"] for q in questions if q["must_meet"]} == {"alignment", "accuracy", "licence"}


def test_a_reviewer_approves_through_the_api(world: World, library: Library) -> None:
    response = _post(
        client_for(world.district_admin),
        f"/content/{library.in_review.pk}/reviews",
        {"decision": "approve", "answers": GOOD_ANSWERS, "comment": "Looks good."},
    )
    assert response.status_code == 201, response.content
    assert response.json()["reviewer"] == world.district_admin.display_name
    library.in_review.refresh_from_db()
    assert library.in_review.status == Status.APPROVED
    notices = client_for(world.colleague).get(f"{API}/notices").json()
    assert len(notices) == 1
    assert "approved for the library" in notices[0]["message"]
    assert _post(client_for(world.colleague), "/notices/read", {}).json() == {"marked": 1}
    assert client_for(world.colleague).get(f"{API}/notices").json() == []


@pytest.mark.parametrize(
    "viewer, body, status, words",
    [
        ("teacher", {"decision": "approve", "answers": GOOD_ANSWERS}, 403, "reviewer role"),
        ("leader", {"decision": "approve", "answers": GOOD_ANSWERS}, 403, "reviewer role"),
        ("district_admin", {"decision": "approve", "answers": {}}, 400, "alignment: not answered"),
        (
            "district_admin",
            {"decision": "approve", "answers": {**GOOD_ANSWERS, "accuracy": {"rating": "partly"}}},
            400,
            "accuracy: must meet the bar",
        ),
        (
            "district_admin",
            {"decision": "approve", "answers": {**GOOD_ANSWERS, "vibes": {"rating": "meets"}}},
            400,
            "vibes",
        ),
        ("district_admin", {"decision": "maybe", "answers": GOOD_ANSWERS}, 422, "decision"),
        (
            "district_admin",
            {"decision": "approve", "answers": {"alignment": {"rating": "great"}}},
            422,
            "rating",
        ),
    ],
)
def test_a_refused_review_writes_nothing(
    world: World, library: Library, viewer: str, body: dict[str, Any], status: int, words: str
) -> None:
    response = _post(client_for(getattr(world, viewer)), f"/content/{library.in_review.pk}/reviews", body)
    assert response.status_code == status
    assert words in str(response.json()["detail"])
    library.in_review.refresh_from_db()
    assert library.in_review.status == Status.IN_REVIEW
    assert not Review.objects.filter(content=library.in_review).exists()
    assert not ContentNotice.objects.exists()


def test_nobody_reviews_their_own(world: World, library: Library) -> None:
    own = create_content(
        world.district_admin, ContentInput(title="Admin's pick", kind="reading", body="<p>x</p>")
    )
    submit_for_review(world.district_admin, own)
    client = client_for(world.district_admin)
    assert own.pk not in [c["id"] for c in client.get(f"{API}/review/queue").json()["content"]]
    response = _post(client, f"/content/{own.pk}/reviews", {"decision": "approve", "answers": GOOD_ANSWERS})
    assert response.status_code == 403
    assert "own" in response.json()["detail"]


def test_what_the_state_no_longer_allows_answers_409_and_changes_nothing(
    world: World, library: Library
) -> None:
    admin = client_for(world.district_admin)
    reviewed = _post(admin, f"/content/{library.reading.pk}/reviews", {"decision": "reject", "answers": {}})
    assert reviewed.status_code == 409
    assert reviewed.json() == {"detail": "Only content in review can be reviewed."}
    library.reading.refresh_from_db()
    assert library.reading.status == Status.APPROVED
    assert not Review.objects.filter(content=library.reading).exists()
    teacher = client_for(world.teacher)
    item = _post(teacher, "/items", {"stem": "Q?", "spec": {"kind": "text", "accepted": ["half"]}}).json()
    assert _post(teacher, f"/items/{item['id']}/submit", {}).status_code == 200
    again = _post(teacher, f"/items/{item['id']}/submit", {})
    assert again.status_code == 409
    assert "Only a draft can be submitted" in again.json()["detail"]


# ----------------------------------------------------------------------------------------- items


def test_a_teacher_writes_a_question_and_a_reviewer_approves_it(world: World, library: Library) -> None:
    teacher = client_for(world.teacher)
    response = _post(
        teacher,
        "/items",
        {
            "stem": "<p>What is 1/2 + 1/4?</p>",
            "spec": {"kind": "numeric", "answer": "3/4", "tolerance": "0"},
            "competency_ids": [library.b.pk],
            "hints": ["Make the denominators the same."],
            "solution": ["1/2 = 2/4", "2/4 + 1/4 = 3/4"],
        },
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["status"] == "draft"
    assert item["competencies"] == ["4.NF.B.3"]
    assert item["kind"] == "numeric"
    assert client_for(world.colleague).get(f"{API}/items/{item['id']}").status_code == 404
    assert _post(teacher, f"/items/{item['id']}/submit", {}).json()["status"] == "in_review"
    assert _post(teacher, f"/items/{item['id']}/review", {"decision": "approve"}).status_code == 403
    admin = client_for(world.district_admin)
    assert [i["id"] for i in admin.get(f"{API}/review/queue").json()["items"]] == [item["id"]]
    assert _post(admin, f"/items/{item['id']}/review", {"decision": "approve"}).json()["status"] == "approved"


@pytest.mark.parametrize(
    "spec, words",
    [
        ({"kind": "choice", "choices": [{"id": "a", "text": "1"}], "correct": "a"}, "choices"),
        (
            {
                "kind": "choice",
                "choices": [{"id": "a", "text": "1"}, {"id": "b", "text": "2"}],
                "correct": "c",
            },
            "correct",
        ),
        ({"kind": "numeric", "answer": "lots"}, "answer"),
        ({"kind": "essay"}, "kind"),
    ],
)
def test_a_bad_question_is_refused_naming_the_field(
    world: World, library: Library, spec: dict[str, Any], words: str
) -> None:
    response = _post(client_for(world.teacher), "/items", {"stem": "Q?", "spec": spec})
    assert response.status_code == 400
    assert "spec" in response.json()["detail"]
    assert words in response.json()["detail"]
    assert not Item.objects.exists()


# ----------------------------------------------------------------------------------------- tokens


def test_a_bearer_token_gets_the_same_answers(world: World, library: Library) -> None:
    client = api_client_for(world.colleague)
    assert client.get(f"{API}/content/{library.draft.pk}").status_code == 404
    assert client.get(f"{API}/content/{library.in_review.pk}").status_code == 200
    assert client.get(f"{API}/review/queue").status_code == 403


def test_openapi_describes_the_library(db: None) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in [
        f"{API}/content",
        f"{API}/content/{{content_id}}",
        f"{API}/content/{{content_id}}/reviews",
        f"{API}/competencies/{{competency_id}}",
        f"{API}/review/queue",
        f"{API}/items",
    ]:
        assert path in paths, path
    assert "post" in paths[f"{API}/content"]
    assert "get" in paths[f"{API}/content"]
