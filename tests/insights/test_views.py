"""The teacher pages: what a teacher sees and does, and who sees nothing (every role, both ways)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from cairn.accounts import services as accounts
from cairn.accounts.models import Role
from cairn.insights import selectors
from cairn.insights.models import SmallGroup, StationPlan, TieredTask
from cairn.insights.services import groups, stations, tiered
from cairn.learning.models import Alert, PathOverride, Progress
from tests.conftest import PASSWORD, client_for
from tests.insights.conftest import Classroom, progress


@pytest.fixture
def busy(classroom: Classroom) -> Classroom:
    """Some stored state: two stuck on A, one mastered A, the rest working on D."""
    u, s = classroom.unit, classroom.students
    progress(s[0], u.a, mastery=0.25, attempts=14, spinning=True)
    progress(s[1], u.a, mastery=0.3, attempts=11, spinning=True)
    progress(s[2], u.a, Progress.Status.MASTERED, mastery=0.97)
    for student in s[3:]:
        progress(student, u.d, mastery=0.45)
    return classroom


def _pages(c: Classroom) -> list[str]:
    w = c.world
    group = groups.save_group(w.teacher, w.section, student_ids=[c.students[0].pk], competency_id=c.unit.a.pk)
    task = tiered.create_tiered_task(
        w.teacher, w.section, competency_id=c.unit.a.pk, title="Walls", support="s", core="c", extend="e"
    )
    plan = stations.plan_stations(
        w.teacher,
        w.section,
        title="Rotation",
        lesson_date=dt.date(2026, 11, 24),
        block_minutes=15,
        rotations=2,
        stations=[stations.StationInput("T", "teacher_led"), stations.StationInput("O", "online")],
    )
    sid = w.section.pk
    return [
        reverse("insights-today", args=[sid]),
        reverse("insights-class", args=[sid]),
        reverse("insights-student", args=[sid, w.student.pk]),
        reverse("insights-groups", args=[sid]),
        reverse("insights-group", args=[group.pk]),
        reverse("insights-tiered", args=[sid]),
        reverse("insights-tiered-task", args=[task.pk]),
        reverse("insights-stations", args=[sid]),
        reverse("insights-station-plan", args=[plan.pk]),
        reverse("insights-overrides", args=[sid]),
        reverse("insights-export", args=[sid]),
    ]


def test_the_teacher_sees_every_page_and_a_leader_reads_them_without_forms(busy: Classroom) -> None:
    w = busy.world
    pages = _pages(busy)
    teacher, leader = client_for(w.teacher), client_for(w.leader)
    for url in pages:
        mine = teacher.get(url)
        assert mine.status_code == 200, url
        read = leader.get(url)
        assert read.status_code == 200, url
        if not url.endswith(".csv"):
            assert b"read only" in read.content, url
            assert b'action="/teach/sections' not in read.content, url  # no forms that change anything
    today = teacher.get(pages[0]).content.decode()
    assert "2 stuck on 4.NF.A.1" in today
    assert "Pull the 2 as a group" in today


def test_other_teachers_students_guardians_and_strangers_see_nothing(busy: Classroom) -> None:
    w = busy.world
    pages = _pages(busy)
    for outsider in (w.colleague, w.former_teacher, w.student, w.guardian, w.stranger):
        client = client_for(outsider)
        for url in pages:
            assert client.get(url).status_code == 404, (outsider.username, url)
    other_district = accounts.create_person(
        username="far_admin",
        first_name="Far",
        last_name="Admin",
        role=Role.DISTRICT_ADMIN,
        district=w.other_district,
        password=PASSWORD,
    )
    for url in pages:
        assert client_for(other_district).get(url).status_code == 404
    anonymous = Client()
    assert anonymous.get(pages[0]).status_code == 302
    assert "/login/" in anonymous.get(pages[0])["Location"]
    # A student of another class is not reachable through this class's drill-down.
    url = reverse("insights-student", args=[w.section.pk, w.schoolmate.pk])
    assert client_for(w.teacher).get(url).status_code == 404


def test_changes_need_a_teacher_of_the_class(busy: Classroom) -> None:
    w, u, s = busy.world, busy.unit, busy.students
    sid = w.section.pk
    posts = [
        (reverse("insights-group-save", args=[sid]), {"student": [s[0].pk], "competency": u.a.pk}),
        (
            reverse("insights-override", args=[sid]),
            {"student": s[0].pk, "competency": u.a.pk, "action": "lock", "reason": "x"},
        ),
        (
            reverse("insights-alerts-resolve", args=[sid]),
            {"alert": list(Alert.objects.values_list("pk", flat=True))},
        ),
        (reverse("insights-assign-challenges", args=[sid]), {"student": [s[2].pk]}),
        (reverse("insights-content-hide", args=[sid, u.video.pk]), {}),
        (
            reverse("insights-tiered", args=[sid]),
            {"competency": u.a.pk, "title": "T", "support": "a", "core": "b", "extend": "c"},
        ),
    ]
    for url, data in posts:
        # A leader reads the class but may not change it: the refusal (Forbidden) is flashed back.
        refused = client_for(w.leader).post(url, data)
        assert refused.status_code == 302, url
        flashed = [str(m) for m in refused.wsgi_request._messages]  # type: ignore[attr-defined]
        assert flashed == ["Only a teacher of this class can change it."], url
        assert client_for(w.colleague).post(url, data).status_code == 404, url
        assert client_for(w.student).post(url, data).status_code == 404, url
    assert not SmallGroup.objects.exists()
    assert not PathOverride.objects.exists()
    assert not TieredTask.objects.exists()
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 2


def test_today_to_a_group_to_an_override(busy: Classroom) -> None:
    w, u, s = busy.world, busy.unit, busy.students
    teacher = client_for(w.teacher)
    state = selectors.class_state(w.section)
    from cairn.insights.links import step_link
    from cairn.insights.today import today_actions

    stuck = today_actions(state)[0]
    fields: dict[str, list[str]] = {}
    for name, value in stuck.step.fields:
        fields.setdefault(name, []).append(value)
    response = teacher.post(str(step_link(stuck.step)["url"]), fields)
    group = SmallGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("insights-group", args=[group.pk])
    page = teacher.get(response["Location"]).content.decode()
    assert "Fraction strips at the teacher table" in page
    assert s[0].display_name in page
    response = teacher.post(
        reverse("insights-override", args=[w.section.pk]),
        {
            "group": group.pk,
            "competency": u.d.pk,
            "action": "assign",
            "reason": "After the mini-lesson",
            "next": response["Location"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("insights-group", args=[group.pk])
    assert set(PathOverride.objects.values_list("student_id", flat=True)) == {s[0].pk, s[1].pk}
    page = teacher.get(response["Location"]).content.decode()
    assert "Assign 4.MD.A.1: 2 students changed." in page
    # An unsafe "next" is ignored.
    response = teacher.post(
        reverse("insights-override", args=[w.section.pk]),
        {
            "student": s[3].pk,
            "competency": u.d.pk,
            "action": "lock",
            "reason": "x",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("insights-overrides", args=[w.section.pk])


def test_bad_override_input_shows_the_message_and_changes_nothing(busy: Classroom) -> None:
    w, u, s = busy.world, busy.unit, busy.students
    teacher = client_for(w.teacher)
    url = reverse("insights-override", args=[w.section.pk])
    for data, message in [
        ({"student": s[0].pk, "competency": u.a.pk, "action": "lock", "reason": ""}, "Give a reason"),
        (
            {"student": s[0].pk, "competency": "x", "action": "lock", "reason": "r"},
            "competency: a whole number",
        ),
        (
            {"student": w.schoolmate.pk, "competency": u.a.pk, "action": "lock", "reason": "r"},
            "Not students of",
        ),
    ]:
        # The form says where it is (next): the refusal is flashed there.
        back = reverse("insights-class", args=[w.section.pk])
        response = teacher.post(url, {**data, "next": back}, follow=True)
        assert message in response.content.decode()
    assert not PathOverride.objects.exists()


def test_the_class_view_sorts_filters_and_answers_polls_cheaply(busy: Classroom) -> None:
    w, u, s = busy.world, busy.unit, busy.students
    teacher = client_for(w.teacher)
    url = reverse("insights-class", args=[w.section.pk])
    page = teacher.get(url, {"sort": "mastered", "dir": "desc"}).content.decode()
    assert page.index(s[2].display_name) < page.index(s[0].display_name)  # the one who mastered A first
    stuck = teacher.get(url, {"show": "stuck"}).content.decode()
    assert s[0].display_name in stuck
    assert s[3].display_name not in stuck
    named = teacher.get(url, {"q": s[4].last_name}).content.decode()
    assert s[4].display_name in named
    assert s[5].display_name not in named
    page = teacher.get(url, {"sort": f"c{u.a.pk}", "dir": "desc"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert page.index(s[2].display_name) < page.index(s[5].display_name)
    assert "<svg" in page
    assert "Where the class stands on each competency" in page
    # Live polling: nothing new answers 204 (htmx keeps the table); a new answer sends the table.
    version = selectors.version(w.section)
    poll = {"partial": "1", "since": version}
    assert teacher.get(url, poll, HTTP_HX_REQUEST="true").status_code == 204
    progress(s[5], u.d, mastery=0.8)
    fresh = teacher.get(url, poll, HTTP_HX_REQUEST="true")
    assert fresh.status_code == 200
    assert fresh.content.startswith(b'<div id="class-grid"')
    assert b"<html" not in fresh.content
    assert selectors.version(w.section).encode() in fresh.content


def test_the_student_drill_down_has_history_path_goals_reflections_and_choices(busy: Classroom) -> None:
    from cairn.agency import services as pace
    from cairn.learning.selectors.board import build_board
    from cairn.learning.services import board

    w, u = busy.world, busy.unit
    student = w.student
    pace.set_goal(student, 2, 60)
    pace.reflect(student, "stuck", learned="Halves", ask_teacher="Can we use strips again?")
    options = build_board(student)
    board.choose(student, options[0].option_id, options)
    page = (
        client_for(w.teacher)
        .get(reverse("insights-student", args=[w.section.pk, student.pk]))
        .content.decode()
    )
    for text in (
        "This week's goal",
        "Master 2",
        "Can we use strips again?",
        "Path",
        "Latest answers",
        "chose",
    ):
        assert text in page, text
    assert "Change Ana's path" in page
    assert u.a.code in page


def test_the_grade_book_export(busy: Classroom) -> None:
    w, u, s = busy.world, busy.unit, busy.students
    s[3].last_name = "=HYPERLINK(1)"
    s[3].save()
    teacher = client_for(w.teacher)
    response = teacher.get(reverse("insights-export", args=[w.section.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    assert header[:5] == ["student_id", "username", "last_name", "first_name", "mastered"]
    assert set(header[5:]) == {u.a.code, u.b.code, u.c.code, u.d.code}
    by_id = {int(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert len(by_id) == 6
    assert by_id[s[2].pk][u.a.code] == "4"
    assert by_id[s[2].pk]["mastered"] == "1"
    assert by_id[s[0].pk][u.a.code] == "1"
    assert by_id[s[3].pk][u.d.code] == "1"
    assert by_id[s[4].pk][u.a.code] == ""
    assert by_id[s[3].pk]["last_name"] == "'=HYPERLINK(1)"  # a spreadsheet won't run it
    long = list(
        csv.DictReader(
            io.StringIO(
                teacher.get(
                    reverse("insights-export", args=[w.section.pk]), {"layout": "long"}
                ).content.decode()
            )
        )
    )
    assert len(long) == 6 * 4
    row = next(r for r in long if r["student_id"] == str(s[0].pk) and r["standard"] == u.a.code)
    assert (row["status"], row["mastery"], row["answers"]) == ("stuck", "0.25", "14")
    assert teacher.get(reverse("insights-export", args=[w.section.pk]), {"layout": "xml"}).status_code == 400


def test_the_teacher_home_links_to_today_and_the_class_view(busy: Classroom) -> None:
    w = busy.world
    page = client_for(w.teacher).get(reverse("teacher-home")).content.decode()
    assert reverse("insights-today", args=[w.section.pk]) in page
    assert reverse("insights-class", args=[w.section.pk]) in page
    assert reverse("insights-today", args=[w.sister_section.pk]) not in page


def test_station_plan_and_tiered_task_forms(busy: Classroom) -> None:
    w, u = busy.world, busy.unit
    teacher = client_for(w.teacher)
    response = teacher.post(
        reverse("insights-stations", args=[w.section.pk]),
        {
            "title": "Tuesday",
            "lesson_date": "2026-11-24",
            "block_minutes": "15",
            "rotations": "3",
            "station_name": ["Teacher table", "Laptops", "Partner game", ""],
            "station_kind": ["teacher_led", "online", "collaborative", "offline"],
            "station_activity": ["Strips", "", "Fraction war", ""],
        },
    )
    plan = StationPlan.objects.get()
    assert response["Location"] == reverse("insights-station-plan", args=[plan.pk])
    page = teacher.get(response["Location"]).content.decode()
    assert "Fraction war" in page
    assert "Group 3" in page
    assert "min 30–45" in page
    response = teacher.post(
        reverse("insights-stations", args=[w.section.pk]), {"title": "", "block_minutes": "15"}, follow=True
    )
    assert "title can&#x27;t be empty" in response.content.decode()
    response = teacher.post(
        reverse("insights-tiered", args=[w.section.pk]),
        {
            "competency": u.a.pk,
            "title": "Walls",
            "support": "Strips",
            "core": "Wall",
            "extend": "All of them",
        },
    )
    task = TieredTask.objects.get()
    page = teacher.get(response["Location"]).content.decode()
    assert "All of them" in page
    assert busy.students[0].display_name in page
    teacher.post(response["Location"], {"student": busy.students[0].pk, "tier": "extend"})
    assert task.assignments.get(student=busy.students[0]).tier == "extend"
