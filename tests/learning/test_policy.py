"""The district's mastery policy: it decides the check and the wheel-spinning guard; its admins set it."""

from __future__ import annotations

import uuid

import pytest

from cairn.core.errors import Invalid
from cairn.learning.models import MasteryPolicy, Progress
from cairn.learning.selectors import policy
from cairn.learning.services import practice, questions
from cairn.learning.services.policy import set_policy
from tests.conftest import World, client_for
from tests.learning.conftest import Unit


def _answer_right(world: World, unit: Unit) -> practice.Feedback:
    served = questions.serve(world.student, unit.a)
    return practice.submit_answer(world.student, str(served.token), str(uuid.uuid4()), "4")


def test_the_default_policy_applies_without_a_district_setting(world: World, unit: Unit) -> None:
    assert policy.for_student(world.student) == policy.DEFAULT
    assert policy.DEFAULT.mastery.threshold == 0.95
    assert policy.DEFAULT.guard.attempts == 10


def test_a_district_without_a_check_masters_on_the_estimate(world: World, unit: Unit) -> None:
    set_policy(
        world.district_admin,
        world.district,
        threshold=0.6,
        check_items=0,
        check_to_pass=0,
        wheel_spin_attempts=10,
    )
    events = [_answer_right(world, unit).event for _ in range(6)]
    assert "mastered" in events
    assert "check_started" not in events
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.status == Progress.Status.MASTERED
    assert progress.mastered_by == "estimate"
    # The other district keeps the default.
    assert policy.for_student(world.stranger) == policy.DEFAULT


def test_a_stricter_check_needs_more_right_answers(world: World, unit: Unit) -> None:
    set_policy(
        world.district_admin,
        world.district,
        threshold=0.9,
        check_items=5,
        check_to_pass=5,
        wheel_spin_attempts=10,
    )
    events = []
    for _ in range(30):
        events.append(_answer_right(world, unit).event)
        if events[-1] == "mastered":
            break
    start = events.index("check_started")
    assert events.index("mastered") - start == 5  # five check answers after the one that started it


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"threshold": 0.3}, "between 0.5 and 0.99"),
        ({"check_items": 2, "check_to_pass": 3}, "can't be more than"),
        ({"wheel_spin_attempts": 1}, "3 to 50"),
    ],
)
def test_bad_policies_are_refused_and_nothing_is_written(
    world: World, settings: dict[str, float], message: str
) -> None:
    values = {"threshold": 0.95, "check_items": 3, "check_to_pass": 3, "wheel_spin_attempts": 10} | settings
    with pytest.raises(Invalid, match=message):
        set_policy(world.district_admin, world.district, **values)  # type: ignore[arg-type]
    assert not MasteryPolicy.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("district_admin", True),
        ("platform_admin", True),
        ("leader", False),
        ("teacher", False),
        ("student", False),
    ],
)
def test_only_the_districts_admins_change_it(world: World, who: str, allowed: bool) -> None:
    client = client_for(getattr(world, who))
    url = f"/learn/districts/{world.district.pk}/policy/"
    assert client.get(url).status_code == (200 if allowed else 404)
    body = {"threshold": "0.9", "check_items": "2", "check_to_pass": "2", "wheel_spin_attempts": "8"}
    client.post(url, body)
    assert MasteryPolicy.objects.filter(district=world.district).exists() == allowed


def test_the_district_home_links_to_the_policy(world: World) -> None:
    client = client_for(world.district_admin)
    assert f"/learn/districts/{world.district.pk}/policy/".encode() in client.get("/district/").content


def test_the_policy_form_keeps_what_was_typed_and_says_what_to_fix_beside_it(world: World) -> None:
    client = client_for(world.district_admin)
    url = f"/learn/districts/{world.district.pk}/policy/"
    body = {"threshold": "0.9", "check_items": "2", "check_to_pass": "3", "wheel_spin_attempts": "8"}
    page = client.post(url, body)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="id_check_to_pass-error">Right answers needed to pass can&#x27;t be more than' in html
    assert 'value="0.9"' in html and 'value="3"' in html  # kept as typed
    page = client.post(url, {**body, "check_to_pass": "2", "threshold": "lots"})
    assert page.status_code == 400 and 'id="id_threshold-error">' in page.content.decode()
    assert not MasteryPolicy.objects.filter(district=world.district).exists()


def test_a_district_on_the_estimate_alone_masters_without_the_check_it_still_has(
    world: World, unit: Unit
) -> None:
    set_policy(
        world.district_admin,
        world.district,
        threshold=0.6,
        check_items=3,
        check_to_pass=3,
        wheel_spin_attempts=10,
        method="posterior",
    )
    assert policy.for_student(world.student).mastery.method == "posterior"
    events = [_answer_right(world, unit).event for _ in range(6)]
    assert "mastered" in events and "check_started" not in events
    progress = Progress.objects.get(student=world.student, competency=unit.a)
    assert progress.mastered_by == "estimate"


def test_only_the_estimate_alone_may_ask_for_a_surer_threshold(world: World) -> None:
    values = {"threshold": 0.997, "check_items": 3, "check_to_pass": 3, "wheel_spin_attempts": 10}
    with pytest.raises(Invalid, match=r"between 0\.5 and 0\.99\."):
        set_policy(world.district_admin, world.district, **values)  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="method must be one of"):
        set_policy(world.district_admin, world.district, **values, method="vibes")  # type: ignore[arg-type]
    set_policy(world.district_admin, world.district, **values, method="posterior")  # type: ignore[arg-type]
    assert MasteryPolicy.objects.get(district=world.district).method == "posterior"


def test_the_policy_form_offers_the_method_in_plain_words(world: World) -> None:
    client = client_for(world.district_admin)
    url = f"/learn/districts/{world.district.pk}/policy/"
    html = client.get(url).content.decode()
    assert 'name="method"' in html and "about 0.997" in html and "Estimate only" in html
    assert 'aria-describedby="id_method_helptext"' in html and 'id="id_method_helptext"' in html
    body = {"threshold": "0.997", "check_items": "3", "check_to_pass": "3", "wheel_spin_attempts": "10"}
    assert client.post(url, {**body, "method": "posterior"}).status_code == 302
    assert policy.for_district(world.district).mastery.method == "posterior"
    assert 'value="posterior" selected' in client.get(url).content.decode()
