"""Districts own their things (cairn.curriculum.ownership): an approval holds in the owner district only;
another district sees shared approved work read-only with the owner's review, and adopts it with one click
for its students; reviews, queues and imports stay within their district."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cairn.accounts import services as people
from cairn.accounts.models import Role, User
from cairn.assessments import bank
from cairn.curriculum import access
from cairn.curriculum.importers import ImportFailed
from cairn.curriculum.models import Adoption, Content, Item, Status
from cairn.curriculum.ownership import approved_items_for_student
from cairn.curriculum.services.content import ContentInput, create_content, submit_for_review
from cairn.curriculum.services.imports import import_item_templates
from cairn.curriculum.services.items import create_item, submit_item_for_review
from cairn.learning.selectors.path import for_student
from tests.conftest import PASSWORD, World, client_for
from tests.curriculum.conftest import GOOD_ANSWERS, Library

API = "/api/v1/curriculum"
SPEC = {"kind": "numeric", "answer": 0.75}


@dataclass
class South:
    teacher: User  # teaches `far_section` (the stranger's)
    admin: User  # district admin of the other district: reviews and adopts for it


@pytest.fixture
def south(world: World) -> South:
    teacher = people.create_person(
        username="sam_south",
        first_name="Sam",
        last_name="South",
        role=Role.TEACHER,
        school=world.far_school,
        password=PASSWORD,
    )
    people.enrol(teacher, world.far_section, "teacher", world.far_section.term_start, None)
    admin = people.create_person(
        username="sue_south",
        first_name="Sue",
        last_name="South",
        role=Role.DISTRICT_ADMIN,
        district=world.other_district,
        password=PASSWORD,
    )
    return South(teacher=teacher, admin=admin)


def _north_item(world: World, library: Library) -> Item:
    """A North teacher's question, approved by North's district admin."""
    item = create_item(
        world.teacher, stem="<p>3/4 as a decimal?</p>", spec=SPEC, competency_ids=[library.a.pk]
    )
    submit_item_for_review(world.teacher, item)
    assert (
        client_for(world.district_admin)
        .post(f"/curriculum/review/items/{item.pk}/", {"decision": "approve", "comment": "Clear."})
        .status_code
        == 302
    )
    item.refresh_from_db()
    return item


def test_new_work_belongs_to_its_authors_district(world: World, library: Library, south: South) -> None:
    mine = create_content(world.teacher, ContentInput(title="Strips", kind="offline", body="<p>Fold.</p>"))
    theirs = create_item(south.teacher, stem="<p>1/2 + 1/4?</p>", spec=SPEC)
    assert (mine.district, theirs.district) == (world.district, world.other_district)


def test_an_approval_holds_in_its_district_until_another_adopts(
    world: World, library: Library, south: South
) -> None:
    item = _north_item(world, library)
    assert item.status == Status.APPROVED
    assert item.reviews.get().district == world.district
    assert approved_items_for_student(world.student).filter(pk=item.pk).exists()
    assert not approved_items_for_student(world.stranger).filter(pk=item.pk).exists()
    assert library.a in for_student(world.student)
    assert library.a not in for_student(world.stranger)  # no practice approved for South on it

    # Not shared yet: South does not even see it.
    south_admin = client_for(south.admin)
    assert south_admin.get(f"/curriculum/items/{item.pk}/").status_code == 404
    # North shares it; South sees it read-only, with North's review, and adopts it with one click.
    assert (
        client_for(world.teacher).post(f"/curriculum/items/{item.pk}/share/", {"shared": "1"}).status_code
        == 302
    )
    page = south_admin.get(f"/curriculum/items/{item.pk}/").content.decode()
    assert "North District" in page and "Clear." in page and "Adopt for my district" in page
    assert "Record decision" not in page  # South never reviews North's question
    assert south_admin.post(f"/curriculum/items/{item.pk}/adopt/").status_code == 302
    assert Adoption.objects.get(item=item).district == world.other_district
    assert approved_items_for_student(world.stranger).filter(pk=item.pk).exists()
    assert library.a in for_student(world.stranger)  # the path follows: practice approved for South now
    assert "Adopted for South District" in south_admin.get(f"/curriculum/items/{item.pk}/").content.decode()
    # The diagnostic bank follows the same rule.
    from cairn.assessments.models import Diagnostic

    diagnostic = Diagnostic.objects.create(slug="fractions", title="Fractions check")
    assert item.pk in bank.build(diagnostic, on_path=[library.a], student=world.stranger)["items"]

    # North retires it: it leaves the adopter's students too.
    Item.objects.filter(pk=item.pk).update(status=Status.RETIRED)
    assert not approved_items_for_student(world.stranger).filter(pk=item.pk).exists()


def test_teachers_and_reviewers_never_see_another_districts_drafts_queue_or_reviews(
    world: World, library: Library, south: South
) -> None:
    draft = create_content(south.teacher, ContentInput(title="South draft", kind="offline", body="<p>x</p>"))
    waiting = create_content(
        south.teacher, ContentInput(title="South waiting", kind="offline", body="<p>y</p>")
    )
    submit_for_review(south.teacher, waiting)
    north_admin = client_for(world.district_admin)
    for content in (draft, waiting):
        assert north_admin.get(f"/curriculum/content/{content.pk}/").status_code == 404
        assert client_for(world.teacher).get(f"{API}/content/{content.pk}").status_code == 404
    queue = north_admin.get(f"{API}/review/queue").json()
    assert "South waiting" not in str(queue)
    assert "South waiting" in str(client_for(south.admin).get(f"{API}/review/queue").json())
    refused = north_admin.post(
        f"{API}/content/{waiting.pk}/reviews",
        {"decision": "approve", "answers": GOOD_ANSWERS},
        content_type="application/json",
    )
    assert refused.status_code == 404
    found = client_for(world.teacher).get(f"{API}/content", {"q": "South"}).json()
    assert found["count"] == 0


def test_content_adopted_through_the_api_reaches_the_other_districts_board(
    world: World, library: Library, south: South
) -> None:
    library.in_review.refresh_from_db()
    approve = client_for(world.district_admin).post(
        f"{API}/content/{library.in_review.pk}/reviews",
        {"decision": "approve", "answers": GOOD_ANSWERS, "comment": "Fine."},
        content_type="application/json",
    )
    assert approve.status_code == 201
    shared = client_for(world.district_admin).post(
        f"{API}/content/{library.in_review.pk}/share", {"shared": True}, content_type="application/json"
    )
    assert shared.json()["shared"] is True
    assert not access.content_for_student(world.stranger).filter(pk=library.in_review.pk).exists()
    south_api = client_for(south.admin)
    offered = south_api.get(f"{API}/content", {"elsewhere": True}).json()
    assert [c["title"] for c in offered["items"]] == ["Colleague warm-up"]
    assert offered["items"][0]["district"] == "North District"
    assert [
        r["comment"] for r in south_api.get(f"{API}/content/{library.in_review.pk}").json()["reviews"]
    ] == ["Fine."]
    # A teacher does not adopt for the district; a reviewer does.
    assert client_for(south.teacher).post(f"{API}/content/{library.in_review.pk}/adopt").status_code == 403
    adopted = south_api.post(f"{API}/content/{library.in_review.pk}/adopt")
    assert (adopted.status_code, adopted.json()["district"]) == (201, "South District")
    assert access.content_for_student(world.stranger).filter(pk=library.in_review.pk).exists()


def test_imports_load_for_a_district_and_never_write_to_anothers(world: World, library: Library) -> None:
    template = {
        "id": "frac-add",
        "kind": "numeric",
        "stem": "What is {a}/4 + 1/4?",
        "params": {"a": {"values": [1, 2]}},
        "answer": "(a+1)/4",
        "competencies": [library.a.code],
    }
    import_item_templates([template], file="t.json", approve=True, district=world.district)
    item = Item.objects.get(identifier="template:frac-add")
    assert item.district == world.district
    assert approved_items_for_student(world.student).filter(pk=item.pk).exists()
    assert not approved_items_for_student(world.stranger).filter(pk=item.pk).exists()
    with pytest.raises(ImportFailed, match="another district"):
        import_item_templates([template], file="t.json", approve=True, district=world.other_district)
    assert Item.objects.get(pk=item.pk).district == world.district


def test_platform_library_content_reaches_every_district(world: World, library: Library) -> None:
    assert library.reading.district is None
    for student in (world.student, world.stranger):
        assert access.content_for_student(student).filter(pk=library.reading.pk).exists()
    assert Content.objects.filter(pk=library.reading.pk, shared=False).exists()


def test_a_districts_own_framework_is_its_own(world: World, library: Library, south: South) -> None:
    from cairn.curriculum.models import Competency, Framework

    own = Framework.objects.create(
        identifier="fw-south", title="South standards", district=world.other_district
    )
    theirs = Competency.objects.create(
        framework=own, identifier="s-1", code="SOUTH.1", statement="South's own", item_type="Standard"
    )
    north = client_for(world.teacher)
    assert north.get(f"/curriculum/competencies/{theirs.pk}/").status_code == 404
    assert north.get(f"{API}/competencies/{theirs.pk}").status_code == 404
    assert "SOUTH.1" not in north.get("/curriculum/competencies/").content.decode()
    assert "SOUTH.1" not in north.get("/curriculum/content/new/").content.decode()
    assert (
        "4.NF.A.1" in north.get("/curriculum/content/new/").content.decode()
    )  # public standards are for all
    assert "SOUTH.1" in client_for(south.teacher).get("/curriculum/items/new/").content.decode()


def test_a_standards_import_for_a_district_makes_its_own_framework(world: World) -> None:
    from pathlib import Path

    from cairn.curriculum.models import Framework
    from cairn.curriculum.services.frameworks import import_competencies_csv

    csv_file = Path(__file__).parent / "fixtures" / "csv" / "competencies.csv"
    import_competencies_csv(csv_file, district=world.other_district)
    assert set(Framework.objects.values_list("district", flat=True)) == {world.other_district.pk}
    import_competencies_csv(csv_file)  # a re-import never changes who owns it
    assert set(Framework.objects.values_list("district", flat=True)) == {world.other_district.pk}
