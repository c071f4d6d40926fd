"""Today: at most five things for the teacher to do for this class, ranked by impact, each with one step.

A teacher in a personalized classroom does not need another data dump; they need to know who to go to.
Each kind of action below is found in stored state and given an impact: roughly, how many students it
helps and how much. The weights say what the research and teachers put first: a stuck student (wheel-
spinning: more practice alone won't help, Beck & Gong 2013) matters most, then students who dropped out of
sight, a group worth teaching face to face, students slipping behind their own goal, students ready to be
stretched, and content that is broken where students may meet it. Every action says why, from the data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import User
from cairn.insights import selectors
from cairn.insights.models import SmallGroup
from cairn.insights.services import challenge_step
from cairn.learning.models import Alert

LIMIT = 5
# Impact per student helped (a group's is its priority: how far its members are from mastery, stuck ones
# counting more). A stuck student outweighs a few who are doing well and could be stretched.
WEIGHTS = {"stuck": 4.0, "inactive": 2.0, "group": 1.0, "behind": 1.5, "challenge": 0.75, "broken": 0.5}
KIND_ORDER = list(WEIGHTS)  # ties: the kind listed first wins
CHALLENGE_MASTERED = 2  # mastered this many in the last 7 days


@dataclass(frozen=True)
class Step:
    """The one click: a form that posts ``fields`` to ``url``, or (method "get") a link."""

    label: str
    url: str
    method: str = "post"
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Action:
    kind: str
    title: str
    why: str
    impact: float
    students: tuple[User, ...]
    step: Step
    more: Step | None = None


def rank(candidates: list[Action], limit: int = LIMIT) -> list[Action]:
    """The ``limit`` actions with the most impact; ties go to the more urgent kind, then the title."""
    return sorted(candidates, key=lambda a: (-a.impact, KIND_ORDER.index(a.kind), a.title))[:limit]


def _names(students: list[User] | tuple[User, ...], limit: int = 4) -> str:
    names = [s.display_name for s in students]
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


def _students_fields(students: list[User] | tuple[User, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(("student", str(s.pk)) for s in students)


def _day(when: dt.datetime | None) -> str:
    if when is None:
        return "never"
    return timezone.localtime(when).strftime("%a %-d %b")


def today_actions(state: selectors.ClassState, *, limit: int = LIMIT) -> list[Action]:
    section = state.section
    student_of = {s.pk: s for s in state.students}
    urls = {
        "save_group": reverse("insights-group-save", args=[section.pk]),
        "resolve": reverse("insights-alerts-resolve", args=[section.pk]),
        "challenge": reverse("insights-assign-challenges", args=[section.pk]),
        "class": reverse("insights-class", args=[section.pk]),
    }
    suggestions = selectors.suggested_groups(state).groups
    activities = selectors.teacher_led_activities(
        section,
        {a.competency.code for a in state.alerts if a.competency} | {g.competency for g in suggestions},
    )
    candidates: list[Action] = []

    # Stuck: open wheel-spinning alerts, one action per competency.
    stuck: dict[str, list[Alert]] = defaultdict(list)
    for alert in state.alerts:
        if alert.kind == Alert.Kind.WHEEL_SPINNING and alert.competency is not None:
            stuck[alert.competency.code].append(alert)
    stuck_students: set[int] = set()
    for code, alerts in stuck.items():
        alerts.sort(key=lambda a: a.created_at)
        students = list({a.student_id: student_of[a.student_id] for a in alerts}.values())
        stuck_students |= {s.pk for s in students}
        competency = state.by_code.get(code)
        tries = [state.cell(s.pk, competency.pk).attempts if competency else 0 for s in students]
        why = (
            f"{_names(students)}: {', '.join(str(t) for t in tries)} tries on {code} without getting closer "
            f"to mastery (since {_day(alerts[0].created_at)}). More practice alone won't help."
        )
        resolve = Step(
            "Mark as seen to",
            urls["resolve"],
            fields=tuple(("alert", str(a.pk)) for a in alerts),
        )
        if len(students) >= 2 and competency is not None:
            activity = activities.get(code)
            fields = [*_students_fields(students), ("competency", str(competency.pk))]
            if activity:
                fields.append(("activity", str(activity.pk)))
                why += f" Mini-lesson: “{activity.title}”."
            step = Step(f"Pull the {len(students)} as a group", urls["save_group"], fields=tuple(fields))
        else:
            student = students[0]
            step = Step(
                f"Open {student.display_name}'s work",
                reverse("insights-student", args=[section.pk, student.pk]),
                method="get",
            )
        candidates.append(
            Action(
                kind="stuck",
                title=f"{len(students)} stuck on {code}" if len(students) > 1 else f"Stuck on {code}",
                why=why,
                impact=WEIGHTS["stuck"] * len(students) + sum(tries) / 100,
                students=tuple(students),
                step=step,
                more=resolve,
            )
        )

    # Inactive: nothing done for INACTIVE_SCHOOL_DAYS school days.
    since = selectors.school_days_before(state.today, selectors.INACTIVE_SCHOOL_DAYS)
    cutoff = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    idle = [s for s in state.students if _idle(state.summaries[s.pk].last_active, cutoff)]
    if idle:
        last = "; ".join(f"{s.display_name}: {_day(state.summaries[s.pk].last_active)}" for s in idle[:6])
        candidates.append(
            Action(
                kind="inactive",
                title=f"{len(idle)} not active for a week" if len(idle) > 1 else "Not active for a week",
                why=f"No practice or activity in the last {selectors.INACTIVE_SCHOOL_DAYS} school days. "
                f"Last active — {last}{'…' if len(idle) > 6 else ''}.",
                impact=WEIGHTS["inactive"] * len(idle),
                students=tuple(idle),
                step=Step(
                    "Make a check-in group",
                    urls["save_group"],
                    fields=(*_students_fields(idle), ("name", "Check-in: not active lately")),
                ),
            )
        )
    idle_ids = {s.pk for s in idle}

    # Behind their own goal this week (students with a goal only; idle ones are already listed).
    paces = selectors.class_pace(state.students, state.today)
    behind = [
        (s, paces[s.pk].summary)
        for s in state.students
        if s.pk in paces and s.pk not in idle_ids and not paces[s.pk].on_track
    ]
    if behind:
        students = [s for s, _ in behind]
        candidates.append(
            Action(
                kind="behind",
                title=f"{len(behind)} behind their weekly goal" if len(behind) > 1 else "Behind their goal",
                why="; ".join(f"{s.display_name}: {msg}" for s, msg in behind[:4])
                + (f"; and {len(behind) - 4} more" if len(behind) > 4 else "")
                + ".",
                impact=WEIGHTS["behind"] * len(behind),
                students=tuple(students),
                step=Step(
                    "Make a goal check-in group",
                    urls["save_group"],
                    fields=(*_students_fields(students), ("name", "Goal check-in")),
                ),
            )
        )

    # Ready for a challenge: mastering quickly, not stuck, and something new is open.
    flying = []
    for s in state.students:
        summary = state.summaries[s.pk]
        if summary.mastered_this_week >= CHALLENGE_MASTERED and not summary.stuck:
            nxt = challenge_step(state, s.pk)
            if nxt is not None:
                flying.append((s, summary.mastered_this_week, nxt))
    if flying:
        students = [s for s, _, _ in flying]
        candidates.append(
            Action(
                kind="challenge",
                title=f"{len(flying)} ready for a challenge" if len(flying) > 1 else "Ready for a challenge",
                why="; ".join(
                    f"{s.display_name} mastered {n} this week, {c.code} is next" for s, n, c in flying[:4]
                )
                + (f"; and {len(flying) - 4} more" if len(flying) > 4 else "")
                + ".",
                impact=WEIGHTS["challenge"] * len(flying),
                students=tuple(students),
                step=Step(
                    "Assign each their next competency",
                    urls["challenge"],
                    fields=(*_students_fields(students), ("reason", "Ready for a challenge (from Today)")),
                ),
            )
        )

    # A small group to pull: the best suggestion not already covered by a stuck group or a saved group.
    saved = [
        (g.competency_id, set(g.students.values_list("pk", flat=True)))
        for g in SmallGroup.objects.filter(section=section, done_at__isnull=True, competency__isnull=False)
    ]
    for group in suggestions:
        competency = state.by_code[group.competency]
        members = set(group.students)
        if group.competency in stuck and members & stuck_students:
            continue
        if any(cid == competency.pk and len(members & ids) * 2 >= len(members) for cid, ids in saved):
            continue
        students = [student_of[i] for i in group.students]
        activity = activities.get(group.competency)
        fields = [*_students_fields(students), ("competency", str(competency.pk))]
        where = (
            f"mean mastery {round(group.mean_mastery * 100)}% for the {group.started} who have started"
            if group.started
            else "none has started it yet"
        )
        stuck_note = f"; {group.spinning} stuck" if group.spinning else ""
        why = f"{_names(students)} all need {group.competency} next ({where}{stuck_note})."
        if activity is not None:
            fields.append(("activity", str(activity.pk)))
            why += f" Mini-lesson: “{activity.title}”" + (
                f" ({activity.estimated_minutes} min)." if activity.estimated_minutes else "."
            )
        else:
            why += " No teacher-led activity for it in the library yet."
        candidates.append(
            Action(
                kind="group",
                title=f"Pull a group of {len(students)} for {group.competency}",
                why=why,
                impact=WEIGHTS["group"] * group.priority,
                students=tuple(students),
                step=Step("Save this group", urls["save_group"], fields=tuple(fields)),
                more=Step("See all suggested groups", reverse("insights-groups", args=[section.pk]), "get"),
            )
        )
        break

    # Broken content where students may meet it.
    for content, students in selectors.broken_content(state)[:1]:
        candidates.append(
            Action(
                kind="broken",
                title=f"Broken link: {content.title}",
                why=f"The link check found “{content.title}” broken; {len(students)} of your students have "
                f"it on offer ({', '.join(c.code for c in content.competencies.all())}).",
                impact=WEIGHTS["broken"] * min(len(students), 10),
                students=tuple(students),
                step=Step(
                    "Hide it for this class",
                    reverse("insights-content-hide", args=[section.pk, content.pk]),
                ),
            )
        )
    return rank(candidates, limit)


def _idle(last_active: dt.datetime | None, cutoff: dt.datetime) -> bool:
    return last_active is None or last_active < cutoff
