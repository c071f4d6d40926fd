"""Teachers' release rules: plain-terms rules that students see, who may set them, and bad rules."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cairn.core.errors import Invalid
from cairn.engine.release import Status
from cairn.learning.models import ReleaseRule
from cairn.learning.selectors.path import student_path
from cairn.learning.services import release_rules
from tests.conftest import World, client_for
from tests.learning.conftest import Unit

API = "/api/v1/learning"


def test_a_rule_holds_a_competency_back_and_the_student_sees_why(world: World, unit: Unit) -> None:
    client = client_for(world.teacher)
    url = f"/learn/sections/{world.section.pk}/rules/"
    response = client.post(url, {"competency": unit.d.pk, "kind": "when_mastered", "needs": "4.NF.A.1"})
    assert response.status_code == 302
    row = student_path(world.student).by_code()["4.MD.A.1"]
    assert row.status == Status.LOCKED
    assert len(row.reasons) == 1  # how a student reads it is the path's business
    page = client.get(url).content.decode()
    sentence = (
        "Open Statement of 4.MD.A.1 (4.MD.A.1) when a student has mastered Statement of 4.NF.A.1 (4.NF.A.1)"
    )
    assert sentence in page
    # The pickers name competencies by their statements (with the code), activities by title, levels in words.
    assert '<option value="4.NF.A.1">Statement of 4.NF.A.1 (4.NF.A.1)</option>' in page
    assert '<option value="video-1">Fractions on a number line (video)</option>' in page
    assert "“on grade” or higher" in page
    # A student in another section is not affected.
    assert student_path(world.schoolmate).by_code()["4.MD.A.1"].status == Status.READY


def test_dates_and_activities(world: World, unit: Unit) -> None:
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    rule = release_rules.build_rule("from_date", future)
    release_rules.add_rule(world.teacher, world.section, unit.d, rule)
    assert student_path(world.student).by_code()["4.MD.A.1"].reasons == (f"Opens on {future}",)
    after_video = release_rules.build_rule("after_activity", "video-1")
    assert after_video.describe() == "Unlocks after the activity “Fractions on a number line”"


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("when_mastered", "9.ZZ.9", "no competency with the code"),
        ("after_activity", "no-such-thing", "no activity"),
        ("from_date", "next tuesday", "doesn't work"),
        ("diagnostic_above", "high", "doesn't work"),
        ("whenever", "x", "Choose what the rule waits for"),
        ("from_date", "", "needs a value"),
    ],
)
def test_bad_rules_are_refused_with_the_reason(
    world: World, unit: Unit, kind: str, value: str, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        release_rules.build_rule(kind, value)


def test_a_rule_that_would_lock_forever_is_refused(world: World, unit: Unit) -> None:
    # 4.NF.B.3 needs 4.NF.A.1 (a prerequisite); making 4.NF.A.1 wait for 4.NF.B.3 would lock both forever.
    rule = release_rules.build_rule("when_mastered", "4.NF.B.3")
    with pytest.raises(Invalid, match=r"wait on each other forever: .*4\.NF\.A\.1"):
        release_rules.add_rule(world.teacher, world.section, unit.a, rule)
    with pytest.raises(Invalid, match="can't wait for itself"):
        release_rules.add_rule(
            world.teacher, world.section, unit.a, release_rules.build_rule("when_mastered", "4.NF.A.1")
        )
    assert not ReleaseRule.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher", 201), ("colleague", 404), ("leader", 403), ("student", 404), ("former_teacher", 404)],
)
def test_only_the_sections_current_teacher_sets_rules(
    world: World, unit: Unit, who: str, status: int
) -> None:
    body = {"competency_id": unit.d.pk, "kind": "from_date", "value": "2030-01-01"}
    response = client_for(getattr(world, who)).post(
        f"{API}/sections/{world.section.pk}/rules", body, content_type="application/json"
    )
    assert response.status_code == status
    assert ReleaseRule.objects.count() == (1 if status == 201 else 0)
    page = client_for(getattr(world, who)).get(f"/learn/sections/{world.section.pk}/rules/")
    assert page.status_code == (200 if status == 201 else status)


def test_rules_over_the_api_add_list_remove(world: World, unit: Unit) -> None:
    client = client_for(world.teacher)
    url = f"{API}/sections/{world.section.pk}/rules"
    added = client.post(url, {"competency_id": unit.d.pk, "kind": "diagnostic_above", "value": "0.5"},
                        content_type="application/json")  # fmt: skip
    assert added.status_code == 201
    (rule,) = client.get(url).json()
    assert rule["sentence"] == (
        "Open Statement of 4.MD.A.1 (4.MD.A.1) when the diagnostic places a student "
        "at “above grade” or higher"
    )
    # A level in words is the same level.
    assert release_rules.build_rule("diagnostic_above", "above grade") == release_rules.build_rule(
        "diagnostic_above", "0.5"
    )
    bad = client.post(url, {"competency_id": unit.d.pk, "kind": "from_date", "value": "soon"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert "doesn't work" in bad.json()["detail"]
    assert client.delete(f"{url}/{rule['pk']}").status_code == 204
    assert client.delete(f"{url}/{rule['pk']}").status_code == 404
    assert client.get(url).json() == []


def test_the_rule_form_previews_the_sentence_and_keeps_the_choices_on_error(world: World, unit: Unit) -> None:
    client = client_for(world.teacher)
    url = f"/learn/sections/{world.section.pk}/rules/"
    # The Preview button (no JS) re-renders the page with the sentence and saves nothing.
    page = client.post(
        url, {"competency": unit.d.pk, "kind": "after_activity", "activity": "video-1", "preview": "1"}
    )
    assert page.status_code == 200
    assert "Open Statement of 4.MD.A.1 (4.MD.A.1) after a student has done “Fractions on a number line”." in (
        page.content.decode()
    )
    assert not ReleaseRule.objects.exists()
    # htmx asks for the preview alone as the pickers change.
    fragment = client.post(
        url,
        {"competency": unit.d.pk, "kind": "from_date", "date": "2027-01-10", "preview": "1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert fragment.startswith('<p id="rule-preview"') and "from 10 January 2027." in fragment
    # A kind without its choice: refused beside that picker, with the other choices kept.
    page = client.post(url, {"competency": unit.d.pk, "kind": "when_mastered", "needs": ""})
    assert page.status_code == 400
    body = page.content.decode()
    assert 'id="id_needs-error">Choose the competency to master first.' in body
    assert f'<option value="{unit.d.pk}" selected>' in body
    assert re.search(r'<input type="radio" name="kind" value="when_mastered"[^>]*checked', body)
    # A loop comes back on the page too, not as a lost form.
    page = client.post(url, {"competency": unit.a.pk, "kind": "when_mastered", "needs": "4.NF.A.1"})
    assert page.status_code == 400 and "can&#x27;t wait for itself" in page.content.decode()
    assert not ReleaseRule.objects.exists()
