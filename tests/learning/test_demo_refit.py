"""The demo's refit (issue 16 item 5: it produced degenerate parameters). A demo-like history, with the
demo's cast (students ahead who never miss, a stuck one drilling a standard they can't do, the rest
learning), written as attempts: plain BKT's EM fits it with implausible parameters, the app's refit keeps
every one in the engine's plausible ranges. (Replaying the demo itself through the answer loop takes
minutes; this writes the rows the refit reads.)"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from cairn.accounts.models import Role, RoleAssignment, User
from cairn.engine.kt.app_fit import BOUNDS
from cairn.engine.kt.bkt import BKT
from cairn.learning import learner
from cairn.learning.models import Attempt, ServedItem
from tests.conftest import World
from tests.learning.conftest import Unit


def _history(world: World, unit: Unit) -> None:
    rng = random.Random(7)
    start = timezone.now() - dt.timedelta(days=20)
    rows: list[Attempt] = []
    for i in range(24):
        student = User.objects.create(username=f"demo{i}")
        RoleAssignment.objects.create(user=student, role=Role.STUDENT, school=world.school)
        kind = "ahead" if i < 10 else "stuck" if i == 10 else "learning"
        for competency, item in ((unit.a, unit.numeric), (unit.d, unit.choice)):
            served = ServedItem.objects.create(student=student, competency=competency, item=item)
            known = kind == "ahead"
            for _ in range(30 if kind == "stuck" else 12):
                if kind == "learning" and not known:
                    known = rng.random() < 0.3
                right = (
                    (rng.random() < 0.97) if known else (rng.random() < (0.02 if kind == "stuck" else 0.25))
                )
                rows.append(
                    Attempt(
                        student=student,
                        client_attempt_id=uuid.uuid4(),
                        served=served,
                        competency=competency,
                        item=item,
                        answer="x",
                        correct=right,
                        p_correct=0.5,
                        mastery_after=0.5,
                        created_at=start + dt.timedelta(minutes=len(rows)),
                    )
                )
    Attempt.objects.bulk_create(rows)


def _in_range(params: dict[str, float]) -> bool:
    return all(low - 1e-9 <= float(params[name]) <= high + 1e-9 for name, (low, high) in BOUNDS.items())


def test_a_refit_on_a_demo_like_history_keeps_every_parameter_in_range(world: World, unit: Unit) -> None:
    _history(world, unit)
    sequences = learner.training_sequences()
    plain = BKT().fit(sequences).parameters()
    assert not all(_in_range(p) for p in plain.values())  # unbounded EM: what the demo's refit did
    result = learner.refit()
    assert result["answers"] == sum(len(s) for s in sequences)
    params = learner.current_model().parameters()
    assert set(params) == {unit.a.pk, unit.d.pk}
    for row in params.values():
        assert row["own"]
        assert _in_range({name: float(row[name]) for name in BOUNDS})
