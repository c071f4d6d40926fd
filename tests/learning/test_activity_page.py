"""The activity page's one button says what it does, before and after the student has done it."""

from __future__ import annotations

from tests.conftest import World, client_for
from tests.learning.conftest import Unit


def test_the_activity_button_says_mark_as_done_then_mark_as_done_again(world: World, unit: Unit) -> None:
    client = client_for(world.schoolmate)
    url = f"/learn/activity/{unit.video.pk}/"
    page = client.get(url).content.decode()
    assert ">Mark as done</button>" in page and "Done again" not in page
    assert client.post(url).status_code == 302
    page = client.get(url).content.decode()
    assert ">Mark as done again</button>" in page
    assert "You have finished this before." in page
    assert "about 6 minutes" in page
