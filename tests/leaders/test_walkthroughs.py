"""Classroom walkthroughs: the phone form, the look-fors from the district's definition, the roll-up into
the fidelity indicator, and who may record or read them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cairn.core.errors import NotFound
from cairn.leaders import fidelity, lookfors, services, walkthroughs
from cairn.leaders.models import Walkthrough
from tests.conftest import World, client_for

TODAY = timezone.localdate()


def test_a_leader_records_a_walkthrough_from_the_phone_form_and_it_rolls_up(world: World) -> None:
    services.save_definition(
        district=world.district,
        author=world.district_admin,
        pillars={"flexible_environments": {"students": "Rotate through stations"}},
        summary="Stations every day",
    )
    looks = lookfors.for_district(world.district)
    assert {look.pillar for look in looks} == {"flexible_environments"}  # only the district's pillars
    client = client_for(world.leader)
    page = client.get("/leaders/walkthroughs/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="look_small_group"' in html and "walkthroughs.css" in html
    assert world.sister_school.name not in html  # a principal visits their own school only
    response = client.post(
        "/leaders/walkthroughs/new/",
        {"school": world.school.pk, "section": world.section.pk, "look_small_group": "on", "notes": "Good"},
    )
    assert response.status_code == 302
    visit = Walkthrough.objects.get()
    assert visit.teacher == world.teacher and visit.observer == world.leader
    assert {m.look_for: m.seen for m in visit.marks.all()} == {
        "small_group": True,
        "balanced_screens": False,
        "peers_together": False,
    }
    seen = fidelity.lookfors_seen(world.district, world.school, TODAY, {})
    assert seen.value == pytest.approx(100 / 3) and seen.n == 1
    assert fidelity.lookfors_seen(world.district, world.sister_school, TODAY, {}).value is None
    cells = walkthroughs.monthly([world.school], months=2)[world.school.pk]
    assert cells[-1].visits == 1 and cells[-1].percent_seen == pytest.approx(100 / 3)
    listing = client.get("/leaders/walkthroughs/").content.decode()
    assert "1 of 3" in listing and "33%" in listing


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("leader", True), ("district_admin", True), ("teacher", False), ("student", False), ("guardian", False)],
)
def test_only_leaders_see_walkthroughs(world: World, who: str, allowed: bool) -> None:
    walkthroughs.record(observer=world.leader, school_id=world.school.pk, section_id=None, seen=set())
    response = client_for(getattr(world, who)).get("/leaders/walkthroughs/")
    if allowed:
        assert response.status_code == 200 and world.school.name in response.content.decode()
    else:
        assert response.status_code in (403, 404)


def test_a_principal_cannot_record_a_walkthrough_at_another_school(world: World) -> None:
    with pytest.raises(NotFound):
        walkthroughs.record(observer=world.leader, school_id=world.sister_school.pk, section_id=None, seen=())
    response = client_for(world.leader).post("/leaders/walkthroughs/new/", {"school": world.sister_school.pk})
    assert response.status_code == 400 and not Walkthrough.objects.exists()
