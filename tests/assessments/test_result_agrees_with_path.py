"""Issue 18 item 3: the diagnostic result and the path tell one truth about what is mastered and why, and
the student reads no codes and no assessment windows."""

from __future__ import annotations

import re

from django.utils import timezone

from cairn.curriculum.models import Competency
from cairn.learning.models import Progress
from cairn.learning.services.mastery import mark_mastered
from tests.assessments.conftest import Ladder, take
from tests.conftest import World, client_for

CODE = re.compile(r"\b\d\.[A-Z]{2}\.[A-Z]\.\d")


def test_the_result_shows_what_the_path_already_holds_and_how(world: World, ladder: Ladder) -> None:
    for c in ladder.competencies:
        Competency.objects.filter(pk=c.pk).update(student_statement=f"I can do step {c.list_order + 1}.")
    first = ladder.competencies[0]
    progress = Progress.objects.create(student=world.student, competency=first)
    mark_mastered(progress, timezone.now(), by="teacher")
    progress.save()
    sitting = take(world.student, ladder.diagnostic, theta=-9.0)  # every answer wrong: places nothing
    assert not sitting.placement["mastered"]

    own = client_for(world.student).get(f"/diagnostic/sittings/{sitting.pk}/result/").content.decode()
    assert "None yet" not in own  # the path shows one mastered: the result must not say it starts at zero
    assert "Got it on your path now (1)" in own
    assert "I can do step 1." in own and "marked by your teacher" in own
    assert not CODE.search(own)
    assert "window" not in own.lower()
    path = client_for(world.student).get("/learn/").content.decode()
    assert "1 got it" in path

    staff = client_for(world.teacher).get(f"/diagnostic/sittings/{sitting.pk}/result/").content.decode()
    assert f"<strong>{first.code}</strong> — a teacher" in staff
