"""Teacher numbers in the same units and logic as the students' (issue 18, item 4), and the plans' forms
keeping what the teacher typed (item 5): percentages on every teacher page, tiers that make sense before a
topic starts, suggested groups that are distinct, and saved groups that take their students out."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from cairn.agency import services as agency
from cairn.assessments.models import Administration, Diagnostic
from cairn.curriculum.models import Content, Status
from cairn.insights import lesson_plans, selectors
from cairn.insights.models import StationPlan, TieredTask
from cairn.insights.services import groups, tiered
from cairn.learning.models import Progress
from tests.conftest import client_for
from tests.insights.conftest import Classroom, add_student, progress


def test_teacher_pages_show_mastery_as_percentages(classroom: Classroom) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    for student in s[:4]:
        progress(student, u.a, mastery=0.25)
    group = groups.save_group(w.teacher, w.section, student_ids=[s[0].pk], competency_id=u.a.pk)
    task = tiered.create_tiered_task(
        w.teacher, w.section, competency_id=u.a.pk, title="Walls", support="s", core="c", extend="e"
    )
    teacher = client_for(w.teacher)
    pages = {
        "class": reverse("insights-class", args=[w.section.pk]),
        "groups": reverse("insights-groups", args=[w.section.pk]),
        "group": reverse("insights-group", args=[group.pk]),
        "task": reverse("insights-tiered-task", args=[task.pk]),
        "student": reverse("insights-student", args=[w.section.pk, s[0].pk]),
    }
    html = {name: teacher.get(url).content.decode() for name, url in pages.items()}
    assert "<td>25%</td>" in html["class"]  # the mean mastery column
    # A student with no answers has no mean mastery (a dash), not 0% beside what the diagnostic placed.
    assert '<span title="No answers yet">—</span>' in html["class"] and "<td>0%</td>" not in html["class"]
    # s[0] is in the saved group, so the suggestion holds the other three who have started.
    assert "Mean mastery 25% for the 3 who have started" in html["groups"]
    assert "<td>25%</td>" in html["group"]  # when grouped
    assert "25%" in html["task"] and "support below 40% mastery, extend from 80%" in html["task"]
    assert '<td data-label="Mastery">25%</td>' in html["student"]  # cells say what they are on phones
    html["home"] = teacher.get("/teacher/").content.decode()
    html["today"] = teacher.get(reverse("insights-today", args=[w.section.pk])).content.decode()
    for name, page in html.items():
        assert not re.search(r">\s*0\.\d\d\s*<", page), name  # no 0.25-style shares anywhere
        text = re.sub(r"<(script|style).*?</\1>|<[^>]+>", " ", page, flags=re.S)  # what the teacher reads
        assert not re.search(r"\b[01]\.\d\d\b", text), name  # nor in a sentence ("When grouped 0.00")
        assert not re.search(r"(?<![\d.])1 (students|competencies|minutes|answers)\b", text), name
        assert not re.search(r"practis", text, re.IGNORECASE), name
    # A class of one reads "1 student" on its teacher's home and on the section's page.
    colleague = client_for(w.colleague)
    assert "· 1 student</p>" in colleague.get("/teacher/").content.decode()
    assert ">1 student</caption>" in colleague.get(f"/sections/{w.sister_section.pk}/").content.decode()


def test_tiers_before_anyone_starts_come_from_the_prerequisites_and_the_page_says_so(
    classroom: Classroom,
) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    # Nobody has started B; it builds on A: one has mastered A, one is midway, the rest haven't begun it.
    progress(s[0], u.a, Progress.Status.MASTERED, mastery=0.97)
    progress(s[1], u.a, mastery=0.6)
    task = tiered.create_tiered_task(
        w.teacher, w.section, competency_id=u.b.pk, title="Walls", support="s", core="c", extend="e"
    )
    placed = {a.student_id: (a.tier, a.basis) for a in task.assignments.all()}
    assert placed[s[0].pk] == ("extend", "prerequisites")
    assert placed[s[1].pk] == ("core", "prerequisites")
    assert {placed[x.pk] for x in s[2:]} == {("support", "prerequisites")}
    page = client_for(w.teacher).get(reverse("insights-tiered-task", args=[task.pk])).content.decode()
    assert "Placed by prerequisites: nobody has started this topic" in page
    # Once someone has answered on it, their own answers count, and the line goes.
    progress(s[2], u.b, mastery=0.9)
    tiered.retier(w.teacher, task)
    assert task.assignments.get(student=s[2]).tier == "extend"
    page = client_for(w.teacher).get(reverse("insights-tiered-task", args=[task.pk])).content.decode()
    assert "Placed by prerequisites" not in page


def test_tiers_for_a_topic_without_prerequisites_come_from_the_latest_diagnostic(
    classroom: Classroom,
) -> None:
    u, s, w = classroom.unit, classroom.students, classroom.world
    diagnostic = Diagnostic.objects.create(slug="fall", title="Fall check")
    for student, thetas in ((s[0], [-2.0, 1.6]), (s[1], [-1.5])):  # the latest sitting counts
        for i, theta in enumerate(thetas):
            Administration.objects.create(
                diagnostic=diagnostic,
                student=student,
                status=Administration.Status.FINISHED,
                school_year="2026-27",
                bank={},
                theta=theta,
                finished_at=timezone.now() - dt.timedelta(days=10 - i),
            )
    task = tiered.create_tiered_task(  # A has no prerequisites and nobody has started it
        w.teacher, w.section, competency_id=u.a.pk, title="Walls", support="s", core="c", extend="e"
    )
    placed = {a.student_id: (a.tier, a.basis) for a in task.assignments.all()}
    assert placed[s[0].pk] == ("extend", "diagnostic")
    assert placed[s[1].pk] == ("support", "diagnostic")
    assert placed[s[2].pk] == ("core", "none")  # nothing to go on: the task as written
    page = client_for(w.teacher).get(reverse("insights-tiered-task", args=[task.pk])).content.decode()
    assert "Placed by the diagnostic" in page


def test_suggested_groups_are_distinct_and_a_saved_group_takes_its_students_out(classroom: Classroom) -> None:
    u, w = classroom.unit, classroom.world
    students = classroom.students + [add_student(w, f"kid_{n}") for n in ("one", "two", "three", "four")]
    for i, student in enumerate(students):  # ten working on D: a crowd that fills two groups
        progress(student, u.d, mastery=0.2 + i * 0.03)
    state = selectors.class_state(w.section)
    # No teacher-led activity for D: one group (the neediest), the rest listed as also needing it.
    plain = lesson_plans.lesson_suggestions(state, {})
    d_groups = [g for g in plain.groups if g.group.competency == u.d.code]
    assert len(d_groups) == 1 and d_groups[0].activity is None
    assert set(plain.also_need[u.d.code]) | set(d_groups[0].group.students) == {x.pk for x in students}
    # Two distinct mini-lessons for D: two groups, each with its own.
    for title in ("Number line walk", "Fraction bars"):
        lesson = Content.objects.create(
            identifier=title, title=title, kind=Content.Kind.OFFLINE, status=Status.APPROVED
        )
        lesson.competencies.add(u.d)
    two = lesson_plans.lesson_suggestions(state, {})
    d_groups = [g for g in two.groups if g.group.competency == u.d.code]
    assert len(d_groups) == 2
    assert len({g.activity.title for g in d_groups if g.activity}) == 2
    # Saving one: its students leave every suggestion and show as grouped.
    saved = groups.save_group(
        w.teacher, w.section, student_ids=list(d_groups[0].group.students), competency_id=u.d.pk
    )
    page = client_for(w.teacher).get(reverse("insights-groups", args=[w.section.pk])).content.decode()
    suggested = page.split('aria-label="Suggested groups"')[1]
    for student in saved.students.all():
        assert student.display_name not in suggested
    assert "Grouped: " + ", ".join(x.display_name for x in saved.students.all()) in page


def test_the_stations_form_keeps_what_was_typed_and_shows_the_error_beside_the_field(
    classroom: Classroom,
) -> None:
    w = classroom.world
    url = reverse("insights-stations", args=[w.section.pk])
    teacher = client_for(w.teacher)
    body = {
        "title": "Tuesday rotation",
        "lesson_date": "2026-11-24",
        "block_minutes": "3",
        "rotations": "2",
        "station_name": ["Teacher table", "Laptops", ""],
        "station_kind": ["teacher_led", "online", "offline"],
        "station_activity": ["Strips", "Zearn", ""],
    }
    page = teacher.post(url, body)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="id_block_minutes-error">' in html
    assert 'value="Tuesday rotation"' in html and 'value="Laptops"' in html and 'value="Zearn"' in html
    # A refusal about one station lands on its row, the rest kept.
    page = teacher.post(
        url, {**body, "block_minutes": "15", "station_kind": ["teacher_led", "spaceship", ""]}
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="station-2-error">Station 2: choose a kind' in html
    assert 'value="Teacher table"' in html
    assert not StationPlan.objects.exists()
    # The tiered task form too.
    page = teacher.post(
        reverse("insights-tiered", args=[w.section.pk]),
        {"title": "Walls", "competency": classroom.unit.a.pk, "support": "Strips", "core": "", "extend": "x"},
    )
    assert page.status_code == 400
    assert 'id="id_core-error">The core can&#x27;t be empty.' in page.content.decode()
    assert "Strips</textarea>" in page.content.decode()
    assert not TieredTask.objects.exists()


def test_the_group_edit_form_keeps_what_was_typed(classroom: Classroom) -> None:
    w, s = classroom.world, classroom.students
    group = groups.save_group(w.teacher, w.section, student_ids=[s[0].pk], name="Strips")
    url = reverse("insights-group", args=[group.pk])
    page = client_for(w.teacher).post(url, {"name": " ", "note": "Bring the fraction bars", "for_date": ""})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="id_name-error">The name can&#x27;t be empty.' in html
    assert 'value="Bring the fraction bars"' in html
    group.refresh_from_db()
    assert group.name == "Strips" and group.note == ""


def test_counts_are_pluralised(classroom: Classroom) -> None:
    w, s = classroom.world, classroom.students
    agency.set_goal(s[0], 1, 10, "")
    page = client_for(w.teacher).get(reverse("insights-student", args=[w.section.pk, s[0].pk]))
    assert "Master 1 competency, practice 10 minutes" in page.content.decode()
