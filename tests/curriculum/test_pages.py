"""The library pages, for each role, both ways: who may search, see, add, choose for a section and review;
what a student can never reach; bad input refused with a clear message and nothing written."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from cairn.accounts.models import User
from cairn.core.errors import Invalid
from cairn.curriculum import access
from cairn.curriculum.linkcheck import LinkResult
from cairn.curriculum.models import (
    Content,
    ContentNotice,
    Item,
    ItemReview,
    Review,
    Scope,
    SectionContent,
    Status,
)
from cairn.curriculum.services.content import (
    ContentInput,
    create_content,
    submit_for_review,
    upsert_library_content,
)
from cairn.curriculum.services.imports import import_item_templates
from cairn.curriculum.services.links import record_link_check
from cairn.curriculum.services.review import review_content
from cairn.curriculum.services.sections import choose_for_section
from tests.conftest import World, client_for
from tests.curriculum.conftest import GOOD_ANSWERS, Library

pytestmark = pytest.mark.django_db

STAFF = ["teacher", "colleague", "leader", "district_admin", "platform_admin"]
NOT_STAFF = ["student", "guardian"]
REVIEWERS = ["district_admin", "platform_admin"]
NOT_REVIEWERS = ["teacher", "colleague", "leader", "student", "guardian"]


def _titles(response: object) -> set[str]:
    page = response.context["page"]  # type: ignore[attr-defined]
    return {c.title for c in page.object_list}


def _review_post(decision: str, answers: dict[str, dict[str, str]], comment: str = "") -> dict[str, str]:
    data = {"decision": decision, "comment": comment}
    for key, answer in answers.items():
        data[f"{key}_rating"] = answer["rating"]
        data[f"{key}_note"] = answer.get("note", "")
    return data


# ----------------------------------------------------------------------------------------- who may search


@pytest.mark.parametrize("viewer", STAFF)
def test_staff_may_search_the_library(world: World, library: Library, viewer: str) -> None:
    response = client_for(getattr(world, viewer)).get("/curriculum/")
    assert response.status_code == 200
    assert "Fraction strips reading" in _titles(response)


@pytest.mark.parametrize("viewer", NOT_STAFF)
def test_students_and_guardians_never_reach_the_library(world: World, library: Library, viewer: str) -> None:
    client = client_for(getattr(world, viewer))
    for url in [
        "/curriculum/",
        f"/curriculum/content/{library.reading.pk}/",
        f"/curriculum/content/{library.draft.pk}/",
        f"/curriculum/competencies/{library.a.pk}/",
        "/curriculum/competencies/",
        "/curriculum/content/new/",
        "/curriculum/items/new/",
        "/curriculum/review/",
    ]:
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(db: None) -> None:
    response = Client().get("/curriculum/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_each_filter_narrows_the_results(world: World, library: Library) -> None:
    client = client_for(world.teacher)
    everything = _titles(client.get("/curriculum/"))
    # The teacher sees library content that entered vetting and their own, never a colleague's draft or
    # a colleague's section-only content.
    assert everything == {
        "Fraction strips reading",
        "Video en español",
        "Colleague warm-up",
        "Teacher draft",
        "Teacher own activity",
        "Old worksheet",
    }
    cases = {
        "standard=4.NF": {
            "Fraction strips reading",
            "Colleague warm-up",
            "Teacher draft",
            "Teacher own activity",
            "Old worksheet",
        },
        "standard=5.NF.A.1": {"Video en español"},
        "grade=5": {"Video en español"},
        "kind=video": {"Video en español"},
        "max_reading_level=20": {
            "Fraction strips reading",
            "Colleague warm-up",
            "Teacher draft",
            "Teacher own activity",
        },
        "language=es": {"Video en español"},
        "accessibility=captions": {"Video en español"},
        "accessibility=read_aloud&kind=reading": {"Fraction strips reading"},
        "status=in_review": {"Colleague warm-up"},
        "status=draft": {"Teacher draft"},
        "q=pizza": {"Fraction strips reading", "Colleague warm-up", "Teacher draft", "Teacher own activity"},
        "q=espa": {"Video en español"},
        "mine=on": {"Teacher draft", "Teacher own activity"},
        "link_status=unchecked": {"Video en español"},
    }
    for query, expected in cases.items():
        assert _titles(client.get(f"/curriculum/?{query}")) == expected, query


def test_results_show_reading_level_and_status(world: World, library: Library) -> None:
    html = client_for(world.teacher).get("/curriculum/?kind=reading").content.decode()
    assert "Fraction strips reading" in html
    assert "Approved" in html
    assert re.search(r"<td>\d+\.\d</td>", html), "the reading level is shown"


def test_bad_filters_are_named_and_show_no_results(world: World, library: Library) -> None:
    response = client_for(world.teacher).get("/curriculum/?grade=13&kind=podcast&max_reading_level=abc")
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"grade", "kind", "max_reading_level"}
    assert response.context["page"] is None
    assert "Some filters are not valid" in response.content.decode()


# ----------------------------------------------------------------------------------------- content pages


def test_content_page_shows_alignment_link_health_and_reviews(world: World, library: Library) -> None:
    for _ in range(2):  # a first failure is only "suspect"; the second makes it broken
        record_link_check(library.video, LinkResult(False, 404, "https://example.org/video", "HTTP 404", 8))
    html = client_for(world.teacher).get(f"/curriculum/content/{library.video.pk}/").content.decode()
    assert "5.NF.A.1" in html
    assert "Link broken" in html
    assert "Broken" in html
    assert "HTTP 404" not in html  # teachers see reachable or broken, never what the server answered
    reviewer = world.district_admin
    review_content(reviewer, library.in_review, "approve", GOOD_ANSWERS, "Clear and accurate.")
    html = client_for(world.teacher).get(f"/curriculum/content/{library.in_review.pk}/").content.decode()
    assert "Clear and accurate." in html
    assert reviewer.display_name in html
    assert "Is it aligned to the standards it claims?" in html


def test_a_colleagues_draft_and_section_only_content_answer_404(world: World, library: Library) -> None:
    client = client_for(world.colleague)
    assert client.get(f"/curriculum/content/{library.draft.pk}/").status_code == 404
    assert client.get(f"/curriculum/content/{library.own_approved.pk}/").status_code == 404
    assert client_for(world.teacher).get(f"/curriculum/content/{library.draft.pk}/").status_code == 200
    assert client_for(world.platform_admin).get(f"/curriculum/content/{library.draft.pk}/").status_code == 200


def test_teacher_adds_content_sanitised_as_a_draft_for_their_sections(world: World, library: Library) -> None:
    client = client_for(world.teacher)
    response = client.post(
        "/curriculum/content/new/",
        {
            "title": "Pizza fractions",
            "kind": "offline",
            "body": '<p onclick="steal()">Cut the pizza.<script>alert(1)</script></p>'
            '<a href="javascript:x">y</a>',
            "competencies": [library.a.pk],
            "grade_low": "4",
            "grade_high": "4",
            "language": "en",
            "cost": "free",
        },
    )
    content = Content.objects.get(title="Pizza fractions")
    assert response.status_code == 302
    assert response["Location"] == f"/curriculum/content/{content.pk}/"
    assert "script" not in content.body
    assert "onclick" not in content.body
    assert "javascript" not in content.body
    assert "Cut the pizza." in content.body
    assert (content.status, content.scope, content.owner) == (Status.DRAFT, Scope.SECTIONS, world.teacher)
    assert list(content.competencies.all()) == [library.a]
    # A draft reaches no student until its author approves it for their sections.
    assert not access.content_for_student(world.student).filter(pk=content.pk).exists()
    client.post(f"/curriculum/content/{content.pk}/use/")
    assert access.content_for_student(world.student).filter(pk=content.pk).exists()
    assert not access.content_for_student(world.schoolmate).filter(pk=content.pk).exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"title": "", "kind": "offline", "body": "<p>x</p>"}, "title"),
        ({"title": "No text", "kind": "offline", "body": ""}, "__all__"),
        ({"title": "Bad kind", "kind": "podcast", "body": "<p>x</p>"}, "kind"),
        ({"title": "Bad link", "kind": "video", "url": "not a link"}, "url"),
        (
            {"title": "Grades", "kind": "offline", "body": "<p>x</p>", "grade_low": "5", "grade_high": "3"},
            "grade_high",
        ),
    ],
)
def test_bad_content_is_refused_naming_the_field_and_writes_nothing(
    world: World, library: Library, data: dict[str, str], field: str
) -> None:
    before = Content.objects.count()
    response = client_for(world.teacher).post(
        "/curriculum/content/new/", {"language": "en", "cost": "free", **data}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Content.objects.count() == before


def test_leaders_search_but_do_not_author(world: World, library: Library) -> None:
    client = client_for(world.leader)
    assert client.get("/curriculum/").status_code == 200
    assert client.get("/curriculum/content/new/").status_code == 403
    assert client.get("/curriculum/items/new/").status_code == 403


def test_submitting_shares_with_the_library_through_review(world: World, library: Library) -> None:
    client = client_for(world.teacher)
    assert client.post(f"/curriculum/content/{library.draft.pk}/submit/").status_code == 302
    library.draft.refresh_from_db()
    assert (library.draft.status, library.draft.scope) == (Status.IN_REVIEW, Scope.LIBRARY)
    queue = client_for(world.district_admin).get("/curriculum/review/").context["contents"]
    assert library.draft in list(queue)
    # Now colleagues can see it (in review), but no student gets it until it is approved.
    assert client_for(world.colleague).get(f"/curriculum/content/{library.draft.pk}/").status_code == 200
    assert not access.content_for_student(world.schoolmate).filter(pk=library.draft.pk).exists()


def test_only_the_author_submits(world: World, library: Library) -> None:
    page = f"/curriculum/content/{library.reading.pk}/"
    response = client_for(world.colleague).post(f"{page}submit/", {"next": page}, follow=True)
    assert response.redirect_chain == [(page, 302)]  # a refused form post goes back with the reason
    assert "Only the author may submit this content." in response.content.decode()
    library.reading.refresh_from_db()
    assert library.reading.status == Status.APPROVED


# ----------------------------------------------------------------------------------------- students


def test_students_get_only_approved_content_their_teachers_allow(world: World, library: Library) -> None:
    mine = set(access.content_for_student(world.student).values_list("title", flat=True))
    assert mine == {"Fraction strips reading", "Video en español", "Teacher own activity"}
    # The colleague's students get the colleague's section-only content, never the teacher's.
    theirs = set(access.content_for_student(world.schoolmate).values_list("title", flat=True))
    assert theirs == {"Fraction strips reading", "Video en español", "Colleague own activity"}
    # A student in another school with no such teacher gets library content only.
    far = set(access.content_for_student(world.stranger).values_list("title", flat=True))
    assert far == {"Fraction strips reading", "Video en español"}


def test_hide_and_replace_content_in_a_section(world: World, library: Library) -> None:
    client = client_for(world.teacher)
    url = f"/curriculum/content/{library.reading.pk}/sections/"
    client.post(url, {"section": world.section.pk, "action": "hide"})
    assert not access.content_for_student(world.student).filter(pk=library.reading.pk).exists()
    assert access.content_for_student(world.schoolmate).filter(pk=library.reading.pk).exists()
    client.post(
        url, {"section": world.section.pk, "action": "replace", "replacement": library.own_approved.pk}
    )
    choice = SectionContent.objects.get(section=world.section, content=library.reading)
    assert choice.action == "replace"
    assert choice.replacement == library.own_approved
    page = client.get(f"/curriculum/content/{library.reading.pk}/").content.decode()
    assert "replaced by “Teacher own activity”" in page
    client.post(url, {"section": world.section.pk, "action": "clear"})
    assert access.content_for_student(world.student).filter(pk=library.reading.pk).exists()


def test_a_teacher_cannot_choose_for_another_teachers_section(world: World, library: Library) -> None:
    response = client_for(world.teacher).post(
        f"/curriculum/content/{library.reading.pk}/sections/",
        {"section": world.sister_section.pk, "action": "hide"},
    )
    assert response.status_code == 403
    assert not SectionContent.objects.exists()


def test_a_replacement_cannot_smuggle_in_a_colleagues_section_only_content(
    world: World, library: Library
) -> None:
    client = client_for(world.teacher)
    response = client.post(
        f"/curriculum/content/{library.reading.pk}/sections/",
        {
            "section": world.section.pk,
            "action": "replace",
            "replacement": library.colleague_own.pk,
            "next": f"/curriculum/content/{library.reading.pk}/",
        },
        follow=True,
    )
    assert "Choose different content to show instead." in response.content.decode()
    assert not SectionContent.objects.exists()
    with pytest.raises(Invalid, match="No such content"):
        choose_for_section(world.teacher, world.section, library.reading, "replace", library.colleague_own)
    assert not access.content_for_student(world.student).filter(pk=library.colleague_own.pk).exists()


# ----------------------------------------------------------------------------------------- review


@pytest.mark.parametrize("viewer", REVIEWERS)
def test_reviewers_work_the_queue(world: World, library: Library, viewer: str) -> None:
    response = client_for(getattr(world, viewer)).get("/curriculum/review/")
    assert response.status_code == 200
    assert [c.title for c in response.context["contents"]] == ["Colleague warm-up"]


@pytest.mark.parametrize("viewer", NOT_REVIEWERS)
def test_others_may_not_review(world: World, library: Library, viewer: str) -> None:
    client = client_for(getattr(world, viewer))
    assert client.get("/curriculum/review/").status_code == 403
    response = client.post(
        f"/curriculum/review/content/{library.in_review.pk}/", _review_post("approve", GOOD_ANSWERS)
    )
    assert response.status_code == 403
    library.in_review.refresh_from_db()
    assert library.in_review.status == Status.IN_REVIEW
    assert not Review.objects.filter(content=library.in_review).exists()


def test_a_teacher_in_the_reviewers_group_reviews_but_never_their_own(world: World, library: Library) -> None:
    world.teacher.groups.add(Group.objects.get(name="Content reviewers"))
    teacher = User.objects.get(pk=world.teacher.pk)  # a fresh object: permissions are cached per instance
    submit_for_review(teacher, library.draft)
    client = client_for(teacher)
    queue = client.get("/curriculum/review/").context["contents"]
    assert [c.title for c in queue] == ["Colleague warm-up"]  # their own draft is not in it
    assert client.get(f"/curriculum/review/content/{library.draft.pk}/").status_code == 404
    response = client.post(
        f"/curriculum/review/content/{library.in_review.pk}/", _review_post("approve", GOOD_ANSWERS)
    )
    assert response.status_code == 302


def test_approving_records_the_review_and_tells_the_author(world: World, library: Library) -> None:
    client = client_for(world.district_admin)
    page = client.get(f"/curriculum/review/content/{library.in_review.pk}/").content.decode()
    assert "Does it work on the school&#x27;s network and devices?" in page
    assert "Is the sustaining cost acceptable?" in page
    response = client.post(
        f"/curriculum/review/content/{library.in_review.pk}/",
        _review_post("approve", GOOD_ANSWERS, "Ready for every class."),
    )
    assert response.status_code == 302
    assert response["Location"] == "/curriculum/review/"
    library.in_review.refresh_from_db()
    assert library.in_review.status == Status.APPROVED
    review = Review.objects.get(content=library.in_review)
    assert review.reviewer == world.district_admin
    assert review.answers["licence"]["rating"] == "meets"
    notice = ContentNotice.objects.get(recipient=world.colleague)
    assert "approved for the library" in notice.message
    assert "approved for the library" in client_for(world.colleague).get("/curriculum/").content.decode()
    # Approved library content reaches every student of the district, the colleague's or not; the approval
    # holds in North only: a South student gets it once South adopts it (cairn.curriculum.ownership).
    assert access.content_for_student(world.schoolmate).filter(pk=library.in_review.pk).exists()
    assert not access.content_for_student(world.stranger).filter(pk=library.in_review.pk).exists()


def test_approval_that_fails_a_must_meet_question_is_refused_and_writes_nothing(
    world: World, library: Library
) -> None:
    answers = {**GOOD_ANSWERS, "licence": {"rating": "partly", "note": "no licence stated"}}
    response = client_for(world.district_admin).post(
        f"/curriculum/review/content/{library.in_review.pk}/", _review_post("approve", answers)
    )
    assert response.status_code == 400
    assert "licence: must meet the bar to approve" in response.content.decode()
    library.in_review.refresh_from_db()
    assert library.in_review.status == Status.IN_REVIEW
    assert not Review.objects.filter(content=library.in_review).exists()
    assert not ContentNotice.objects.exists()


def test_an_unanswered_review_names_the_missing_questions(world: World, library: Library) -> None:
    response = client_for(world.district_admin).post(
        f"/curriculum/review/content/{library.in_review.pk}/", {"decision": "reject"}
    )
    assert response.status_code == 400
    assert "alignment_rating" in response.context["form"].errors
    assert not Review.objects.filter(content=library.in_review).exists()


def test_sending_back_returns_the_content_to_its_author(world: World, library: Library) -> None:
    answers = {**GOOD_ANSWERS, "accuracy": {"rating": "does_not", "note": "3/4 is not 4/3"}}
    client_for(world.district_admin).post(
        f"/curriculum/review/content/{library.in_review.pk}/",
        _review_post("changes", answers, "Fix the key."),
    )
    library.in_review.refresh_from_db()
    assert library.in_review.status == Status.DRAFT
    assert "sent back for changes" in ContentNotice.objects.get(recipient=world.colleague).message


# ----------------------------------------------------------------------------------------- competencies


def test_competency_page_draws_prerequisites_as_a_graph(world: World, library: Library) -> None:
    response = client_for(world.teacher).get(f"/curriculum/competencies/{library.b.pk}/")
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    # 4.NF.A.1 before it, 5.NF.A.1 after it, each linking to its own page; nothing loaded from elsewhere.
    for comp in (library.a, library.b, library.c):
        assert f'href="/curriculum/competencies/{comp.pk}/"' in svg
    assert 'class="node prerequisite"' in svg
    assert 'class="node current"' in svg
    assert 'class="node next"' in svg
    assert svg.count('class="edge"') == 2
    assert "http" not in svg, svg
    assert library.d.code not in svg
    assert "Fraction strips reading" not in html  # aligned to a, not b
    assert "Colleague warm-up" in html


def test_competency_with_no_prerequisite_says_so(world: World, library: Library) -> None:
    html = client_for(world.teacher).get(f"/curriculum/competencies/{library.d.pk}/").content.decode()
    assert "No prerequisites: a starting point." in html
    assert "<svg" not in html


def test_competency_list_finds_by_code(world: World, library: Library) -> None:
    response = client_for(world.leader).get("/curriculum/competencies/?q=5.NF")
    assert [c.code for c in response.context["competencies"]] == ["5.NF.A.1"]


# ----------------------------------------------------------------------------------------- items


def test_teacher_adds_a_question_and_a_reviewer_approves_it(world: World, library: Library) -> None:
    client = client_for(world.teacher)
    response = client.post(
        "/curriculum/items/new/",
        {
            "kind": "choice",
            "stem": "<p>Which is bigger?<script>x()</script></p>",
            "choices": "*3/4\n2/3\n1/2",
            "hints": "Think of a pizza.",
            "solution": "3/4 = 9/12 and 2/3 = 8/12.",
            "competencies": [library.a.pk],
        },
    )
    item = Item.objects.get(owner=world.teacher)
    assert response.status_code == 302
    assert response["Location"] == f"/curriculum/items/{item.pk}/"
    assert item.spec["correct"] == ["a"]
    assert item.spec["choices"][0]["text"] == "3/4"
    assert "<script" not in item.stem
    assert item.status == Status.DRAFT
    assert client_for(world.colleague).get(f"/curriculum/items/{item.pk}/").status_code == 404
    client.post(f"/curriculum/items/{item.pk}/submit/")
    item.refresh_from_db()
    assert item.status == Status.IN_REVIEW
    assert (
        client_for(world.teacher)
        .post(f"/curriculum/review/items/{item.pk}/", {"decision": "approve"})
        .status_code
        == 403
    )
    admin = client_for(world.district_admin)
    assert item in list(admin.get("/curriculum/review/").context["items"])
    sent_back = {"decision": "changes", "comment": "Add a picture of the two pizzas."}
    assert admin.post(f"/curriculum/review/items/{item.pk}/", sent_back).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.DRAFT  # back to its author, with the reason kept
    assert "Add a picture of the two pizzas." in client.get(f"/curriculum/items/{item.pk}/").content.decode()
    client.post(f"/curriculum/items/{item.pk}/submit/")
    assert admin.post(f"/curriculum/review/items/{item.pk}/", {"decision": "approve"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.APPROVED
    kept = list(
        ItemReview.objects.filter(item=item).order_by("pk").values_list("decision", "reviewer", "comment")
    )
    assert kept == [
        ("changes", world.district_admin.pk, "Add a picture of the two pizzas."),
        ("approve", world.district_admin.pk, ""),
    ]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "choice", "stem": "Q?", "choices": "3/4\n2/3"}, "choices"),  # no right choice marked
        ({"kind": "choice", "stem": "Q?", "choices": "*3/4"}, "choices"),  # one choice
        ({"kind": "numeric", "stem": "Q?", "answer": ""}, "answer"),
        ({"kind": "numeric", "stem": "Q?", "answer": "three"}, "answer"),
        ({"kind": "text", "stem": "Q?", "accepted": ""}, "accepted"),
        ({"kind": "text", "stem": "", "accepted": "half"}, "stem"),
    ],
)
def test_bad_questions_are_refused_naming_the_field(
    world: World, library: Library, data: dict[str, str], field: str
) -> None:
    response = client_for(world.teacher).post("/curriculum/items/new/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Item.objects.exists()


# ----------------------------------------------------------------------------------------- notices, nav


def test_a_broken_link_is_told_to_its_owner_on_the_library_page(world: World, library: Library) -> None:
    own = create_content(
        world.teacher, ContentInput(title="My video", kind="video", url="https://example.org/mine")
    )
    for _ in range(2):  # a first failure is only "suspect"; the second makes it broken
        record_link_check(own, LinkResult(False, None, own.url, "timed out after 10 s", 10000))
    client = client_for(world.teacher)
    html = client.get("/curriculum/").content.decode()
    assert "The link of “My video” is broken: https://example.org/mine" in html
    assert "timed out" not in html
    assert "The link of" not in client_for(world.colleague).get("/curriculum/").content.decode()
    client.post("/curriculum/notices/read/")
    assert "The link of" not in client.get("/curriculum/").content.decode()


def test_top_bar_links_follow_the_role(world: World, library: Library) -> None:
    teacher_page = client_for(world.teacher).get("/teacher/").content.decode()
    assert 'href="/curriculum/"' in teacher_page
    assert 'href="/curriculum/review/"' not in teacher_page
    admin_page = client_for(world.district_admin).get("/district/").content.decode()
    assert 'href="/curriculum/review/"' in admin_page
    student_page = client_for(world.student).get("/student/").content.decode()
    assert 'href="/curriculum/' not in student_page


def test_a_template_question_shows_an_example_variant(world: World, library: Library) -> None:
    template = {
        "id": "add-like-fractions",
        "title": "Add like fractions",
        "kind": "numeric",
        "stem": "What is {a}/{d} + {b}/{d}?",
        "params": {"a": {"min": 1, "max": 4}, "b": {"min": 1, "max": 4}, "d": {"values": [5, 7, 9]}},
        "answer": "(a+b)/d",
        "hints": ["Same denominator: add the numerators."],
        "solution": ["Add the numerators: {a} + {b} = {a+b}.", "Keep the denominator {d}."],
        "competencies": ["4.NF.B.3"],
    }
    import_item_templates([template], file="templates.json", approve=True)
    item = Item.objects.get(identifier="template:add-like-fractions")
    html = client_for(world.leader).get(f"/curriculum/items/{item.pk}/").content.decode()
    assert "What is {a}/{d} + {b}/{d}?" in html  # the template as written
    example = re.search(r"What is (\d)/(\d) \+ (\d)/(\d)\?", html)
    assert example is not None
    assert example.group(2) == example.group(4)
    a, d, b = int(example.group(1)), int(example.group(2)), int(example.group(3))
    assert f"Add the numerators: {a} + {b} = {a + b}." in html
    assert f"of {item.variant_count} variants" in html
    assert d in (5, 7, 9)


def test_search_reads_a_fixed_number_of_queries_however_many_results(world: World, library: Library) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.teacher)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/curriculum/").status_code == 200
        return len(captured)

    queries()  # the first signed-in request stamps the session's clocks (cairn.core.sessions), once
    few = queries()
    for n in range(15):
        upsert_library_content(
            f"t:more{n}",
            competencies=[library.a, library.b],
            title=f"More {n}",
            kind="reading",
            body="<p>x</p>",
        )
    assert queries() == few
